"""cfn-lint's options and output on single CloudFormation examples: ignoring rules, exit codes, where a match points,
and trailguard's runner. Every example's results, in both scanners, are in the snapshots beside them (tests/e2e/).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

from tests.unauthorized_calls import OTHER_CHAINS_CFN_LINT

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cloudformation"
BIN = Path(sys.executable).parent


def _run(args: List[str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)


def _cfn_lint(rules: str, files: List[str]) -> Tuple[int, List[dict]]:
    run = _run([str(BIN / "cfn-lint"), f"--append-rules={rules}", "-f", "json", *files])
    assert run.returncode in (0, 2, 4, 6), run.stdout + run.stderr
    return run.returncode, json.loads(run.stdout or "[]")


def test_ignore_checks_option_and_exit_code():
    or_bug = str(EXAMPLES / "noncompliant" / "or_bug.yaml")
    code, matches = _cfn_lint("trailguard.cfn_lint_rules", [f"--ignore-checks=E9102,{OTHER_CHAINS_CFN_LINT}", or_bug])
    assert code == 2 and {match["Rule"]["Id"] for match in matches} == {"E9104"}
    code, matches = _cfn_lint("plugins", ["--ignore-checks=E91", "--", or_bug])
    assert (code, matches) == (0, [])
    warning = str(EXAMPLES / "noncompliant" / "topic_without_subscription.yaml")
    code, matches = _cfn_lint("plugins", [f"--ignore-checks={OTHER_CHAINS_CFN_LINT}", warning])
    assert code == 4 and [match["Level"] for match in matches] == ["Warning"]


def test_a_match_points_at_the_failing_property():
    _, matches = _cfn_lint("plugins", [str(EXAMPLES / "noncompliant" / "single_region.yaml")])
    e9101 = next(match for match in matches if match["Rule"]["Id"] == "E9101")
    assert e9101["Location"]["Path"] == ["Resources", "Trail", "Properties", "IsMultiRegionTrail"]
    line = (EXAMPLES / "noncompliant" / "single_region.yaml").read_text().splitlines()[
        e9101["Location"]["Start"]["LineNumber"] - 1]
    assert "IsMultiRegionTrail: false" in line


def test_the_runner_appends_the_rules_and_returns_cfn_lints_exit_code(capsys):
    from trailguard.integrations.cfn_lint.runner import run_cfn_lint

    assert run_cfn_lint(["-f", "parseable", str(EXAMPLES / "noncompliant" / "or_bug.yaml")]) == 2
    assert ":E9102:" in capsys.readouterr().out
    compliant = str(EXAMPLES / "compliant" / "plain_chain.yaml")
    assert run_cfn_lint([f"--ignore-checks={OTHER_CHAINS_CFN_LINT}", compliant]) == 0
