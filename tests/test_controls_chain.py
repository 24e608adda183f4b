"""The chain checks of every CIS monitoring control on model objects (TG_AWS_4, TG_AWS_6 ... TG_AWS_19): one unit
carrying all fifteen controls right, then the ways a control is covered by several filters or not, and the CIS
version setting."""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trailguard.catalog import CHECKS
from trailguard.controls import CONTROLS, by_slug
from trailguard.controls import iam_policy_changes as iam
from trailguard.controls import security_group_changes as security_groups
from trailguard.findings import FAILED, PASSED, Finding
from trailguard.model import (
    ActionTarget,
    Alarm,
    LogGroup,
    MetricFilter,
    MetricStat,
    MetricTransformation,
    Model,
    Ref,
    Subscription,
    Topic,
    Trail,
)
from trailguard.rules.analysis import CIS_VERSION_VARIABLE, analyse

GROUP_REF = Ref(resource="aws_cloudwatch_log_group.trail")
TOPIC_ACTION = ActionTarget("aws_sns_topic.alerts.arn", True, Ref(resource="aws_sns_topic.alerts"))
CHAIN_CHECKS = {check.chain_control: check.id for check in CHECKS.values() if check.chain_control}


def _filter_and_alarm(key: str, pattern: str, alarmed: bool = True) -> List[object]:
    metric = f"{key}Count"
    found: List[object] = [MetricFilter(
        f"aws_cloudwatch_log_metric_filter.{key}", "aws_cloudwatch_log_metric_filter", name=key,
        log_group=GROUP_REF, pattern=pattern, transformations=(MetricTransformation(metric, "CISBenchmark"),))]
    if alarmed:
        found.append(Alarm(f"aws_cloudwatch_metric_alarm.{key}", "aws_cloudwatch_metric_alarm",
                           metric=MetricStat(metric, "CISBenchmark", "Sum"), threshold=1.0,
                           comparison="GreaterThanOrEqualToThreshold", alarm_actions=(TOPIC_ACTION,)))
    return found


def unit(patterns: Dict[str, str], unalarmed: Sequence[str] = ()) -> Model:
    """A trail and, per key, a filter with that pattern on its log group and (unless named) an alarm."""
    built = Model("terraform")
    for resource in (
        Trail("aws_cloudtrail.main", "aws_cloudtrail", multi_region=True, log_group=GROUP_REF,
              log_role="arn:aws:iam::111122223333:role/trail-to-logs"),
        LogGroup("aws_cloudwatch_log_group.trail", "aws_cloudwatch_log_group", name="cloudtrail"),
        Topic("aws_sns_topic.alerts", "aws_sns_topic", name="alerts"),
        Subscription("aws_sns_topic_subscription.oncall", "aws_sns_topic_subscription",
                     topic=Ref(resource="aws_sns_topic.alerts"), protocol="email"),
    ):
        built.add(resource)
    for key, pattern in patterns.items():
        for resource in _filter_and_alarm(key, pattern, key not in unalarmed):
            built.add(resource)
    return built


def every_control() -> Dict[str, str]:
    return {control.slug.replace("-", "_"): control.canonical for control in CONTROLS}


def chains(built: Model, cis_version: Optional[str] = None) -> Dict[str, Finding]:
    return {f.check_id: f for f in analyse(built, cis_version) if CHECKS[f.check_id].chain_control}


def test_a_unit_with_every_control_right_passes_every_check():
    findings = analyse(unit(every_control()))
    assert {f.check_id for f in findings} == set(CHECKS)
    assert [f for f in findings if f.result != PASSED] == []


@pytest.mark.parametrize("control", CONTROLS, ids=lambda control: control.slug)
def test_a_missing_control_fails_only_its_own_chain_and_says_what_to_paste(control):
    patterns = every_control()
    del patterns[control.slug.replace("-", "_")]
    found = chains(unit(patterns))
    assert {check for check, finding in found.items() if finding.result == FAILED} == {CHAIN_CHECKS[control.slug]}
    reason = found[CHAIN_CHECKS[control.slug]].reasons[0]
    assert f"no metric filter for {control.slug}" in reason and control.canonical in reason


def _iam_filter(names: Sequence[str]) -> str:
    return "{ ($.eventSource = iam.amazonaws.com) && (" + " || ".join(f"($.eventName = {n})" for n in names) + ") }"


def test_two_filters_splitting_a_control_cover_it_together():
    half = len(iam.NAMES) // 2
    built = unit({"inline_policies": _iam_filter(iam.NAMES[:half]), "managed_policies": _iam_filter(iam.NAMES[half:])})
    chain = chains(built)["TG_AWS_8"]
    assert chain.result == PASSED
    assert any("together count every event of iam-policy-changes" in line for line in chain.details)
    for key in ("inline_policies", "managed_policies"):
        judged = next(f for f in analyse(built) if f.check_id == "TG_AWS_2" and f.resource.id.endswith(key))
        assert judged.result == PASSED, judged.reasons
        assert any("together they cover the control" in line for line in judged.details)


def test_a_split_control_whose_second_filter_has_no_alarm_names_the_gap():
    half = len(iam.NAMES) // 2
    built = unit({"inline_policies": _iam_filter(iam.NAMES[:half]), "managed_policies": _iam_filter(iam.NAMES[half:])},
                 unalarmed=("managed_policies",))
    chain = chains(built)["TG_AWS_8"]
    assert chain.result == FAILED
    assert chain.reasons[0].startswith(
        "the chain breaks at the alarm of filter aws_cloudwatch_log_metric_filter.managed_policies (TG_AWS_3)")
    assert any("no alarm watches" in reason for reason in chain.reasons)
    assert any(name in " ".join(chain.reasons) for name in iam.NAMES[half:])


