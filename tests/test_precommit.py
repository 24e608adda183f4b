"""trailguard as a third-party pre-commit hook repository, end to end: `pre-commit run` on throwaway git
repositories, with pre-commit in its own virtual environment (it cannot share one with Checkov: docs/rules.md).

The hook repository is a git snapshot of this working tree, named by `repo:` and `rev:` exactly as users write it
(this is also what `pre-commit try-repo` does, except that try-repo rebuilds the hook environments on every call).

Slow (marked `slow`): the `pre_commit` environment (tests/environments.py, built once per session in the background)
installs pre-commit and lets it create each hook's environment, pip-installing this repository and its scanner.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.environments import ROOT, PreCommit, git_repository

EXAMPLES = ROOT / "examples"

pytestmark = pytest.mark.slow


def _repository(path: Path, files: dict, pre_commit: PreCommit) -> Path:
    path.mkdir()
    for name, source in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, Path):
            shutil.copy(source, path / name)
        else:
            (path / name).write_text(source)
    git_repository(path, pre_commit.env)
    return path


WORKFLOW = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"


def test_checkov_hook_fails_on_a_broken_chain_and_passes_a_good_one(pre_commit, tmp_path):
    bad = _repository(tmp_path / "bad", {"infra/main.tf": EXAMPLES / "terraform/noncompliant/or_bug_pattern/main.tf",
                                         ".github/workflows/ci.yml": WORKFLOW}, pre_commit)
    run = pre_commit.run_hook(bad, "trailguard-checkov")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "TG_AWS_2" in run.stdout and "FAILED" in run.stdout
    every_control = EXAMPLES / "terraform/compliant/cis_controls_for_each/main.tf"  # fewer fail the others' chains
    good = _repository(tmp_path / "good", {"infra/main.tf": every_control}, pre_commit)
    run = pre_commit.run_hook(good, "trailguard-checkov")
    assert run.returncode == 0, run.stdout + run.stderr


def test_cfn_lint_hook_lints_templates_and_leaves_other_yaml_alone(pre_commit, tmp_path):
    bad = _repository(tmp_path / "bad", {"templates/or_bug.yaml": EXAMPLES / "cloudformation/noncompliant/or_bug.yaml",
                                         ".github/workflows/ci.yml": WORKFLOW}, pre_commit)
    run = pre_commit.run_hook(bad, "trailguard-cfn-lint")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "E9102" in run.stdout and "ci.yml" not in run.stdout.split("E9102", 1)[1]
    every_control = EXAMPLES / "cloudformation/compliant/cis_controls.yaml"
    good = _repository(tmp_path / "good", {"templates/cis.yaml": every_control, ".github/workflows/ci.yml": WORKFLOW},
                       pre_commit)
    run = pre_commit.run_hook(good, "trailguard-cfn-lint")
    assert run.returncode == 0, run.stdout + run.stderr
