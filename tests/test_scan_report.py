"""What `trailguard scan` may claim, from merged results: in-process on `Result`s, and on recorded real scanner output
(tests/scan_replay.py).

docs/rules.md: a chain "holds" only where TG_AWS_4 passed; a unit without a trail proves the filter and alarm checks
only and says "not proven here: no trail in this unit"; a scan in which no trail proves the control says so and is not a
pass (exit 3 unless `--allow-unproven`); TG_AWS_5 is advisory, shown but not failing unless asked.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Dict, List, Optional

from tests.scan_replay import replay
from trailguard.scan.chain import distinct_reasons, units
from trailguard.scan.command import EXIT_FINDINGS, EXIT_NOT_PROVEN, EXIT_OK, exit_code
from trailguard.scan.document import to_json
from trailguard.scan.inventory import declared
from trailguard.scan.report import render
from trailguard.scan.results import CFN_TEMPLATE as CLOUDFORMATION
from trailguard.scan.results import FAILED, PASSED, SKIPPED, Result

UNIT = "stacks/security.yaml"
# An alarm pack for other CIS controls (root usage, sign-in without MFA, IAM policy changes): no trail, and no filter
# about unauthorized API calls.
ALARM_PACK = (Path(__file__).parent / "fixtures" / "alarm_pack" / "cis_alarms.yaml").read_text()
CHAIN_BREAKS = "the chain breaks at the pattern of filter Filter (TG_AWS_2); fix that link"
CAUSE = "it counts calls that were not denied, for example this call: {\"eventName\": \"GetObject\"}"


def result(check_id: str, resource: str, outcome: str = PASSED, reasons: Optional[List[str]] = None,
           unit: str = UNIT, skip_reason: Optional[str] = None) -> Result:
    return Result(unit, CLOUDFORMATION, check_id, resource, unit, 1, outcome, reasons or [], ["checkov"], skip_reason)


def monitoring_only(unit: str = UNIT) -> List[Result]:
    return [result("TG_AWS_2", "Filter", unit=unit), result("TG_AWS_3", "Filter", unit=unit),
            result("TG_AWS_5", "Topic", unit=unit)]


def whole_chain(unit: str = UNIT, **outcomes: str) -> List[Result]:
    return [result("TG_AWS_1", "Trail", outcomes.get("trail", PASSED), unit=unit),
            result("TG_AWS_4", "Trail", outcomes.get("chain", PASSED), unit=unit)] + [
        result(r.check_id, r.resource, outcomes.get(r.check_id, PASSED), unit=unit) for r in monitoring_only(unit)]


def report(results: List[Result], verbose: bool = False, fail_on: str = "MEDIUM",
           found: Optional[Dict] = None) -> str:
    out = io.StringIO()
    render(units(results, found, fail_on), [], out, False, verbose)
    return out.getvalue()


# --- a unit without a trail ------------------------------------------------------------------------------------------

def test_a_unit_without_a_trail_is_not_proven_and_never_holds():
    text = report(monitoring_only())
    assert text.splitlines()[0] == (f"part  {UNIT}  (CloudFormation template)  not proven here: no trail in this unit "
                                    "(it proves the filter and alarm checks only)")
    assert "the chain holds" not in text and "all passing" not in text
    assert text.splitlines()[-1] == ("1 deployment unit(s): nothing failed, but NOT PROVEN; 0 failed check result(s). "
                                     "No trail in this scan proves that unauthorized API calls are monitored "
                                     "(TG_AWS_4). That is exit 3, not a pass; --allow-unproven where the trail is "
                                     "deployed from elsewhere.")


def test_a_scan_nothing_proves_exits_3_unless_the_split_is_declared():
    found = units(monitoring_only())
    assert exit_code(found, False, allow_unproven=False) == EXIT_NOT_PROVEN
    assert exit_code(found, False, allow_unproven=True) == EXIT_OK
    assert exit_code([], False, allow_unproven=False) == EXIT_OK  # nothing declared at all: nothing to prove


def test_a_split_layout_scanned_whole_passes_and_names_the_unit_that_proves_nothing():
    results = whole_chain("trail-account/main.yaml") + monitoring_only("monitoring/alarms.yaml")
    text = report(results)
    assert "pass  trail-account/main.yaml  (CloudFormation template)  the chain holds: Trail -> Filter" in text
    assert "part  monitoring/alarms.yaml" in text
    assert "2 deployment unit(s): nothing failed; 1 prove the control, 1 do not prove it here" in text
    assert exit_code(units(results), False, allow_unproven=False) == EXIT_OK


def test_an_alarm_pack_without_this_control_says_what_it_holds(tmp_path):
    (tmp_path / "alarms.yaml").write_text(ALARM_PACK)
    found = declared([tmp_path])
    name = next(iter(found))
    text = report([], found=found)
    assert f"part  {name}  (CloudFormation template)  not proven here: no trail in this unit (found 3 metric " \
           "filters, 3 alarms and 1 SNS topic, none about unauthorized API calls)" in text
    assert "nothing to prove" not in text
    assert exit_code(units([], found), False, allow_unproven=False) == EXIT_NOT_PROVEN


def test_alarms_and_topics_alone_are_not_about_the_control(tmp_path):
    template = ALARM_PACK.split("  RootAccountUsageFilter:")[0]  # the parameter and the topic only
    (tmp_path / "notifications.yaml").write_text(template)
    found = declared([tmp_path])
    assert [unit.describe() for unit in found.values()] == ["1 SNS topic"]
    assert units([], found) == [] and exit_code(units([], found), False, allow_unproven=False) == EXIT_OK
    assert "nothing to prove" in report([], found=found)


def test_a_failing_unit_without_a_trail_says_so_on_its_trail_row():
    results = monitoring_only()
    results[0] = result("TG_AWS_2", "Filter", FAILED, [CAUSE])
    text = report(results)
    assert "  ----  trail   not proven here: no trail in this unit" in text
    assert exit_code(units(results), False, allow_unproven=True) == EXIT_FINDINGS


# --- the chain row ---------------------------------------------------------------------------------------------------

def test_the_chain_row_does_not_repeat_a_cause_shown_failing_above():
    results = whole_chain(chain=FAILED, TG_AWS_2=FAILED)
    results[1].reasons = [CHAIN_BREAKS, f"filter Filter: {CAUSE}"]
    results[2].reasons = [CAUSE]
    lines = report(results).splitlines()
    chain = lines.index(next(line for line in lines if line.startswith("  FAIL  chain")))
    assert lines[chain + 1].strip() == CHAIN_BREAKS and chain + 2 == len(lines) - 2  # then a blank and the summary


def test_the_chain_row_shows_the_cause_of_a_skipped_link():
    results = whole_chain(chain=FAILED, TG_AWS_2=SKIPPED)
    results[1].reasons = [CHAIN_BREAKS, f"filter Filter: {CAUSE}"]
    results[2].skip_reason = "pattern owned by the platform team"
    text = report(results)
    assert "skipped: pattern owned by the platform team" in text
    assert "filter Filter: it counts calls that were not denied" in text and "shown above" not in text
    assert "the filter check of Filter is skipped here (pattern owned by the platform team); a skip does not prove " \
           "the link" in text


def test_a_chain_whose_every_reason_is_shown_above_points_at_the_rows():
    internal = "internal error in trailguard (KeyError: 'x'); please report it"
    results = whole_chain(chain=FAILED, TG_AWS_2=FAILED)
    results[1].reasons, results[2].reasons = [internal], [internal]
    assert "the causes are shown above, on filter Filter [TG_AWS_2]" in report(results)


def test_a_message_joining_other_reasons_is_shown_once():
    merged = result("TG_AWS_4", "Trail", FAILED, ["when A: x; fix", "when A: y", "when A: x; fix; when A: y"])
    assert distinct_reasons(merged) == ["when A: x; fix", "when A: y"]


# --- the advisory check ----------------------------------------------------------------------------------------------

def test_an_advisory_failure_warns_without_failing_unless_asked():
    results = whole_chain(TG_AWS_5=FAILED)
    results[-1].reasons = ["nobody is subscribed to the topic in this deployment"]
    text = report(results)
    assert text.startswith(f"warn  {UNIT}  (CloudFormation template)  the chain holds:")
    assert "  warn  topic   Topic [TG_AWS_5]" in text and "1 advisory warning(s) (TG_AWS_5)" in text
    assert exit_code(units(results), False, allow_unproven=False) == EXIT_OK
    assert exit_code(units(results, fail_on="LOW"), False, allow_unproven=False) == EXIT_FINDINGS
    assert report(results, fail_on="LOW").startswith(f"FAIL  {UNIT}")
    assert to_json(units(results), [])["units"][0]["result"] == "WARNING"


def test_json_says_whether_the_control_is_proven():
    document = to_json(units(monitoring_only()), [])
    assert document["units"][0]["proven"] is False and document["summary"]["control_proven"] is False
    assert document["units"][0]["note"].startswith("not proven here: no trail in this unit")
    assert [item["link"] for item in document["units"][0]["links"]] == ["trail", "filter", "alarm", "topic", "chain"]


def test_sarif_says_when_nothing_proves_the_control():
    from trailguard.scan.sarif import to_sarif

    notes = to_sarif(monitoring_only(), [], units(monitoring_only()))["runs"][0]["invocations"][0][
        "toolExecutionNotifications"]
    assert [note["level"] for note in notes] == ["warning"] and "NOT PROVEN" in notes[0]["message"]["text"]
    proven = whole_chain()
    assert to_sarif(proven, [], units(proven))["runs"][0]["invocations"][0]["toolExecutionNotifications"] == []


# --- on recorded real scanner output -------------------------------------------------------------------------------

def test_a_monitoring_only_scan_exits_3_and_allow_unproven_exits_0():
    code, text = replay("monitoring_only")  # the alarm pack fixture and a compliant monitoring-only template
    assert code == EXIT_NOT_PROVEN, text
    assert "none about unauthorized API calls" in text and "the chain holds" not in text
    assert "No trail in this scan proves that unauthorized API calls are monitored" in text
    assert replay("monitoring_only", "--allow-unproven")[0] == EXIT_OK


def test_a_topic_nobody_subscribes_to_fails_only_when_asked():
    code, text = replay("topic_without_subscription")
    assert code == EXIT_OK, text
    assert "warn  topic   AlarmTopic [TG_AWS_5]" in text
    assert replay("topic_without_subscription", "--fail-on-advisory")[0] == EXIT_FINDINGS
