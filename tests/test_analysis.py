"""The checks on model objects: one compliant unauthorized-calls deployment, then every link broken one at a time.

The chain checks of the other controls fail on a unit that carries unauthorized calls only; these tests look at the
checks of that one control (`results`), and tests/test_controls_chain.py at the others."""

from dataclasses import replace

import pytest

from tests.unauthorized_calls import CHECK_IDS
from trailguard.findings import FAILED, PASSED
from trailguard.model import (
    ActionTarget,
    AdvancedEventSelector,
    Alarm,
    BasicEventSelector,
    FieldSelector,
    LogGroup,
    MetricFilter,
    MetricQuery,
    MetricStat,
    MetricTransformation,
    Model,
    Ref,
    Subscription,
    Topic,
    Trail,
    Unknown,
)
from trailguard.rules.analysis import analyse
from trailguard.rules.membership import control_of

CIS = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'
OR_BUG = ('{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || '
          '($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }')
TOPIC_ACTION = ActionTarget("aws_sns_topic.alerts.arn", True, Ref(resource="aws_sns_topic.alerts"))

TRAIL = Trail("aws_cloudtrail.main", "aws_cloudtrail", multi_region=True,
              log_group=Ref(resource="aws_cloudwatch_log_group.trail"),
              log_role="arn:aws:iam::111122223333:role/trail-to-logs")
GROUP = LogGroup("aws_cloudwatch_log_group.trail", "aws_cloudwatch_log_group", name="cloudtrail")
FILTER = MetricFilter("aws_cloudwatch_log_metric_filter.unauthorized", "aws_cloudwatch_log_metric_filter",
                      name="unauthorized-api-calls", log_group=Ref(resource="aws_cloudwatch_log_group.trail"),
                      pattern=CIS, transformations=(MetricTransformation("UnauthorizedAPICalls", "CISBenchmark"),))
ALARM = Alarm("aws_cloudwatch_metric_alarm.unauthorized", "aws_cloudwatch_metric_alarm",
              metric=MetricStat("UnauthorizedAPICalls", "CISBenchmark", "Sum"), threshold=1.0,
              comparison="GreaterThanOrEqualToThreshold", alarm_actions=(TOPIC_ACTION,))
TOPIC = Topic("aws_sns_topic.alerts", "aws_sns_topic", name="alerts")
SUBSCRIPTION = Subscription("aws_sns_topic_subscription.oncall", "aws_sns_topic_subscription",
                            topic=Ref(resource="aws_sns_topic.alerts"), protocol="email")


def model(*resources, framework="terraform"):
    built = Model(framework)
    for resource in resources:
        built.add(resource)
    return built


def compliant(**changes):
    parts = {"trail": TRAIL, "group": GROUP, "filter": FILTER, "alarm": ALARM, "topic": TOPIC,
             "subscription": SUBSCRIPTION}
    parts.update(changes)
    return model(*(part for part in parts.values() if part is not None))


def results(built):
    """The results of the checks that prove unauthorized API calls are monitored."""
    return {(f.check_id, f.resource.id): f.result for f in analyse(built) if f.check_id in CHECK_IDS}


def finding(built, check_id, resource_id=None):
    matching = [f for f in analyse(built) if f.check_id == check_id and (resource_id is None or f.resource.id ==
                                                                         resource_id)]
    assert len(matching) == 1, matching
    return matching[0]


def test_compliant_deployment_passes_everything():
    assert results(compliant()) == {
        ("TG_AWS_1", TRAIL.id): PASSED, ("TG_AWS_4", TRAIL.id): PASSED,
        ("TG_AWS_2", FILTER.id): PASSED, ("TG_AWS_3", FILTER.id): PASSED,
        ("TG_AWS_5", TOPIC.id): PASSED,
    }
    assert finding(compliant(), "TG_AWS_4").details == (
        f"monitored by filter {FILTER.id} alarmed by {ALARM.id}",)


