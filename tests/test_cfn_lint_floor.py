"""The oldest cfn-lint setup.cfg admits, on the oldest Python trailguard supports, loads the rules and reports what
the newest cfn-lint reports.

Why: cfn-lint 1.47 and later need Python 3.10, so a Python 3.9 user gets an older cfn-lint than the one the suite
runs with. The floor in setup.cfg (`cfn-lint[sarif]>=X,<2`) is the promise; this test keeps it.

Slow (marked `slow`): the `cfn_lint_floor` environment (tests/environments.py, built once per session in the
background) pip-installs trailguard[cfn-lint] with cfn-lint pinned to the floor into a Python 3.9 environment.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import List

import pytest

from tests.environments import ROOT, floor_cfn_lint_version, python39
from tests.environments import run as _run

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(python39() is None, reason="no Python 3.9 (set TRAILGUARD_PYTHON39 to one)")]

EXAMPLES = ROOT / "examples" / "cloudformation"
DEVELOPMENT_CFN_LINT = Path(sys.executable).parent / "cfn-lint"


def trailguard_results(cfn_lint: Path, template: Path) -> List[str]:
    """trailguard's results (E91xx) in cfn-lint's parseable format: file, position, rule id and message."""
    lint = _run([str(cfn_lint), "--format", "parseable", "--append-rules=trailguard.cfn_lint_rules", "--",
                 template.name], template.parent)
    assert "Traceback" not in lint.stderr, lint.stderr
    return sorted(line for line in lint.stdout.splitlines() if ":E91" in line)


def test_the_floor_environment_runs_python_3_9_and_the_floor(cfn_lint_floor, tmp_path):
    versions = _run([str(cfn_lint_floor / "python"), "-c", "import sys, cfnlint.version; "
                     "print(sys.version_info[:2], cfnlint.version.__version__)"], tmp_path)
    assert versions.stdout.split() == ["(3,", "9)", floor_cfn_lint_version()], versions.stdout + versions.stderr


@pytest.mark.parametrize("example", ["noncompliant/or_bug.yaml", "compliant/cis_controls.yaml"])
def test_the_floor_reports_what_the_newest_cfn_lint_reports(cfn_lint_floor, tmp_path, example):
    template = tmp_path / Path(example).name
    shutil.copy(EXAMPLES / example, template)
    at_floor = trailguard_results(cfn_lint_floor / "cfn-lint", template)
    assert at_floor == trailguard_results(DEVELOPMENT_CFN_LINT, template)
    if example.startswith("noncompliant"):
        assert any(":E9102:" in line and "GetObject" in line for line in at_floor), at_floor
        assert any(":E9104:" in line for line in at_floor), at_floor
    else:
        assert at_floor == [], at_floor
