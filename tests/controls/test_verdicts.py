"""Verdicts by meaning for each control: what CONTROLS.md says must fail, and what must pass however it is written."""

import pytest

from trailguard.controls import iam_policy_changes, judge, organizations_changes, route_table_changes, vpc_changes

EC2 = "($.eventSource = ec2.amazonaws.com)"
ROUTES = " || ".join(f"($.eventName = {name})" for name in route_table_changes.NAMES)
VPC = " || ".join(f"($.eventName = {name})" for name in vpc_changes.NAMES)
ORGS = " || ".join(f'($.eventName = "{name}")' for name in organizations_changes.NAMES)
IAM_NAMES = " || ".join(f'$.eventName = "{name}"' for name in iam_policy_changes.NAMES)

PASSING = [
    ("root-usage", '{ $.userIdentity.type = "Root" }'),
    ("root-usage", '{ $.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS }'),
    ("root-usage", '{ $.userIdentity.arn = "arn:aws:iam::*:root" }'),
    ("console-signin-without-mfa", '{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "No" }'),
    ("console-signin-without-mfa", '{ $.eventName = ConsoleLogin && $.userIdentity.type = IAMUser && '
                                   '$.additionalEventData.MFAUsed != Yes }'),
    ("console-auth-failures", '{ $.eventName = "ConsoleLogin" && $.errorMessage = "*" }'),
    ("iam-policy-changes", "{ " + IAM_NAMES + " || $.eventName = SetDefaultPolicyVersion }"),
    ("iam-policy-changes", '{ $.eventSource = "iam.amazonaws.com" && (' + IAM_NAMES + ") }"),
    ("cloudtrail-changes", "{ ($.eventSource = cloudtrail.amazonaws.com) && (($.eventName = CreateTrail) || "
                           "($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = "
                           "StartLogging) || ($.eventName = StopLogging) || ($.eventName = PutEventSelectors)) }"),
    ("cmk-disable-or-deletion", "{ $.eventName = DisableKey || $.eventName = ScheduleKeyDeletion }"),
    ("config-changes", "{ $.eventSource = config.amazonaws.com && ($.eventName = StopConfigurationRecorder || "
                       "$.eventName = DeleteDeliveryChannel || $.eventName = PutDeliveryChannel || "
                       "$.eventName = PutConfigurationRecorder || $.eventName = DeleteConfigurationRecorder) }"),
    ("route-table-changes", "{ " + EC2 + " && (" + ROUTES + ") }"),
    ("vpc-changes", "{ " + VPC + " }"),
    ("organizations-changes", "{ ($.eventSource = organizations.amazonaws.com) && (" + ORGS + ") }"),
]

FAILING = [
    ("root-usage", '{ $.userIdentity.type = Root && $.errorCode NOT EXISTS }', "missed"),
    ("root-usage", '{ $.userIdentity.type = Root && $.sourceIPAddress != "203.0.113.10" }', "missed"),
    ("root-usage", '{ $.userIdentity.type = Root && $.userIdentity.invokedBy != "x" }', "missed"),
    ("root-usage", '{ $.userIdentity.type != "IAMUser" }', "not root"),
    ("console-signin-without-mfa", '{ $.eventName = ConsoleLogin }', "signed in with MFA"),
    ("console-signin-without-mfa", '{ $.eventName = ConsoleLogin && $.additionalEventData.MFAUsed != Yes && '
                                   '$.errorMessage NOT EXISTS && $.userIdentity.type = Root }', "missed"),
    ("console-auth-failures", '{ $.eventName = ConsoleLogin }', "successful sign-in"),
    ("iam-policy-changes", '{ $.eventSource = "iam.amazonaws.com" }', "another call"),
    ("iam-policy-changes", "{ (" + IAM_NAMES.replace(' || $.eventName = "DeleteRolePolicy"', "") + ") }",
     "missed"),
    ("iam-policy-changes", "{ (" + IAM_NAMES + ") && $.errorCode NOT EXISTS }", "missed"),
    ("organizations-changes", "{ " + ORGS + " }", "another call"),
    ("vpc-changes", "{ " + VPC.replace(" || ($.eventName = ModifyVpcAttribute)", "") + " }", "missed"),
]


@pytest.mark.parametrize("slug,pattern", PASSING)
def test_right_by_meaning_passes(slug, pattern):
    verdict = judge(pattern, slug)
    assert verdict.status == "PASS", verdict.reasons()


@pytest.mark.parametrize("slug,pattern,kind", FAILING)
def test_wrong_by_meaning_fails_with_its_kind_of_event(slug, pattern, kind):
    verdict = judge(pattern, slug)
    assert verdict.status == "FAIL" and kind in {example.kind for example in verdict.counterexamples}, \
        [(example.kind, example.event) for example in verdict.counterexamples]


def test_dropping_one_of_the_control_s_calls_is_shown_with_that_call():
    verdict = judge("{ " + VPC.replace(" || ($.eventName = ModifyVpcAttribute)", "") + " }", "vpc-changes")
    assert [event["eventName"] for event in verdict.misses] == ["ModifyVpcAttribute"]
    assert verdict.misses[0]["eventSource"] == "ec2.amazonaws.com"


def test_organizations_without_its_source_counts_iam_s_policies():
    verdict = judge("{ " + ORGS + " }", "organizations-changes")
    assert {event["eventName"] for event in verdict.noise} <= {"AttachPolicy", "CreatePolicy", "DeletePolicy",
                                                                "DetachPolicy", "UpdatePolicy"}
    assert all(event["eventSource"] != "organizations.amazonaws.com" for event in verdict.noise)


def test_an_identity_exclusion_is_narrow_and_listed():
    verdict = judge('{ $.eventSource = "kms.amazonaws.com" && ($.eventName = "DisableKey" || '
                    '$.eventName = "ScheduleKeyDeletion") && (($.userIdentity.userName NOT EXISTS) || '
                    '$.userIdentity.userName != "key-rotation-bot") }', "cmk-disable-or-deletion")
    assert verdict.ok and verdict.exclusions == ('$.userIdentity.userName = "key-rotation-bot"',)


def test_two_filters_that_split_a_control_cover_it_together():
    from trailguard.controls import judge_together

    first = "{ " + " || ".join(f"$.eventName = {name}" for name in vpc_changes.NAMES[:4]) + " }"
    second = "{ " + " || ".join(f"$.eventName = {name}" for name in vpc_changes.NAMES[4:]) + " }"
    assert judge_together([first, second], "vpc-changes").ok
    alone = judge_together([first], "vpc-changes")
    assert {event["eventName"] for event in alone.misses} <= set(vpc_changes.NAMES[4:]) and alone.misses
    assert judge_together([first, "{ $.eventName = "], "vpc-changes").status == "INVALID"