@pytest.mark.parametrize(("trail", "expected"), [
    (replace(TRAIL, multi_region=False), "records only its own region; set is_multi_region_trail = true"),
    (replace(TRAIL, logging=False), "logging is turned off"),
    (replace(TRAIL, global_service_events=False), "global service events"),
    (replace(TRAIL, basic_selectors=(BasicEventSelector(True, "WriteOnly"),)), "does not record management reads;"),
    (replace(TRAIL, basic_selectors=(BasicEventSelector(False, "All"),)), "management reads and writes"),
    (replace(TRAIL, advanced_selectors=(AdvancedEventSelector("data", (FieldSelector("eventCategory", ("Data",)),)),)),
     "management reads and writes"),
    (replace(TRAIL, advanced_selectors=(AdvancedEventSelector("mgmt", (
        FieldSelector("eventCategory", ("Management",)), FieldSelector("readOnly", ("false",)))),)),
     "does not record management reads;"),
    (replace(TRAIL, log_group=None), "does not deliver to CloudWatch Logs"),
    (replace(TRAIL, log_role=None), "no role"),
    (replace(TRAIL, multi_region=Unknown('variable "multi_region"', "has no default", "give it a default")),
     'whether the trail is multi-region cannot be resolved: variable "multi_region" has no default'),
])
def test_each_trail_requirement(trail, expected):
    built = compliant(trail=trail)
    assert results(built)[("TG_AWS_1", TRAIL.id)] == FAILED
    assert results(built)[("TG_AWS_4", TRAIL.id)] == FAILED
    assert any(expected in reason for reason in finding(built, "TG_AWS_1").reasons), finding(built, "TG_AWS_1")


def test_management_selectors_that_record_everything_pass():
    for trail in (
        replace(TRAIL, basic_selectors=(BasicEventSelector(True, "ReadOnly"), BasicEventSelector(True, "WriteOnly"))),
        replace(TRAIL, advanced_selectors=(AdvancedEventSelector("m", (FieldSelector("eventCategory",
                                                                                     ("Management",)),)),)),
    ):
        assert results(compliant(trail=trail))[("TG_AWS_1", TRAIL.id)] == PASSED


def test_the_or_bug_fails_the_pattern_and_the_chain_with_an_event():
    built = compliant(filter=replace(FILTER, pattern=OR_BUG))
    pattern = finding(built, "TG_AWS_2")
    assert pattern.result == FAILED and '"eventName": "GetObject"' in pattern.reasons[0]
    assert finding(built, "TG_AWS_4").result == FAILED
    assert finding(built, "TG_AWS_3").result == PASSED  # the alarm itself is fine


def test_an_unknown_pattern_fails_closed_naming_the_input():
    unknown = Unknown('variable "filter_pattern"', "has no default value", "give it a default or scan the plan JSON")
    built = compliant(filter=replace(FILTER, pattern=unknown))
    reason = finding(built, "TG_AWS_2").reasons[0]
    assert 'variable "filter_pattern" has no default value' in reason and "plan JSON" in reason
    assert finding(built, "TG_AWS_4").result == FAILED