def test_filters_with_alarms_that_leave_calls_uncounted_are_named_together():
    built = unit({"inline_policies": _iam_filter(iam.NAMES[:4]), "managed_policies": _iam_filter(iam.NAMES[4:8])})
    chain = chains(built)["TG_AWS_8"]
    assert chain.result == FAILED
    assert "filters with a working alarm (aws_cloudwatch_log_metric_filter.inline_policies, " in chain.reasons[0]
    assert any(name in " ".join(chain.reasons) for name in iam.NAMES[8:])


@given(st.lists(st.integers(min_value=0, max_value=3), min_size=len(iam.NAMES), max_size=len(iam.NAMES)))
def test_a_control_split_any_way_holds_exactly_when_nothing_is_left_out(owners):
    """Each IAM call goes to one of three filters, or (3) to none: the chain holds iff no call is left out."""
    parts: Dict[str, List[str]] = {}
    for name, owner in zip(iam.NAMES, owners):
        if owner < 3:
            parts.setdefault(f"iam_part_{owner}", []).append(name)
    built = unit({key: _iam_filter(names) for key, names in parts.items()})
    held = chains(built)["TG_AWS_8"].result == PASSED
    assert held == (3 not in owners)


def test_a_noisy_filter_beside_a_right_one_does_not_break_the_chain():
    built = unit({"iam": iam.CANONICAL, "iam_everything": '{ $.eventSource = "iam.amazonaws.com" }'})
    assert chains(built)["TG_AWS_8"].result == PASSED
    noisy = next(f for f in analyse(built) if f.check_id == "TG_AWS_2" and f.resource.id.endswith("iam_everything"))
    assert noisy.result == FAILED


# --- the CIS version ----------------------------------------------------------------------------------------------

def _security_groups(pattern: str) -> Dict[str, str]:
    patterns = every_control()
    patterns["security_group_changes"] = pattern
    return patterns


@pytest.mark.parametrize("version, expected", [("4.0", PASSED), ("1.2", PASSED), ("5.0", FAILED), (None, FAILED)])
def test_the_six_name_security_group_text_passes_before_cis_v5_only(version, expected):
    built = unit(_security_groups(security_groups.SIX_TEXT))
    assert chains(built, version)["TG_AWS_14"].result == expected


def test_the_environment_variable_sets_the_version(monkeypatch):
    built = unit(_security_groups(security_groups.SIX_TEXT))
    monkeypatch.setenv(CIS_VERSION_VARIABLE, "v4.0.0")
    assert chains(built)["TG_AWS_14"].result == PASSED


def test_organizations_changes_is_not_judged_before_cis_v13():
    found = chains(unit(every_control()), "1.2")
    assert "TG_AWS_19" not in found and all(finding.result == PASSED for finding in found.values())
    assert not [f for f in analyse(unit(every_control()), "1.2") if f.resource.id.endswith("organizations_changes")
                and f.check_id in ("TG_AWS_2", "TG_AWS_3")]


def test_an_unknown_version_fails_every_check_naming_the_known_ones(monkeypatch):
    monkeypatch.setenv(CIS_VERSION_VARIABLE, "8.1")
    findings = analyse(unit(every_control()))
    assert findings and all(f.result == FAILED for f in findings)
    assert {f.check_id for f in findings} == set(CHECKS)
    assert "unknown CIS version '8.1'" in findings[0].reasons[0] and "7.0" in findings[0].reasons[0]
    assert CIS_VERSION_VARIABLE in findings[0].reasons[0]


def test_a_passing_filter_says_which_control_and_what_security_hub_would_say():
    built = unit({"root_usage": by_slug("root-usage").security_hub_text})
    judged = next(f for f in analyse(built) if f.check_id == "TG_AWS_2")
    assert judged.result == PASSED
    assert judged.details[0].startswith("judged as the filter of root-usage (CIS v7.0 5.3, Security Hub CloudWatch.1)")
    assert "Security Hub CloudWatch.1 would accept this pattern" in " ".join(judged.details)


def test_a_failing_filter_gives_the_pattern_to_paste():
    built = unit({"iam": _iam_filter(iam.NAMES[:3])})
    judged = next(f for f in analyse(built) if f.check_id == "TG_AWS_2")
    assert judged.result == FAILED
    assert any(reason.startswith("the pattern to paste (CIS v7.0): ") and iam.CANONICAL in reason
               for reason in judged.reasons)
    assert "for information: Security Hub" not in " ".join(judged.reasons)  # information, not a reason to fail


def test_a_counterexample_is_shown_once_when_completing_records_makes_two_alike():
    from trailguard.controls import judge

    verdict = judge("{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || "
                    "($.eventName = ScheduleKeyDeletion)) && ($.errorCode NOT EXISTS) }", "cmk-disable-or-deletion")
    events = [example.event for example in verdict.counterexamples]
    assert events and all(events.count(event) == 1 for event in events)


@pytest.mark.parametrize("pattern, slug, call", [
    ('{ ($.eventSource = ec2.amazonaws.com) && ($.eventName = "*NetworkAcl*") }', "nacl-changes",
     "DescribeNetworkAcls"),
    ('{ $.eventName = "*Vpc*" }', "vpc-changes", "DescribeVpcs"),
])
def test_a_wildcard_on_a_controls_calls_names_the_control_and_shows_a_real_call(pattern, slug, call):
    from trailguard.controls import judge
    from trailguard.controls.classify import classify

    assert classify(pattern).control is by_slug(slug)
    noise = judge(pattern, slug).noise
    assert noise and noise[0]["eventName"] == call and noise[0]["eventSource"] == "ec2.amazonaws.com"
