"""How trailguard behaves inside Checkov, proved through the real `checkov` command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.terraform.scanners import ROOT, checkov_command, results_by_case, run_checkov
from tests.unauthorized_calls import CHECK_IDS
from trailguard.catalog import CHECKS

BASIC = ROOT / "examples" / "terraform" / "compliant" / "basic"
TRAIL = "aws_cloudtrail.main"
FILTER = "aws_cloudwatch_log_metric_filter.unauthorized_api_calls"
OR_BUG = ('{ ($.errorCode = \\"*UnauthorizedOperation\\") || ($.errorCode = \\"AccessDenied*\\") || '
          '($.sourceIPAddress!=\\"delivery.logs.amazonaws.com\\") || ($.eventName!=\\"HeadBucket\\") }')


def make_case(base: Path, name: str, replace=(), extra_files=None) -> Path:
    """A copy of the compliant basic example, with text replaced and files added."""
    case = base / name
    case.mkdir(parents=True)
    text = (BASIC / "main.tf").read_text()
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    (case / "main.tf").write_text(text)
    for file_name, content in (extra_files or {}).items():
        (case / file_name).write_text(content)
    return case


CIS_LINE = 'pattern        = "{ ($.errorCode = \\"*UnauthorizedOperation\\") || ($.errorCode = \\"AccessDenied*\\") }"'


@pytest.fixture(scope="module")
def or_bug_case(tmp_path_factory):
    return make_case(tmp_path_factory.mktemp("cases"), "or_bug", [(CIS_LINE, f'pattern        = "{OR_BUG}"')])


def results(run, base):
    assert run.returncode in (0, 1), run.stderr[-3000:]
    cases = results_by_case(run.stdout, base)
    assert len(cases) == 1
    return next(iter(cases.values()))


def test_reasons_reach_the_cli_output(or_bug_case):
    command = [checkov_command(), "--skip-download", "--compact", "--external-checks-dir", str(ROOT / "checks"),
               "--check", "TG_AWS_*", "--framework", "terraform", "-d", str(or_bug_case.parent)]
    import subprocess

    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert run.returncode == 1
    assert "Details: it counts calls that were not denied" in run.stdout
    assert "Severity: HIGH" in run.stdout and "Guide: https://" in run.stdout


def test_reasons_reach_json_and_sarif(or_bug_case, tmp_path):
    found = results(run_checkov("--framework", "terraform", "-d", str(or_bug_case.parent)), or_bug_case.parent)
    assert found[("TG_AWS_2", FILTER)][0] == "FAILED"
    assert "counts calls that were not denied" in found[("TG_AWS_2", FILTER)][1][0]
    run_checkov("--framework", "terraform", "-d", str(or_bug_case.parent), "-o", "sarif",
                "--output-file-path", str(tmp_path))
    sarif = json.loads((tmp_path / "results_sarif.sarif").read_text())
    texts = [json.dumps(result) for result in sarif["runs"][0]["results"] if result["ruleId"] == "TG_AWS_2"]
    assert texts and "counts calls that were not denied" in texts[0]


def test_skip_comment_with_reason_is_honoured_and_its_reason_reported(tmp_path):
    make_case(tmp_path, "skipped", [(CIS_LINE, f'pattern        = "{OR_BUG}"'), (
        'resource "aws_cloudwatch_log_metric_filter" "unauthorized_api_calls" {',
        'resource "aws_cloudwatch_log_metric_filter" "unauthorized_api_calls" {\n'
        '  #checkov:skip=TG_AWS_2:pattern reviewed by security, tracked in SEC-1234')])
    run = run_checkov("--framework", "terraform", "-d", str(tmp_path))
    found = results(run, tmp_path)
    assert found[("TG_AWS_2", FILTER)][0] == "SKIPPED"
    assert found[("TG_AWS_4", TRAIL)][0] == "FAILED"  # a skip silences one check, it does not fix the chain
    skipped = json.loads(run.stdout)["results"]["skipped_checks"]
    assert [record["check_result"]["suppress_comment"] for record in skipped] == [
        "pattern reviewed by security, tracked in SEC-1234"]


@pytest.mark.parametrize(("selection", "expected"), [
    (("--check", "TG_AWS_2"), {"TG_AWS_2"}),
    (("--check", "TG_AWS_1,TG_AWS_4"), {"TG_AWS_1", "TG_AWS_4"}),
    (("--skip-check", "TG_AWS_[12]"), set(CHECKS) - {"TG_AWS_1", "TG_AWS_2"}),
    (("--check", "HIGH"), {check.id for check in CHECKS.values() if check.chain_control}),
])
def test_check_selection_with_wildcards_and_severity(or_bug_case, selection, expected):
    command = [checkov_command(), "--skip-download", "-o", "json", "--external-checks-dir", str(ROOT / "checks"),
               "--framework", "terraform", "-d", str(or_bug_case.parent), *selection]
    if selection[0] == "--skip-check":
        command += ["--check", "TG_AWS_*"]
    import subprocess

    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    found = results_by_case(run.stdout, or_bug_case.parent)
    checks = {check_id for case in found.values() for check_id, _ in case}
    assert checks == expected


@pytest.mark.parametrize("environment", [
    {"CHECKOV_PARALLELIZATION_TYPE": "none"},
    {"CHECKOV_PARALLELIZATION_TYPE": "thread"},
    {"CHECKOV_PARALLELIZATION_TYPE": "fork"},
    {"CHECKOV_GRAPH_FRAMEWORK": "NETWORKX"},
])
def test_same_results_in_every_parallel_mode_and_graph_library(or_bug_case, environment):
    found = results(run_checkov("--framework", "terraform", "terraform_plan", "-d", str(or_bug_case.parent),
                                env=environment), or_bug_case.parent)
    assert {key: result for key, (result, _) in found.items() if key[0] in CHECK_IDS} == {
        ("TG_AWS_1", TRAIL): "PASSED", ("TG_AWS_2", FILTER): "FAILED", ("TG_AWS_3", FILTER): "PASSED",
        ("TG_AWS_4", TRAIL): "FAILED", ("TG_AWS_5", "aws_sns_topic.security_alerts"): "PASSED"}


def test_an_unparsable_file_does_not_stop_the_rest(tmp_path):
    broken = 'resource "aws_s3_bucket" "x" {\n  bucket = "a\n'
    make_case(tmp_path, "with_broken_file", extra_files={"broken.tf": broken})
    run = run_checkov("--framework", "terraform", "-d", str(tmp_path))
    found = results(run, tmp_path)
    # Everything readable is still judged: the chain is complete in main.tf...
    assert found[("TG_AWS_4", TRAIL)][0] == "PASSED"
    assert found[("TG_AWS_2", FILTER)][0] == "PASSED"
    # ...and Checkov's own parse error names the file it could not read.
    parsing_errors = json.loads(run.stdout)["results"]["parsing_errors"]
    assert [Path(error).name for error in parsing_errors] == ["broken.tf"]


def test_links_never_cross_two_root_modules(tmp_path):
    text = (BASIC / "main.tf").read_text()
    split = text.index('resource "aws_cloudwatch_log_metric_filter"')
    (tmp_path / "trail_account").mkdir()
    (tmp_path / "trail_account" / "main.tf").write_text(text[:split])
    (tmp_path / "monitoring").mkdir()
    monitoring = text[split:].replace("aws_cloudwatch_log_group.trail.name", '"cloudtrail/management-events"')
    (tmp_path / "monitoring" / "main.tf").write_text(monitoring)
    run = run_checkov("--framework", "terraform", "-d", str(tmp_path))
    found = results_by_case(run.stdout, tmp_path)
    trail_results = {key: result for case in found.values() for key, (result, _) in case.items()}
    assert trail_results[("TG_AWS_1", TRAIL)] == "PASSED"
    assert trail_results[("TG_AWS_4", TRAIL)] == "FAILED"


def test_an_internal_error_is_a_visible_failure_with_a_traceback(or_bug_case):
    run = run_checkov("--framework", "terraform", "-d", str(or_bug_case.parent), "--external-checks-dir",
                      str(ROOT / "tests" / "fixtures" / "checkov_inject"))
    found = results(run, or_bug_case.parent)
    assert found, "no results: an internal error must never drop them"
    for key, (result, details) in found.items():
        assert result == "FAILED", key
        assert "injected failure for the test" in " ".join(details), (key, details)
    assert "Traceback" in run.stderr and "injected failure for the test" in run.stderr


def test_installed_package_points_checkov_at_its_checks():
    trailguard = shutil.which("trailguard", path=str(Path(checkov_command()).parent))
    import subprocess

    run = subprocess.run([trailguard, "checks-dir"], capture_output=True, text=True)
    directory = Path(run.stdout.strip())
    assert run.returncode == 0 and (directory / "trailguard_checkov_checks.py").is_file()
    assert (directory / "__init__.py").is_file()