@pytest.mark.parametrize(("alarm", "expected"), [
    (replace(ALARM, metric=MetricStat("UnauthorizedAPICalls", "Custom", "Sum")), "in namespace 'CISBenchmark'"),
    (replace(ALARM, metric=MetricStat("unauthorized-api-calls", "CISBenchmark", "Sum")), "which is the filter's name"),
    (replace(ALARM, metric=MetricStat("UnauthorizedAPICalls", "CISBenchmark", "Average"), threshold=5.0),
     "one call gives Average = 1, which is not >= the threshold 5"),
    (replace(ALARM, datapoints_to_alarm=3, evaluation_periods=3), "needs 3 breaching periods"),
    (replace(ALARM, evaluation_periods=3), "needs 3 breaching periods"),
    (replace(ALARM, actions_enabled=False), "actions are disabled"),
    (replace(ALARM, alarm_actions=(), ok_actions=(TOPIC_ACTION,)), "notifies only when it returns to OK"),
    (replace(ALARM, alarm_actions=(ActionTarget("aws_lambda_function.pager.arn", False),)),
     "none of its alarm actions"),
    (replace(ALARM, alarm_actions=(ActionTarget("var.alarm_topic", Unknown('variable "alarm_topic"', "has no default",
                                                                          "give it a default")),)),
     'variable "alarm_topic" has no default'),
    (replace(ALARM, comparison="LessThanThreshold"), "does not fire when calls raise the metric"),
    (replace(ALARM, threshold=1.0, comparison="GreaterThanThreshold"), "not > the threshold 1"),
    (replace(ALARM, treat_missing_data="breaching"), "fire when no event happened at all"),
    (replace(ALARM, metric=MetricStat("UnauthorizedAPICalls", "CISBenchmark", "Sum", unit="Seconds")),
     "unit 'Seconds'"),
    (replace(ALARM, metric=MetricStat("UnauthorizedAPICalls", "CISBenchmark", "Sum", dimensions=(("Region", "x"),))),
     "dimensions (Region) that the filter does not publish"),
    (replace(ALARM, metric=None, queries=(
        MetricQuery("m1", MetricStat("UnauthorizedAPICalls", "CISBenchmark", "Sum")),
        MetricQuery("e1", expression="RATE(m1)", returns=True))), "metric-math expression"),
])
def test_each_alarm_requirement(alarm, expected):
    built = compliant(alarm=alarm)
    check = finding(built, "TG_AWS_3")
    assert check.result == FAILED
    assert any(expected in reason for reason in check.reasons), check.reasons
    assert check.reasons[0].startswith(f"alarm {ALARM.id}: ") or "no alarm" in check.reasons[0]
    assert finding(built, "TG_AWS_4").result == FAILED


def test_alarm_on_metric_query_returning_the_metric_passes():
    alarm = replace(ALARM, metric=None, queries=(
        MetricQuery("m1", MetricStat("UnauthorizedAPICalls", "CISBenchmark", "Sum"), returns=True),))
    assert finding(compliant(alarm=alarm), "TG_AWS_3").result == PASSED


def test_filter_side_alarm_requirements():
    dimensions = replace(FILTER, transformations=(MetricTransformation("UnauthorizedAPICalls", "CISBenchmark",
                                                                       dimensions=(("EventName", "$.eventName"),)),))
    assert "publishes the metric with dimensions" in finding(compliant(filter=dimensions), "TG_AWS_3").reasons[0]
    dynamic = replace(FILTER, transformations=(
        MetricTransformation("UnauthorizedAPICalls", "CISBenchmark", "$.count"),))
    assert "not a fixed number" in finding(compliant(filter=dynamic), "TG_AWS_3").reasons[0]
    average_default = replace(FILTER, transformations=(MetricTransformation("UnauthorizedAPICalls", "CISBenchmark",
                                                                            default_value=0.0),))
    alarm = replace(ALARM, metric=MetricStat("UnauthorizedAPICalls", "CISBenchmark", "Average"))
    check = finding(compliant(filter=average_default, alarm=alarm), "TG_AWS_3")
    assert "default value" in check.reasons[0]
    assert finding(compliant(filter=average_default), "TG_AWS_3").result == PASSED  # Sum with default 0 is fine


def test_no_alarm_at_all():
    check = finding(compliant(alarm=None), "TG_AWS_3")
    assert check.reasons == ("no alarm watches the filter's metric 'UnauthorizedAPICalls' in namespace 'CISBenchmark'; "
                             "add an aws_cloudwatch_metric_alarm on the filter's metric_transformation name and "
                             "namespace",)


