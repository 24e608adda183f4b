"""What `trailguard scan` may claim, from merged results: in-process on `Result`s, and on recorded real scanner output
(tests/scan_replay.py).

docs/rules.md: a control's chain "holds" only where its chain check (TG_AWS_4, TG_AWS_6 ... TG_AWS_19) passed; a unit
without a trail proves the filter and alarm checks only and says "not proven here: no trail in this unit"; a scan in
which no trail proves some selected control says so and is not a pass (exit 3 unless `--allow-unproven`); TG_AWS_5 is
advisory, shown but not failing unless asked.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from hypothesis import given
from hypothesis import strategies as st

from tests.scan_replay import replay
from trailguard.scan.chain import PROVEN, blocks, distinct_reasons, units
from trailguard.scan.command import EXIT_FINDINGS, EXIT_NOT_PROVEN, EXIT_OK, exit_code
from trailguard.scan.document import to_json
from trailguard.scan.inventory import declared
from trailguard.scan.report import render
from trailguard.scan.results import CFN_TEMPLATE as CLOUDFORMATION
from trailguard.scan.results import FAILED, PASSED, SKIPPED, Result
from trailguard.scan.sarif import to_sarif
from trailguard.scan.selection import CHAIN_CHECK, EVERY_CONTROL

UNIT = "stacks/security.yaml"
# An alarm pack for three CIS controls (root usage, sign-in without MFA, IAM policy changes): no trail.
ALARM_PACK = (Path(__file__).parent / "fixtures" / "alarm_pack" / "cis_alarms.yaml").read_text()
CHAIN_BREAKS = "the chain breaks at the pattern of filter Filter (TG_AWS_2); fix that link"
CAUSE = "it counts calls that were not denied, for example this call: {\"eventName\": \"GetObject\"}"
MISSING_ROOT = ("no metric filter for root-usage on the trail's log group Logs; add an AWS::Logs::MetricFilter on the "
                "trail's log group with this pattern: " + "{ $.userIdentity.type = \"Root\" }" * 8)


def result(check_id: str, resource: str, outcome: str = PASSED, reasons: Optional[List[str]] = None,
           unit: str = UNIT, skip_reason: Optional[str] = None) -> Result:
    return Result(unit, CLOUDFORMATION, check_id, resource, unit, 1, outcome, reasons or [], ["checkov"], skip_reason)


def monitoring_only(unit: str = UNIT) -> List[Result]:
    return [result("TG_AWS_2", "Filter", unit=unit), result("TG_AWS_3", "Filter", unit=unit),
            result("TG_AWS_5", "Topic", unit=unit)]


def whole_chain(unit: str = UNIT, **outcomes: str) -> List[Result]:
    """A trail, a filter, an alarm and a topic, and every control's chain check on the trail; `outcomes` by check id
    (`trail` for TG_AWS_1, `chain` for every chain check), PASSED otherwise."""
    chains = [result(check_id, "Trail", outcomes.get(check_id, outcomes.get("chain", PASSED)), unit=unit,
                     reasons=["monitored by filter Filter alarmed by Alarm"]) for check_id in CHAIN_CHECK.values()]
    return [result("TG_AWS_1", "Trail", outcomes.get("trail", PASSED), unit=unit)] + chains + [
        result(r.check_id, r.resource, outcomes.get(r.check_id, PASSED), unit=unit) for r in monitoring_only(unit)]


def by_id(results: Sequence[Result], check_id: str) -> Result:
    return next(found for found in results if found.check_id == check_id)


def report(results: List[Result], verbose: bool = False, fail_on: str = "MEDIUM", found: Optional[Dict] = None,
           controls: Sequence[str] = EVERY_CONTROL) -> str:
    """The text report without its header line (and the blank line after it)."""
    out = io.StringIO()
    render(units(results, found, fail_on, controls), [], out, False, verbose, "7.0", controls)
    head, blank, *body = out.getvalue().splitlines(keepends=True)
    assert head.startswith("CIS AWS Foundations Benchmark v7.0, ") and blank == "\n"
    return "".join(body)


# --- a unit without a trail ------------------------------------------------------------------------------------------

def test_a_unit_without_a_trail_is_not_proven_and_never_holds():
    text = report(monitoring_only())
    assert text.splitlines()[0] == (f"part  {UNIT}  (CloudFormation template)  not proven here: no trail in this unit "
                                    "(it proves the filter and alarm checks only)")
    assert "the chain holds" not in text and "all passing" not in text
    assert text.splitlines()[-1] == (
        "1 deployment unit(s): nothing failed, but NOT PROVEN; 0 failed check result(s). 0 of 15 control(s) proven by "
        "a trail in this scan; no trail in this scan proves unauthorized-api-calls (TG_AWS_4), "
        "console-signin-without-mfa (TG_AWS_6), root-usage (TG_AWS_7), iam-policy-changes (TG_AWS_8), "
        "cloudtrail-changes (TG_AWS_9) and 10 more. That is exit 3, not a pass; --allow-unproven where the trail is "
        "deployed from elsewhere.")


def test_a_scan_nothing_proves_exits_3_unless_the_split_is_declared():
    found = units(monitoring_only())
    assert exit_code(found, False, allow_unproven=False) == EXIT_NOT_PROVEN
    assert exit_code(found, False, allow_unproven=True) == EXIT_OK
    assert exit_code([], False, allow_unproven=False) == EXIT_OK  # nothing declared at all: nothing to prove


def test_a_split_layout_scanned_whole_passes_and_names_the_unit_that_proves_nothing():
    results = whole_chain("trail-account/main.yaml") + monitoring_only("monitoring/alarms.yaml")
    text = report(results)
    assert "pass  trail-account/main.yaml  (CloudFormation template)  the chain holds for all 15 controls: Trail -> " \
           "Filter -> Filter -> Topic" in text
    assert "part  monitoring/alarms.yaml" in text
    assert "2 deployment unit(s): nothing failed; every control is proven, 1 unit(s) do not prove them all here" in text
    assert exit_code(units(results), False, allow_unproven=False) == EXIT_OK


def test_an_alarm_pack_with_no_result_says_what_it_holds(tmp_path):
    (tmp_path / "alarms.yaml").write_text(ALARM_PACK)
    found = declared([tmp_path])
    name = next(iter(found))
    text = report([], found=found)
    assert f"part  {name}  (CloudFormation template)  not proven here: no trail in this unit (found 3 metric " \
           "filters, 3 alarms and 1 SNS topic, none of a CIS monitoring control)" in text
    assert "nothing to prove" not in text
    assert exit_code(units([], found), False, allow_unproven=False) == EXIT_NOT_PROVEN


def test_alarms_and_topics_alone_are_not_about_any_control(tmp_path):
    template = ALARM_PACK.split("  RootAccountUsageFilter:")[0]  # the parameter and the topic only
    (tmp_path / "notifications.yaml").write_text(template)
    found = declared([tmp_path])
    assert [unit.describe() for unit in found.values()] == ["1 SNS topic"]
    assert units([], found) == [] and exit_code(units([], found), False, allow_unproven=False) == EXIT_OK
    assert "nothing to prove" in report([], found=found)


def test_a_failing_unit_without_a_trail_says_so_on_its_trail_and_chain_rows():
    results = monitoring_only()
    results[0] = result("TG_AWS_2", "Filter", FAILED, [CAUSE])
    text = report(results)
    assert "  ----  trail   not proven here: no trail in this unit" in text
    assert text.count("  ----  chain   no trail in this unit, so no chain to judge") == 1  # not once per control
    assert exit_code(units(results), False, allow_unproven=True) == EXIT_FINDINGS


# --- one line per control --------------------------------------------------------------------------------------------

def test_each_control_has_its_line_and_the_chain_holds_only_where_its_check_passed():
    results = whole_chain(TG_AWS_7=FAILED)
    by_id(results, "TG_AWS_7").reasons = [MISSING_ROOT]
    text = report(results)
    lines = text.splitlines()
    assert lines[0] == f"FAIL  {UNIT}  (CloudFormation template)"
    assert "  FAIL  chain   Trail  line 1  14 of 15 control(s) proven  severity HIGH" in lines
    control_lines = [line for line in lines if line.startswith("        ") and line.split()[1] in EVERY_CONTROL]
    assert [line.split()[1] for line in control_lines] == list(EVERY_CONTROL)  # CIS order
    root = next(line for line in control_lines if " root-usage " in line)
    assert re.match(r"^ {8}FAIL  root-usage \[TG_AWS_7\] +no metric filter for root-usage on the trail's log group "
                    r"Logs; .*\.\.\.$", root) and len(root) < 180  # the first reason, cut to one line
    holds = [line for line in lines if "the chain holds" in line]
    assert len(holds) == 14 and all(line.startswith("        pass  ") and "root-usage" not in line for line in holds)
    assert "15 of 15" not in text and "14 of 15 control(s) proven by a trail in this scan; no trail in this scan " \
                                      "proves root-usage (TG_AWS_7)." in text


def test_verbose_gives_every_reason_whole():
    results = whole_chain(TG_AWS_7=FAILED)
    by_id(results, "TG_AWS_7").reasons = [MISSING_ROOT, "a second reason"]
    text = report(results, verbose=True)
    assert MISSING_ROOT in text and "a second reason" in text
    assert "a second reason" not in report(results)


def test_json_gives_each_controls_verdict_per_unit_and_over_the_scan():
    results = whole_chain(TG_AWS_7=FAILED, TG_AWS_8=SKIPPED) + monitoring_only("monitoring/alarms.yaml")
    document = to_json(units(results), [], {"cis_version": "7.0", "controls": list(EVERY_CONTROL)})
    trail_unit = next(unit for unit in document["units"] if unit["name"] == UNIT)
    assert trail_unit["controls"]["root-usage"] == FAILED and trail_unit["controls"]["iam-policy-changes"] == SKIPPED
    assert trail_unit["controls"]["unauthorized-api-calls"] == PROVEN and trail_unit["proven"] is False
    assert set(document["units"][0]["controls"].values()) == {"NOT PROVEN"}  # monitoring/alarms.yaml sorts first
    summary = document["summary"]
    assert summary["controls"]["root-usage"] == "FAILED" and summary["controls"]["vpc-changes"] == PROVEN
    assert summary["unproven_controls"] == ["root-usage", "iam-policy-changes"]
    assert document["cis_version"] == "7.0" and document["controls"] == list(EVERY_CONTROL)
    assert [link["link"] for link in trail_unit["links"]] == ["trail", "filter", "alarm", "topic", "chain"]
    assert trail_unit["links"][-1]["check_ids"] == list(CHAIN_CHECK.values())


def test_only_the_selected_controls_are_reported_and_must_be_proven():
    results = [found for found in whole_chain() if found.check_id not in ("TG_AWS_4", "TG_AWS_6")]
    assert exit_code(units(results), False, allow_unproven=False) == EXIT_NOT_PROVEN
    chosen = ("root-usage",)
    assert exit_code(units(results, controls=chosen), False, allow_unproven=False) == EXIT_OK
    text = report(results, controls=chosen)
    assert "the chain holds for root-usage: Trail" in text and "1 of 1 control(s) proven" in text


def test_the_same_reason_on_two_chain_checks_is_shown_on_both():
    internal = "internal error in trailguard (KeyError: 'x'); please report it"
    results = whole_chain(TG_AWS_4=FAILED, TG_AWS_6=FAILED)
    by_id(results, "TG_AWS_4").reasons = by_id(results, "TG_AWS_6").reasons = [internal]
    text = report(results)
    assert text.count(internal) == 2 and "shown above" not in text


@given(st.lists(st.sampled_from([PASSED, FAILED, SKIPPED, None]), min_size=15, max_size=15), st.booleans())
def test_what_a_report_claims_follows_from_the_chain_checks_alone(outcomes, with_monitoring_unit):
    """For any outcome of the chain checks (None: no result), "the chain holds" is said of a control exactly when its
    check passed, a control is PROVEN exactly then, and exit 3 means nothing failed but some control is unproven."""
    chosen = dict(zip(EVERY_CONTROL, outcomes))
    results = [found for found in whole_chain(**{CHAIN_CHECK[c]: o for c, o in chosen.items() if o})
               if found.check_id not in [CHAIN_CHECK[c] for c, o in chosen.items() if o is None]]
    if with_monitoring_unit:
        results += monitoring_only("monitoring/alarms.yaml")
    found = units(results)
    lines = report(results, verbose=True).splitlines()
    for control, outcome in chosen.items():
        line = next((line for line in lines if line.startswith("        ") and f" {control} [" in line), "")
        assert ("the chain holds" in line) == (outcome == PASSED)
        assert (to_json(found, [])["summary"]["controls"][control] == PROVEN) == (outcome == PASSED)
    failing = any(blocks(each) for each in results)
    expected = EXIT_FINDINGS if failing else EXIT_OK if all(o == PASSED for o in outcomes) else EXIT_NOT_PROVEN
    assert exit_code(found, False, allow_unproven=False) == expected


# --- the chain's own reasons -----------------------------------------------------------------------------------------

def test_the_chain_line_does_not_repeat_a_cause_shown_failing_above():
    results = whole_chain(TG_AWS_4=FAILED, TG_AWS_2=FAILED)
    by_id(results, "TG_AWS_4").reasons = [CHAIN_BREAKS, f"filter Filter: {CAUSE}"]
    by_id(results, "TG_AWS_2").reasons = [CAUSE]
    lines = report(results, verbose=True).splitlines()
    chain = next(index for index, line in enumerate(lines) if "unauthorized-api-calls [TG_AWS_4]" in line)
    assert lines[chain + 1].strip() == CHAIN_BREAKS and "console-signin-without-mfa" in lines[chain + 2]


def test_the_chain_line_shows_the_cause_of_a_skipped_link():
    results = whole_chain(TG_AWS_4=FAILED, TG_AWS_2=SKIPPED)
    by_id(results, "TG_AWS_4").reasons = [CHAIN_BREAKS, f"filter Filter: {CAUSE}"]
    by_id(results, "TG_AWS_2").skip_reason = "pattern owned by the platform team"
    text = report(results, verbose=True)
    assert "skipped: pattern owned by the platform team" in text
    assert "filter Filter: it counts calls that were not denied" in text and "shown above" not in text
    assert "the filter check of Filter is skipped here (pattern owned by the platform team); a skip does not prove " \
           "the link, so the chain still breaks: fix the link, or skip TG_AWS_4 with the reason" in text


def test_a_chain_whose_every_reason_is_shown_above_points_at_the_rows():
    internal = "internal error in trailguard (KeyError: 'x'); please report it"
    results = whole_chain(TG_AWS_4=FAILED, TG_AWS_2=FAILED)
    by_id(results, "TG_AWS_4").reasons = by_id(results, "TG_AWS_2").reasons = [internal]
    assert "the causes are shown above, on filter Filter [TG_AWS_2]" in report(results)


def test_a_message_joining_other_reasons_is_shown_once():
    merged = result("TG_AWS_4", "Trail", FAILED, ["when A: x; fix", "when A: y", "when A: x; fix; when A: y"])
    assert distinct_reasons(merged) == ["when A: x; fix", "when A: y"]


# --- the advisory check ----------------------------------------------------------------------------------------------

def test_an_advisory_failure_warns_without_failing_unless_asked():
    results = whole_chain(TG_AWS_5=FAILED)
    by_id(results, "TG_AWS_5").reasons = ["nobody is subscribed to the topic in this deployment"]
    text = report(results)
    assert text.startswith(f"warn  {UNIT}  (CloudFormation template)  the chain holds for all 15 controls:")
    assert "  warn  topic   Topic [TG_AWS_5]" in text and "1 advisory warning(s) (TG_AWS_5)" in text
    assert exit_code(units(results), False, allow_unproven=False) == EXIT_OK
    assert exit_code(units(results, fail_on="LOW"), False, allow_unproven=False) == EXIT_FINDINGS
    assert report(results, fail_on="LOW").startswith(f"FAIL  {UNIT}")
    assert to_json(units(results), [])["units"][0]["result"] == "WARNING"


def test_sarif_says_when_a_control_is_not_proven():
    log = to_sarif(monitoring_only(), [], units(monitoring_only()), {"cis_version": "4.0"})
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [note["level"] for note in notes] == ["warning"] and "NOT PROVEN" in notes[0]["message"]["text"]
    assert log["runs"][0]["properties"]["cis-version"] == "4.0"
    assert set(log["runs"][0]["properties"]["controls"].values()) == {"NOT PROVEN"}
    proven = whole_chain()
    log = to_sarif(proven, [], units(proven))
    assert log["runs"][0]["invocations"][0]["toolExecutionNotifications"] == []
    assert set(log["runs"][0]["properties"]["controls"].values()) == {PROVEN}


def test_sarif_has_a_rule_per_check_and_each_chain_result_says_only_its_own_reasons():
    from trailguard.catalog import CHECKS

    results = whole_chain(TG_AWS_7=FAILED, TG_AWS_2=FAILED)
    by_id(results, "TG_AWS_7").reasons = ["no metric filter for root-usage", f"filter Filter: {CAUSE}"]
    by_id(results, "TG_AWS_2").reasons = [CAUSE]
    run = to_sarif(results, [], units(results))["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == list(CHECKS) and len(CHECKS) == 19
    messages = {found["ruleId"]: found["message"]["text"] for found in run["results"]}
    assert messages == {"TG_AWS_2": f"Filter: {CAUSE}", "TG_AWS_7": "Trail: no metric filter for root-usage"}


# --- on recorded real scanner output -------------------------------------------------------------------------------

def test_every_control_proven_is_exit_0_on_one_line():
    code, text = replay("all_controls")
    assert code == EXIT_OK, text
    assert "pass  tests/fixtures/recorded/inputs/all_controls.yaml  (CloudFormation template)  the chain holds for " \
           "all 15 controls: Trail -> 15 metric filters -> 15 alarms -> AlarmTopic" in text
    assert text.rstrip().endswith("all passing; 0 failed check result(s). 15 of 15 control(s) proven by a trail in "
                                  "this scan.")


def test_a_monitoring_only_scan_exits_3_and_allow_unproven_exits_0():
    code, text = replay("monitoring_only")  # every control's filter and alarm, no trail
    assert code == EXIT_NOT_PROVEN, text
    assert "not proven here: no trail in this unit (it proves the filter and alarm checks only)" in text
    assert "the chain holds" not in text and "0 of 15 control(s) proven by a trail in this scan" in text
    assert replay("monitoring_only", "--allow-unproven")[0] == EXIT_OK


def test_a_topic_nobody_subscribes_to_fails_only_when_asked():
    code, text = replay("topic_without_subscription", "--check", "unauthorized-api-calls")
    assert code == EXIT_OK, text
    assert "warn  topic   AlarmTopic [TG_AWS_5]" in text
    assert replay("topic_without_subscription", "--check", "unauthorized-api-calls", "--fail-on-advisory")[0] == \
        EXIT_FINDINGS
