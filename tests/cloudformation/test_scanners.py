"""The real commands users run, on every CloudFormation example: Checkov and cfn-lint (from plugins/ and by module
name) must give exactly the results in `expectations.EXPECTED`, agree with each other, and say what is wrong.

Each scanner runs once over all examples (module-scoped fixtures) to keep the suite fast.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from tests.cloudformation.expectations import EXPECTED, MESSAGES
from trailguard.catalog import CHECKS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cloudformation"
BIN = Path(sys.executable).parent
CHECK_OF_RULE = {check.cfn_lint_id: check.id for check in CHECKS.values()}
# Examples, and the templates they deploy as nested stacks (in a subdirectory, as `aws cloudformation package` and
# `sam package` read them).
FILES = sorted(str(path.relative_to(EXAMPLES)) for path in EXAMPLES.glob("*/**/*") if path.is_file())

Key = Tuple[str, str, str]  # (example, check id, logical id)


def _run(args: List[str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def checkov() -> Dict[Key, Tuple[str, List[str]]]:
    run = _run([str(BIN / "checkov"), "--skip-download", "-o", "json", "--framework", "cloudformation",
                "--external-checks-dir", "checks", "--check", "TG_AWS_*", "-d", str(EXAMPLES)])
    assert run.returncode in (0, 1), run.stderr
    report = json.loads(run.stdout)
    results: Dict[Key, Tuple[str, List[str]]] = {}
    for kind in ("passed_checks", "failed_checks", "skipped_checks"):
        for record in report["results"][kind]:
            key = (record["file_path"].lstrip("/"), record["check_id"], record["resource"].rsplit(".", 1)[-1])
            assert key not in results, f"two results for {key}"
            results[key] = (record["check_result"]["result"], record["details"])
    return results


def _cfn_lint(rules: str, files: List[str]) -> Tuple[int, List[dict]]:
    run = _run([str(BIN / "cfn-lint"), f"--append-rules={rules}", "-f", "json", *files])
    assert run.returncode in (0, 2, 4, 6), run.stdout + run.stderr
    return run.returncode, json.loads(run.stdout or "[]")


def _by_key(matches: List[dict]) -> Dict[Key, List[str]]:
    found: Dict[Key, List[str]] = {}
    for match in matches:
        example = str(Path(match["Filename"]).resolve().relative_to(EXAMPLES))
        check_id = CHECK_OF_RULE.get(match["Rule"]["Id"], match["Rule"]["Id"])
        found.setdefault((example, check_id, match["Location"]["Path"][1]), []).append(match["Message"])
    return found


@pytest.fixture(scope="module")
def cfn_lint_plugins() -> Dict[Key, List[str]]:
    return _by_key(_cfn_lint("plugins", [str(EXAMPLES / name) for name in FILES])[1])


@pytest.fixture(scope="module")
def cfn_lint_module() -> Dict[Key, List[str]]:
    return _by_key(_cfn_lint("trailguard.cfn_lint_rules", [str(EXAMPLES / name) for name in FILES])[1])


def test_the_table_covers_every_example():
    assert sorted(EXPECTED) == FILES
    assert len(FILES) >= 20


def test_every_example_passes_cfn_lints_own_rules():
    run = _run([str(BIN / "cfn-lint"), *[str(EXAMPLES / name) for name in FILES]])
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_checkov_gives_exactly_the_expected_results(checkov, example):
    got = {(check_id, resource): result for (name, check_id, resource), (result, _) in checkov.items()
           if name == example}
    assert got == EXPECTED[example]


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_cfn_lint_agrees_with_checkov(cfn_lint_plugins, example):
    expected_matches = {key for key, result in EXPECTED[example].items() if result == "FAILED"}
    got = {(check_id, resource) for (name, check_id, resource) in cfn_lint_plugins if name == example}
    assert got == expected_matches


def test_cfn_lint_loads_the_same_rules_by_module_name(cfn_lint_plugins, cfn_lint_module):
    assert cfn_lint_module == cfn_lint_plugins


@pytest.mark.parametrize(("example", "check_id"), sorted(MESSAGES))
def test_failures_say_what_is_wrong(checkov, cfn_lint_plugins, example, check_id):
    expected = MESSAGES[(example, check_id)]
    (resource,) = [res for (check, res), result in EXPECTED[example].items() if check == check_id]
    result, details = checkov[(example, check_id, resource)]
    assert result == "FAILED" and any(expected in line for line in details), details
    messages = cfn_lint_plugins[(example, check_id, resource)]
    assert any(expected in message and message.startswith(f"{resource}: ") for message in messages), messages


def test_checkov_skip_keeps_its_reason(checkov):
    result, details = checkov[("noncompliant/accepted_risk_skipped.yaml", "TG_AWS_1", "Trail")]
    assert result == "SKIPPED" and "records only its own region" in details[0]


def test_ignore_checks_option_and_exit_code():
    or_bug = str(EXAMPLES / "noncompliant" / "or_bug.yaml")
    code, matches = _cfn_lint("trailguard.cfn_lint_rules", ["-i", "E9102", "--", or_bug])
    assert code == 2 and {match["Rule"]["Id"] for match in matches} == {"E9104"}
    code, matches = _cfn_lint("plugins", ["--ignore-checks=E91", "--", or_bug])
    assert (code, matches) == (0, [])
    warning = str(EXAMPLES / "noncompliant" / "topic_without_subscription.yaml")
    code, matches = _cfn_lint("plugins", [warning])
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
    assert run_cfn_lint([str(EXAMPLES / "compliant" / "plain_chain.yaml")]) == 0