def test_filter_on_another_log_group_breaks_the_chain():
    other = LogGroup("aws_cloudwatch_log_group.app", "aws_cloudwatch_log_group", name="app")
    built = compliant(filter=replace(FILTER, log_group=Ref(resource=other.id)))
    built.add(other)
    assert results(built)[("TG_AWS_4", TRAIL.id)] == FAILED
    assert "no metric filter for unauthorized-api-calls" in finding(built, "TG_AWS_4").reasons[0]
    assert results(built)[("TG_AWS_2", FILTER.id)] == PASSED


def test_literal_names_link_like_references():
    trail = replace(TRAIL, log_group=Ref(name="cloudtrail"))
    metric_filter = replace(FILTER, log_group=Ref(name="cloudtrail"))
    assert results(compliant(trail=trail, filter=metric_filter, group=None))[("TG_AWS_4", TRAIL.id)] == PASSED
    mixed = compliant(filter=replace(FILTER, log_group=Ref(name="cloudtrail")))
    assert results(mixed)[("TG_AWS_4", TRAIL.id)] == PASSED


def test_topic_without_subscription_warns():
    built = compliant(subscription=None)
    assert results(built)[("TG_AWS_5", TOPIC.id)] == FAILED
    assert results(built)[("TG_AWS_4", TRAIL.id)] == PASSED


def test_each_filter_is_judged_for_the_control_it_belongs_to():
    sign_ins = '{ $.userIdentity.type = "Root" && $.eventName = "ConsoleLogin" }'
    root = MetricFilter("aws_cloudwatch_log_metric_filter.root", "aws_cloudwatch_log_metric_filter", name="root-usage",
                        log_group=FILTER.log_group, pattern=sign_ins,
                        transformations=(MetricTransformation("RootUsage", "CISBenchmark"),))
    assert control_of(root, "7.0").slug == "root-usage"
    assert control_of(replace(root, pattern="", name="UnauthorizedCalls"), "7.0").slug == "unauthorized-api-calls"
    assert control_of(replace(root, pattern='{ $.errorCode = "accessdenied" }'), "7.0").slug == "unauthorized-api-calls"
    broken = replace(root, name="x", pattern='{ ($.errorCode = "AccessDenied" ')  # AWS rejects it; still ours to judge
    assert control_of(broken, "7.0").slug == "unauthorized-api-calls"
    built = compliant()
    built.add(root)
    judged = finding(built, "TG_AWS_2", root.id)
    assert judged.result == FAILED  # it counts the root user's sign-ins only
    assert any("judged as the filter of root-usage" in reason for reason in judged.reasons)
    assert finding(built, "TG_AWS_7").result == FAILED
    assert ("TG_AWS_2", FILTER.id) in results(built) and results(built)[("TG_AWS_4", TRAIL.id)] == PASSED


def test_an_internal_error_is_a_visible_failure(monkeypatch, caplog):
    import trailguard.rules.pattern as analysis

    def explode(*_):
        raise RuntimeError("boom")

    monkeypatch.setattr(analysis, "pattern_outcome", explode)
    built = compliant()
    check = finding(built, "TG_AWS_2")
    assert check.result == FAILED and "internal error" in check.reasons[0] and "boom" in check.reasons[0]
    assert "Traceback" in caplog.text or "boom" in caplog.text
    assert finding(built, "TG_AWS_4").result == FAILED


def test_cloudformation_advice_uses_cloudformation_names():
    built = compliant(trail=replace(TRAIL, multi_region=False))
    built.framework = "cloudformation"
    assert "IsMultiRegionTrail: true" in finding(built, "TG_AWS_1").reasons[0]


# --- links by reference identity (docs/rules.md, "Unknown values") ---------------------------------------------------

NO_NAME = Unknown('variable "log_group_name"', "has no default and no value in a tfvars file", "give it a default")


@pytest.mark.parametrize("name", [NO_NAME, None], ids=["unknown input", "generated by AWS"])
def test_two_references_to_one_log_group_link_whatever_its_name(name):
    built = compliant(group=replace(GROUP, name=name))
    assert results(built)[("TG_AWS_4", TRAIL.id)] == PASSED
    assert finding(built, "TG_AWS_4").details[0].startswith(f"monitored by filter {FILTER.id}")


