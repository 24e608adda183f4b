"""Counterexamples of every control read as the records CloudTrail writes: the call's own service, a complete
identity, every field a record always has, a sign-in's outcome and MFA use, root's own identity."""

import pytest

from trailguard.controls import CONTROLS, judge
from trailguard.pattern.cloudtrail import ALWAYS_PRESENT, IDENTITIES, OPTIONAL_IDENTITY_FIELDS, incoherent

ALWAYS = {path[0] for path in ALWAYS_PRESENT if len(path) == 1}


def assert_whole_record(event):
    assert incoherent(event) is None, event
    assert set(event) >= ALWAYS, ALWAYS - set(event)
    identity = event["userIdentity"]
    assert set(IDENTITIES[identity["type"]]) - OPTIONAL_IDENTITY_FIELDS <= set(identity)


def test_a_missed_delete_role_policy_is_a_real_iam_record():
    verdict = judge("{ ($.eventName = DeleteGroupPolicy) || ($.eventName = PutRolePolicy) }", "iam-policy-changes")
    event = next(event for event in verdict.misses if event["eventName"] == "DeleteRolePolicy")
    assert event["eventSource"] == "iam.amazonaws.com" and event["eventType"] == "AwsApiCall"
    assert event["requestParameters"] == {"roleName": "Admin", "policyName": "inline-admin"}
    assert_whole_record(event)


def test_a_missed_sign_in_without_mfa_is_a_real_console_login():
    verdict = judge('{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "Nope" }',
                    "console-signin-without-mfa")
    event = verdict.misses[0]
    assert event["eventSource"] == "signin.amazonaws.com" and event["eventType"] == "AwsConsoleSignIn"
    assert event["additionalEventData"]["MFAUsed"] == "No" and event["responseElements"] == {"ConsoleLogin": "Success"}
    assert event["userIdentity"]["type"] == "IAMUser"
    assert_whole_record(event)


def test_a_missed_failed_sign_in_carries_failed_authentication_and_a_failure():
    verdict = judge('{ $.eventName = "ConsoleLogin" && $.errorMessage = "Failed" }', "console-auth-failures")
    event = verdict.misses[0]
    assert event["errorMessage"] == "Failed authentication" and event["responseElements"] == {"ConsoleLogin": "Failure"}
    assert "errorCode" not in event and event["userIdentity"]["type"] not in ("AWSService", "AWSAccount")
    assert_whole_record(event)


def test_a_missed_root_call_is_root_s_own():
    verdict = judge('{ $.userIdentity.type = "Root" && $.eventName = "GetObject" }', "root-usage")
    event = verdict.misses[0]
    assert event["userIdentity"]["type"] == "Root" and "invokedBy" not in event["userIdentity"]
    assert event["eventType"] != "AwsServiceEvent"
    assert_whole_record(event)


@pytest.mark.parametrize("control", CONTROLS[1:], ids=lambda control: control.slug)
def test_every_new_control_shows_whole_records_for_misses_and_noise(control):
    verdict = judge('{ $.eventName = "GetObject" || $.eventName = "ConsoleLogin" }', control)
    assert verdict.status == "FAIL" and verdict.counterexamples
    for example in verdict.counterexamples:
        assert_whole_record(example.event)


def test_a_role_arn_compared_with_user_identity_arn_is_said_to_pin_nothing():
    verdict = judge('{ $.eventName = "ConsoleLogin" && $.errorMessage = "Failed authentication" && '
                    '(($.userIdentity.arn NOT EXISTS) || $.userIdentity.arn != "arn:aws:iam::111122223333:role/ci") }',
                    "console-auth-failures")
    assert verdict.ok
    assert any("assumed-role" in hint for hint in verdict.hints)


@pytest.mark.parametrize("pattern", [
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType = "AwsApiCall" }',
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" && '
    '$.eventName != "ConsoleLogin" }',
])
def test_a_missed_root_sign_in_is_a_console_sign_in_record(pattern):
    """Only a sign-in has eventType AwsConsoleSignIn, and a ConsoleLogin always has it."""
    verdict = judge(pattern, "root-usage")
    assert verdict.status == "FAIL"
    event = next(event for event in verdict.misses if event["eventName"] == "ConsoleLogin")
    assert event["eventSource"] == "signin.amazonaws.com" and event["eventType"] == "AwsConsoleSignIn"
    assert_whole_record(event)


def test_a_list_of_exclusions_is_shown_a_call_that_exists_not_an_empty_name():
    verdict = judge('{ ($.eventSource = organizations.amazonaws.com) && ($.eventName != List*) && '
                    '($.eventName != Describe*) }', "organizations-changes")
    assert verdict.noise and all(event["eventName"] for event in verdict.noise), verdict.noise


def test_a_misspelt_service_is_never_shown_as_one_and_is_named():
    verdict = judge('{ ($.eventSource = organization.amazonaws.com) && (($.eventName = AcceptHandshake) || '
                    '($.eventName = CreateAccount)) }', "organizations-changes")
    assert verdict.status == "FAIL" and not verdict.noise
    assert any('did you mean "organizations.amazonaws.com"' in hint for hint in verdict.hints), verdict.hints
    assert incoherent({"eventSource": "organization.amazonaws.com", "eventName": "CreateAccount"})
    assert incoherent({"eventSource": "sso.amazonaws.com", "eventName": "ListInstances"}) is None  # real, short


def test_an_iam_user_never_has_the_root_arn_and_a_user_called_root_is_shown():
    assert judge('{ $.userIdentity.arn = "*:root" }', "root-usage").status == "PASS"
    verdict = judge('{ $.userIdentity.arn = "*root*" }', "root-usage")
    assert verdict.status == "FAIL"
    assert any(event["userIdentity"]["arn"].endswith(":user/root") for event in verdict.noise), verdict.noise
    for event in verdict.noise:
        assert_whole_record(event)
