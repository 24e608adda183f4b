"""`trailguard scan examples` as a user runs it, read from the session's one scan (tests/e2e/conftest.py): the text
report, the JSON report and the SARIF log of the same scanner run. Moved here from tests/test_scan.py and
tests/ci/test_ci_gate.py, assertions unchanged.
The SARIF log is validated offline against the vendored OASIS 2.1.0 schema (tests/sarif_schema.py).
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

from tests.e2e.examples import ROOT, cloudformation_examples, terraform_examples
from tests.e2e.scanners import ScanReport
from tests.sarif_schema import sarif_schema_errors
from trailguard.catalog import CHECKS


def unit(report: dict, name: str) -> dict:
    return next(found for found in report["units"] if found["name"] == name)


def link(found: dict, name: str) -> dict:
    return next(item for item in found["links"] if item["link"] == name)


def _examples(kind: str) -> List[str]:
    """`examples/terraform/<kind>/<case>` and `examples/cloudformation/<kind>/<template>` (not the nested-stack
    children in subdirectories: they belong to the unit of the template that deploys them)."""
    templates = [example for example in cloudformation_examples() if example.count("/") == 2]
    return [f"examples/{example}" for example in terraform_examples() + templates
            if example.split("/")[1] == kind]


# --- the text report -------------------------------------------------------------------------------------------------

def test_examples_exit_1_because_of_the_noncompliant_cases(scan_text: ScanReport):
    assert scan_text.code == 1, scan_text.stderr
    assert "\033[" not in scan_text.stdout and "\r" not in scan_text.stderr  # not a terminal: plain, no progress


def test_the_or_bug_shows_the_chain_and_the_counterexample_event(scan_text: ScanReport):
    block = scan_text.stdout.split("examples/terraform/noncompliant/or_bug_pattern  ", 1)[1].split("\n\n", 1)[0]
    lines = block.splitlines()
    assert [line.split()[:2] for line in lines[1:] if line.startswith("  ") and not line.startswith("   ")] == [
        ["pass", "trail"], ["FAIL", "filter"], ["pass", "alarm"], ["pass", "topic"], ["FAIL", "chain"]]
    chain = next(line for line in lines if "[TG_AWS_4]" in line).split()
    assert chain[:3] == ["FAIL", "unauthorized-api-calls", "[TG_AWS_4]"]
    # The first reason, cut to the line: the break, whose cause is on the filter row, not repeated.
    assert " ".join(chain[3:]).startswith("the chain breaks at the pattern of filter aws_cloudwatch_log_metric_filter")
    event_line = next(line for line in lines if "counterexample event:" in line)
    event = json.loads(event_line.split("counterexample event: ", 1)[1])
    assert "errorCode" not in event and event["eventName"] == "GetObject"


# --- the JSON report -------------------------------------------------------------------------------------------------

CHAIN_CHECKS = {check.id for check in CHECKS.values() if check.chain_control}


def _not_carried(result: Dict[str, Any]) -> bool:
    """A chain result that fails only because the unit has no filter for that control (in every deployment, or in
    the condition branches that leave its alarm out): a control the example does not carry (examples/README.md),
    failing as a CIS gate would."""
    reasons = " ".join(result["reasons"])
    return result["check_id"] in CHAIN_CHECKS and "no metric filter for " in reasons and "breaks" not in reasons


def test_every_example_unit_is_reported_with_the_verdict_its_directory_promises(scan_json: Dict[str, Any]):
    units = {found["name"]: found for found in scan_json["units"]}
    for name in _examples("compliant"):
        found = units[name if name in units else name + "/plan.json"]
        results = [result for row in found["links"] for result in row["results"]]
        # Every check of the controls it carries passes; the chain checks of the others fail for want of a filter.
        assert [r for r in results if r["result"] != "PASSED" and not _not_carried(r)] == [], found["name"]
        # A unit with a trail proves a control; the monitoring half of a split layout (or a nested stack's child
        # template scanned on its own) passes its checks but proves nothing: it has no trail.
        has_trail = bool(link(found, "trail")["results"])
        assert ("PROVEN" in found["controls"].values()) == has_trail, found["name"]
    assert "PROVEN" not in units["examples/terraform/compliant/separate_monitoring_account"]["controls"].values()
    noncompliant = [name for name in units if "/noncompliant/" in name]
    assert len(noncompliant) >= len(_examples("noncompliant"))
    for name in noncompliant:
        results = [result for row in units[name]["links"] for result in row["results"]]
        # What each case breaks is in its snapshot (tests/e2e/test_snapshots.py holds every result to it); here,
        # only that it breaks something, and the two cases whose verdict is not a plain failure.
        failed = [r for r in results if r["result"] == "FAILED"]
        if "accepted_risk" in name:  # the trail and its unauthorized-calls chain are skipped with a reason; the
            # other controls' chain checks, which the skip does not name, still fail at that trail
            assert {r["check_id"] for r in results if r["result"] == "SKIPPED"} == {"TG_AWS_1", "TG_AWS_4"}, name
            assert {r["check_id"] for r in failed} == CHAIN_CHECKS - {"TG_AWS_4"}, name
        elif "topic_without_subscription" in name:  # an unsubscribed topic is advisory only
            assert {r["check_id"] for r in failed if not _not_carried(r)} == {"TG_AWS_5"}, name
        else:
            assert failed and units[name]["result"] == "FAILED", name
    assert scan_json["errors"] == []


def test_a_broken_link_names_its_reason_once_and_the_chain_points_at_it(scan_json: Dict[str, Any]):
    found = unit(scan_json, "examples/terraform/noncompliant/actions_disabled")
    alarm = link(found, "alarm")["results"][0]
    assert alarm["result"] == "FAILED" and "its actions are disabled" in alarm["reasons"][0]
    topic = link(found, "topic")["results"][0]  # the advisory is shown although the alarm fails
    assert topic["check_id"] == "TG_AWS_5" and topic["result"] == "PASSED"
    chain = link(found, "chain")["results"][0]
    assert chain["result"] == "FAILED" and chain["reasons"][0].startswith("the chain breaks at the alarm of filter")


def test_child_module_resources_belong_to_the_root_module_that_calls_it(scan_json: Dict[str, Any]):
    found = unit(scan_json, "examples/terraform/compliant/module_chain")
    assert link(found, "filter")["results"][0]["resource"].startswith("module.cis_monitoring.")
    assert not [name for name in (u["name"] for u in scan_json["units"]) if "/modules/" in name]


def test_cloudformation_results_of_both_scanners_are_merged(scan_json: Dict[str, Any]):
    found = unit(scan_json, "examples/cloudformation/noncompliant/or_bug.yaml")
    pattern = link(found, "filter")["results"][0]
    assert pattern["result"] == "FAILED" and sorted(pattern["scanners"]) == ["cfn-lint", "checkov"]
    reasons = pattern["reasons"]  # the same reasons from both scanners (cfn-lint joins them in one) are shown once
    assert reasons and len(set(reasons)) == len(reasons) and not any("; it counts" in reason for reason in reasons)


def test_an_accepted_risk_is_skipped_with_its_reason(scan_json: Dict[str, Any]):
    found = unit(scan_json, "examples/cloudformation/noncompliant/accepted_risk_skipped.yaml")
    trail = link(found, "trail")["results"][0]
    assert trail["result"] == "SKIPPED" and "Regional trail by design" in trail["skip_reason"]


# --- the SARIF log ---------------------------------------------------------------------------------------------------

def test_the_sarif_log_is_valid_sarif_2_1_0(scan_sarif: Dict[str, Any]):
    assert sarif_schema_errors(scan_sarif) == []


def test_the_sarif_log_has_the_required_shape_and_the_reasons(scan_sarif: Dict[str, Any]):
    assert scan_sarif["version"] == "2.1.0" and len(scan_sarif["runs"]) == 1
    run = scan_sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(CHECKS)
    assert run["invocations"][0]["executionSuccessful"] is True
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning") and result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert (ROOT / location["artifactLocation"]["uri"]).is_file() and location["region"]["startLine"] >= 1
    or_bug = [r for r in run["results"] if r["ruleId"] == "TG_AWS_2"
              and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("or_bug.yaml")]
    assert len(or_bug) == 1 and "which succeeded (no errorCode), matches" in or_bug[0]["message"]["text"]
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert suppressed and all(r["suppressions"][0]["justification"] for r in suppressed)