def test_a_literal_name_links_to_the_resource_with_that_literal_name():
    by_name = compliant(trail=replace(TRAIL, log_group=Ref(name="cloudtrail")))
    assert results(by_name)[("TG_AWS_4", TRAIL.id)] == PASSED
    other_name = compliant(trail=replace(TRAIL, log_group=Ref(name="other")))
    assert "no metric filter for unauthorized-api-calls" in finding(other_name, "TG_AWS_4").reasons[0]


def test_a_literal_name_against_an_unknown_name_is_undecided_and_says_why():
    built = compliant(group=replace(GROUP, name=NO_NAME), trail=replace(TRAIL, log_group=Ref(name="cloudtrail")))
    check = finding(built, "TG_AWS_4")
    assert check.result == FAILED
    assert check.reasons[1].startswith(f"whether filter {FILTER.id} is on the trail's log group cannot be decided: "
                                       'variable "log_group_name" has no default')
    assert "reference the log group resource from both" in check.reasons[1]


def test_two_groups_whose_names_aws_generates_are_different_groups():
    other = LogGroup("aws_cloudwatch_log_group.app", "aws_cloudwatch_log_group", name=None)
    built = compliant(group=replace(GROUP, name=None), filter=replace(FILTER, log_group=Ref(resource=other.id)))
    built.add(other)
    assert "no metric filter for unauthorized-api-calls" in finding(built, "TG_AWS_4").reasons[0]


# --- TG_AWS_4 names the first broken link and only the causes on the path to it ------------------------------------

def test_the_chain_names_the_trail_when_the_trail_breaks_and_nothing_after_it():
    check = finding(compliant(trail=replace(TRAIL, multi_region=False), alarm=None), "TG_AWS_4")
    assert check.reasons[0] == "the chain breaks at the trail itself (TG_AWS_1); fix the trail first"
    assert all(reason.startswith("trail: ") for reason in check.reasons[1:]) and len(check.reasons) == 2


def test_the_chain_names_the_filter_that_gets_furthest_and_only_its_causes():
    bad_pattern = replace(FILTER, id="aws_cloudwatch_log_metric_filter.or_bug", pattern=OR_BUG)
    built = compliant(alarm=replace(ALARM, threshold=5.0))
    built.add(bad_pattern)
    check = finding(built, "TG_AWS_4")
    assert check.reasons[0] == (f"the chain breaks at the alarm of filter {FILTER.id} (TG_AWS_3); fix that link "
                                "(1 other unauthorized-api-calls filter(s) on the log group break no later)")
    assert [reason.split(": ", 1)[0] for reason in check.reasons[1:]] == [f"filter {FILTER.id}"]
    assert "threshold 5" in check.reasons[1] and "GetObject" not in " ".join(check.reasons)


def test_the_chain_names_the_pattern_when_no_filter_gets_past_it():
    check = finding(compliant(filter=replace(FILTER, pattern=OR_BUG)), "TG_AWS_4")
    assert check.reasons[0].startswith(f"the chain breaks at the pattern of filter {FILTER.id} (TG_AWS_2)")
    assert "it counts calls that were not denied" in check.reasons[1]


def test_unresolved_links_of_filters_about_other_things_are_not_causes():
    unknown_link = Unknown("parameter OtherGroup", "has no Default", "give it a Default")
    noise = [MetricFilter(f"aws_cloudwatch_log_metric_filter.other_{index}", "aws_cloudwatch_log_metric_filter",
                          name=f"other-{index}", log_group=unknown_link, pattern='{ $.eventName = "DeleteTrail" }',
                          transformations=(MetricTransformation(f"Other{index}", "CISBenchmark"),))
             for index in range(20)]
    built = compliant(alarm=None)
    for metric_filter in noise:
        built.add(metric_filter)
    check = finding(built, "TG_AWS_4")
    assert len(check.reasons) == 2 and "OtherGroup" not in " ".join(check.reasons)


