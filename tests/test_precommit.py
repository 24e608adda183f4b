"""trailguard as a third-party pre-commit hook repository, end to end: `pre-commit try-repo` on a throwaway git
repository, with pre-commit in its own virtual environment (it cannot share one with Checkov: docs/rules.md).

Slow (marked `slow`): pre-commit creates each hook's environment and pip-installs this repository and its scanner
into it, a few minutes in all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

pytestmark = pytest.mark.slow


def _run(args: List[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=str(cwd), capture_output=True, text=True, timeout=900, env=env)


@pytest.fixture(scope="module")
def pre_commit(tmp_path_factory) -> tuple:
    """pre-commit installed from the package index into a fresh virtual environment, and the environment to run it
    in (its own hook cache, git identity for the throwaway repositories)."""
    base = tmp_path_factory.mktemp("pre-commit")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PRE_COMMIT_HOME=str(base / "cache"), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    assert _run([sys.executable, "-m", "venv", str(base / "venv")], base, env).returncode == 0
    install = _run([str(base / "venv" / "bin" / "pip"), "install", "-q", "pre-commit"], base, env)
    assert install.returncode == 0, install.stdout + install.stderr
    return str(base / "venv" / "bin" / "pre-commit"), env


def _repository(path: Path, files: dict, env: dict) -> Path:
    path.mkdir()
    for name, source in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, Path):
            shutil.copy(source, path / name)
        else:
            (path / name).write_text(source)
    assert _run(["git", "init", "-q"], path, env).returncode == 0
    assert _run(["git", "add", "."], path, env).returncode == 0
    return path


def _try_repo(pre_commit: tuple, repository: Path, hook: str) -> subprocess.CompletedProcess:
    command, env = pre_commit
    return _run([command, "try-repo", str(ROOT), hook, "--all-files", "--verbose"], repository, env)


WORKFLOW = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"


def test_checkov_hook_fails_on_a_broken_chain_and_passes_a_good_one(pre_commit, tmp_path):
    bad = _repository(tmp_path / "bad", {"infra/main.tf": EXAMPLES / "terraform/noncompliant/or_bug_pattern/main.tf",
                                         ".github/workflows/ci.yml": WORKFLOW}, pre_commit[1])
    run = _try_repo(pre_commit, bad, "trailguard-checkov")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "TG_AWS_2" in run.stdout and "FAILED" in run.stdout
    good = _repository(tmp_path / "good", {"infra/main.tf": EXAMPLES / "terraform/compliant/basic/main.tf"},
                       pre_commit[1])
    run = _try_repo(pre_commit, good, "trailguard-checkov")
    assert run.returncode == 0, run.stdout + run.stderr


def test_cfn_lint_hook_lints_templates_and_leaves_other_yaml_alone(pre_commit, tmp_path):
    bad = _repository(tmp_path / "bad", {"templates/or_bug.yaml": EXAMPLES / "cloudformation/noncompliant/or_bug.yaml",
                                         ".github/workflows/ci.yml": WORKFLOW}, pre_commit[1])
    run = _try_repo(pre_commit, bad, "trailguard-cfn-lint")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "E9102" in run.stdout and "ci.yml" not in run.stdout.split("E9102", 1)[1]
    plain = EXAMPLES / "cloudformation/compliant/plain_chain.yaml"
    good = _repository(tmp_path / "good", {"templates/plain.yaml": plain, ".github/workflows/ci.yml": WORKFLOW},
                       pre_commit[1])
    run = _try_repo(pre_commit, good, "trailguard-cfn-lint")
    assert run.returncode == 0, run.stdout + run.stderr