def test_filters_about_no_control_on_the_log_group_are_listed():
    root = [MetricFilter(f"aws_cloudwatch_log_metric_filter.errors_{index}", "aws_cloudwatch_log_metric_filter",
                         name="application-errors", log_group=FILTER.log_group, pattern='{ $.level = "ERROR" }',
                         transformations=(MetricTransformation("AppErrors", "App"),)) for index in range(7)]
    built = compliant(filter=None)
    for metric_filter in root:
        built.add(metric_filter)
    check = finding(built, "TG_AWS_4")
    assert check.reasons[1] == ("the log group carries 7 other filter(s), about no control trailguard checks: "
                                + ", ".join(f.id for f in root[:5]) + " and 2 more")


# --- TG_AWS_5 is shown for every topic on the path -----------------------------------------------------------------

def test_the_topic_of_a_failing_alarm_is_still_judged():
    built = compliant(alarm=replace(ALARM, threshold=5.0), subscription=None)
    assert results(built)[("TG_AWS_3", FILTER.id)] == FAILED
    assert results(built)[("TG_AWS_5", TOPIC.id)] == FAILED


def test_a_topic_no_alarm_on_the_filter_uses_is_not_judged():
    built = compliant(alarm=replace(ALARM, metric=MetricStat("CPUUtilization", "AWS/EC2", "Average")))
    assert ("TG_AWS_5", TOPIC.id) not in results(built)


def test_a_filter_that_may_be_on_the_log_group_is_named_beside_the_break():
    unknown_link = Unknown("parameter TrailLogGroupName", "has no Default", "give it a Default")
    maybe = replace(FILTER, id="aws_cloudwatch_log_metric_filter.maybe", log_group=unknown_link)
    built = compliant(filter=replace(FILTER, pattern=OR_BUG))
    built.add(maybe)
    check = finding(built, "TG_AWS_4")
    assert check.reasons[0].startswith(f"the chain breaks at the pattern of filter {FILTER.id}")
    assert check.reasons[-1].startswith(f"filter {maybe.id}'s log group cannot be resolved: parameter TrailLogGroup")


def test_only_blind_spots_on_the_path_to_the_missing_link_are_named():
    built = compliant(filter=None, alarm=None)
    built.blind_spots += [f"aws_cloudwatch_metric_alarm.cis_{index} has count = 0 or an empty for_each, so it is never "
                          "created" for index in range(14)]
    built.blind_spots += ['module "cis_alarms" comes from "terraform-aws-modules/cloudwatch/aws//modules/cis-alarms", '
                          "which trailguard cannot read; its resources are not seen",
                          "module.baseline.aws_cloudwatch_log_metric_filter.unauthorized has count = 0 or an empty "
                          "for_each, so it is never created"]
    check = finding(built, "TG_AWS_4")
    assert len(check.reasons) == 3 and 'module "cis_alarms"' in check.reasons[1]
    assert "aws_cloudwatch_log_metric_filter.unauthorized has count = 0" in check.reasons[2]
    no_alarm = compliant(alarm=None)
    no_alarm.blind_spots += ["aws_cloudwatch_log_metric_filter.other has count = 0 or an empty for_each, so it is "
                             "never created", built.blind_spots[0]]
    assert finding(no_alarm, "TG_AWS_3").reasons[1:] == (built.blind_spots[0],)


def test_a_long_list_of_blind_spots_is_cut_with_a_count():
    built = compliant(filter=None)
    built.blind_spots += [f"trailguard could not read file_{index}.tf" for index in range(13)]
    check = finding(built, "TG_AWS_4")
    assert len(check.reasons) == 12 and check.reasons[-1] == (
        "and 3 more thing(s) trailguard could not see in this unit")
