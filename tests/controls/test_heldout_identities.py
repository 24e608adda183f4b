"""Patterns people write for the four controls defined by who acts and how it went rather than by a list of calls:
unauthorized calls, sign-ins without MFA, root usage and console authentication failures.

Each table is one control: CIS's, Security Hub's and the public modules' texts in their quoting and clause orders,
and the mistakes found in them (a condition that drops real events, a `!=` on an optional field, a client-address
exclusion, a case or spelling slip in a value). The verdict each deserves comes from ../CONTROLS.md and ../DESIGN.md;
every counterexample must be an event CloudTrail could write.
"""

from __future__ import annotations

import pytest

from trailguard.controls import (
    console_auth_failures,
    console_signin_without_mfa,
    judge,
    root_usage,
    unauthorized_api_calls,
)
from trailguard.pattern import cloudtrail

PASS, FAIL, INVALID = "PASS", "FAIL", "INVALID"

UNAUTHORIZED = [
    ("CIS v1.2 and Security Hub", unauthorized_api_calls.V12, PASS),
    ("CIS v1.3-v3.0: the OR bug", unauthorized_api_calls.OR_BUG, FAIL),
    ("CIS v1.4-v3.0 audit: the OR bug, bare", unauthorized_api_calls.OR_BUG_BARE, FAIL),
    ("CIS v1.4 grouped", unauthorized_api_calls.GROUPED, PASS),
    ("CIS v4+: ungrouped, right by precedence", unauthorized_api_calls.V40, PASS),
    ("clauses reversed", '{ ($.errorCode = "AccessDenied*") || ($.errorCode = "*UnauthorizedOperation") }', PASS),
    ("no spaces", '{($.errorCode="*UnauthorizedOperation")||($.errorCode="AccessDenied*")}', PASS),
    ("newlines", '{\n  ($.errorCode = "*UnauthorizedOperation") ||\n  ($.errorCode = "AccessDenied*")\n}', PASS),
    ("HeadBucket excluded", '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && '
     '($.eventName != "HeadBucket") }', PASS),
    ("log delivery excluded", '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && '
     '$.sourceIPAddress != "delivery.logs.amazonaws.com" }', PASS),
    ("AccessDenied only", '{ $.errorCode = "AccessDenied" }', FAIL),
    ("EC2's code only", '{ $.errorCode = "*UnauthorizedOperation" }', FAIL),
    ("every error", '{ $.errorCode = "*" }', FAIL),
    ("every event", '{ $.eventName = "*" }', FAIL),
    ("lower-case codes", '{ ($.errorCode = "*unauthorizedoperation") || ($.errorCode = "accessdenied*") }', FAIL),
    ("a user excluded: the absent-field trap", '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = '
     '"AccessDenied*")) && $.userIdentity.userName != "scanner" }', FAIL),
    ("a user excluded, guarded", '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) '
     '&& ($.userIdentity.userName NOT EXISTS || $.userIdentity.userName != "scanner") }', PASS),
    ("a role's ARN compared with userIdentity.arn", '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = '
     '"AccessDenied*")) && $.userIdentity.arn != "arn:aws:iam::111122223333:role/Scanner" }', FAIL),
    ("a client address excluded", '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) '
     '&& $.sourceIPAddress != "203.0.113.10" }', FAIL),
    ("one regex", '{ $.errorCode = %UnauthorizedOperation$|^AccessDenied% }', PASS),
    ("unclosed brace", '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")', INVALID),
]

_LOGIN = '($.eventName = "ConsoleLogin")'
_NO_MFA = '($.additionalEventData.MFAUsed != "Yes")'
SIGN_IN_WITHOUT_MFA = [
    ("CIS short", console_signin_without_mfa.SHORT, PASS),
    ("CIS short, bare", console_signin_without_mfa.SHORT_BARE, PASS),
    ("CIS long", console_signin_without_mfa.LONG, PASS),
    ("CIS long, bare", console_signin_without_mfa.LONG_BARE, PASS),
    ("CIS long as printed: a ) missing", console_signin_without_mfa.LONG_AS_PRINTED, INVALID),
    ("CIS long as printed, bare", console_signin_without_mfa.LONG_BARE_AS_PRINTED, INVALID),
    ("clauses reversed", "{ " + _NO_MFA + " && " + _LOGIN + " }", PASS),
    ("MFAUsed = No", '{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "No" }', PASS),
    ("with its source", '{ $.eventSource = "signin.amazonaws.com" && ' + _LOGIN + " && " + _NO_MFA + " }", PASS),
    ("IAM users only", "{ " + _LOGIN + " && " + _NO_MFA + ' && $.userIdentity.type = "IAMUser" }', PASS),
    ("successful sign-ins only", "{ " + _LOGIN + " && " + _NO_MFA + ' && $.responseElements.ConsoleLogin = '
     '"Success" }', PASS),
    ("failures left out by their message", "{ " + _LOGIN + " && " + _NO_MFA + " && $.errorMessage NOT EXISTS }",
     PASS),
    ("root sign-ins left out", "{ " + _LOGIN + " && " + _NO_MFA + ' && $.userIdentity.type != "Root" }', PASS),
    ("regex value", '{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = %^No$% }', PASS),
    ("no spaces, newlines", '{\n($.eventName="ConsoleLogin")&&\n($.additionalEventData.MFAUsed!="Yes")\n}', PASS),
    ("every sign-in", '{ $.eventName = "ConsoleLogin" }', FAIL),
    ("sign-ins without an MFA record too", '{ $.eventName = "ConsoleLogin" && ($.additionalEventData.MFAUsed = '
     '"No" || $.additionalEventData.MFAUsed NOT EXISTS) }', FAIL),
    ("MFAUsed = no (lower case)", '{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "no" }', FAIL),
    ("ConsoleLogIn typo", '{ $.eventName = "ConsoleLogIn" && $.additionalEventData.MFAUsed != "Yes" }', FAIL),
    ("root only", "{ " + _LOGIN + " && " + _NO_MFA + ' && $.userIdentity.type = "Root" }', FAIL),
    ("a client address excluded", "{ " + _LOGIN + " && " + _NO_MFA + ' && $.sourceIPAddress != "203.0.113.10" }',
     FAIL),
    ("the failures' codes dropped", "{ " + _LOGIN + " && " + _NO_MFA + ' && $.responseElements.ConsoleLogin = '
     '"Failure" }', FAIL),
    ("a user excluded, guarded", "{ " + _LOGIN + " && " + _NO_MFA + ' && ($.userIdentity.userName NOT EXISTS || '
     '$.userIdentity.userName != "breakglass") }', PASS),
]

ROOT = [
    ("CIS, quoted", root_usage.QUOTED, PASS),
    ("CIS v4+, bare", root_usage.UNQUOTED, PASS),
    ("type only", '{ $.userIdentity.type = "Root" }', PASS),
    ("no spaces", '{$.userIdentity.type="Root"&&$.userIdentity.invokedBy NOT EXISTS&&$.eventType!="AwsServiceEvent"}',
     PASS),
    ("clauses reordered", '{ ($.eventType != "AwsServiceEvent") && ($.userIdentity.invokedBy NOT EXISTS) && '
     '($.userIdentity.type = "Root") }', PASS),
    ("without the service-event clause", '{ $.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS }',
     PASS),
    ("the root ARN", '{ $.userIdentity.arn = "arn:aws:iam::*:root" }', PASS),
    ("regex value", '{ $.userIdentity.type = %^Root$% }', PASS),
    ("newlines", '{\n  $.userIdentity.type = "Root" &&\n  $.userIdentity.invokedBy NOT EXISTS &&\n  '
     '$.eventType != "AwsServiceEvent"\n}', PASS),
    ("API calls only: sign-ins left out", '{ $.userIdentity.type = "Root" && $.eventType = "AwsApiCall" }', FAIL),
    ("lower-case root", '{ $.userIdentity.type = "root" }', FAIL),
    ("successful calls only", '{ $.userIdentity.type = "Root" && $.errorCode NOT EXISTS }', FAIL),
    ("invokedBy with !=: the absent-field trap", '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy != '
     '"AWS Internal" }', FAIL),
    ("everyone but IAM users", '{ $.userIdentity.type != "IAMUser" }', FAIL),
    ("root sign-ins only", '{ $.userIdentity.type = "Root" && $.eventName = "ConsoleLogin" }', FAIL),
    ("sign-ins left out", '{ $.userIdentity.type = "Root" && $.eventSource != "signin.amazonaws.com" }', FAIL),
    ("a client address excluded", '{ $.userIdentity.type = "Root" && $.sourceIPAddress != "203.0.113.10" }', FAIL),
    ("every event", '{ $.eventVersion = "*" }', FAIL),
    ("an assumed role too", '{ $.userIdentity.type = "Root" || $.userIdentity.type = "AssumedRole" }', FAIL),
    ("Root or root", '{ $.userIdentity.type = "Root" || $.userIdentity.type = "root" }', PASS),
]

_FAILED = '($.errorMessage = "Failed authentication")'
AUTH_FAILURES = [
    ("CIS v1.2-v3.0, quoted", console_auth_failures.QUOTED, PASS),
    ("CIS v4+, an unquoted value with a space", console_auth_failures.UNQUOTED, INVALID),
    ("Security Hub's text", console_auth_failures.SECURITY_HUB_TEXT, PASS),
    ("both quoted", '{ ($.eventName = "ConsoleLogin") && ' + _FAILED + " }", PASS),
    ("clauses reversed", "{ " + _FAILED + " && " + _LOGIN + " }", PASS),
    ("with its source", '{ $.eventSource = "signin.amazonaws.com" && ' + _LOGIN + " && " + _FAILED + " }", PASS),
    ("every failure message", '{ $.eventName = "ConsoleLogin" && $.errorMessage = "*" }', PASS),
    ("the failed outcome", '{ $.eventName = "ConsoleLogin" && $.responseElements.ConsoleLogin = "Failure" }', PASS),
    ("a glob on the message", '{ $.eventName = "ConsoleLogin" && $.errorMessage = "Failed*" }', PASS),
    ("two messages", "{ " + _LOGIN + ' && ($.errorMessage = "Failed authentication" || $.errorMessage = '
     '"No username found in supplied account") }', PASS),
    ("regex value", '{ $.eventName = "ConsoleLogin" && $.errorMessage = %^Failed authentication$% }', PASS),
    ("newlines", '{\n  ($.eventName = ConsoleLogin) &&\n  ($.errorMessage = "Failed authentication")\n}', PASS),
    ("a user excluded, guarded", "{ " + _LOGIN + " && " + _FAILED + ' && ($.userIdentity.userName NOT EXISTS || '
     '$.userIdentity.userName != "kiosk") }', PASS),
    ("every sign-in", '{ $.eventName = "ConsoleLogin" }', FAIL),
    ("lower-case message", '{ $.eventName = "ConsoleLogin" && $.errorMessage = "failed authentication" }', FAIL),
    ("ConsoleLogIn typo", '{ $.eventName = "ConsoleLogIn" && $.errorMessage = "Failed authentication" }', FAIL),
    ("IAM users only", "{ " + _LOGIN + " && " + _FAILED + ' && $.userIdentity.type = "IAMUser" }', FAIL),
    ("a client address excluded", "{ " + _LOGIN + " && " + _FAILED + ' && $.sourceIPAddress != "203.0.113.10" }',
     FAIL),
    ("the message negated", '{ $.eventName = "ConsoleLogin" && $.errorMessage != "Failed authentication" }', FAIL),
    ("successful outcome", '{ $.eventName = "ConsoleLogin" && $.responseElements.ConsoleLogin = "Success" }', FAIL),
    ("a user excluded: the absent-field trap", "{ " + _LOGIN + " && " + _FAILED + ' && $.userIdentity.userName != '
     '"kiosk" }', FAIL),
]

TABLES = {
    "unauthorized-api-calls": UNAUTHORIZED,
    "console-signin-without-mfa": SIGN_IN_WITHOUT_MFA,
    "root-usage": ROOT,
    "console-auth-failures": AUTH_FAILURES,
}
CASES = [(slug, *case) for slug, table in TABLES.items() for case in table]


@pytest.mark.parametrize("slug,what,pattern,deserved", CASES, ids=[f"{slug}-{what}" for slug, what, _, _ in CASES])
def test_a_pattern_people_write_gets_the_verdict_its_meaning_deserves(slug, what, pattern, deserved):
    verdict = judge(pattern, slug)
    assert verdict.status == deserved, verdict.reasons()
    for example in verdict.counterexamples:
        assert cloudtrail.incoherent(example.event) is None, example.event
        assert cloudtrail.known_call(example.event), example.event


def test_a_misspelt_sign_in_is_named_and_never_shown_as_an_event():
    verdict = judge('{ $.eventName = "ConsoleLogIn" && $.additionalEventData.MFAUsed != "Yes" }',
                    "console-signin-without-mfa")
    assert [event["eventName"] for event in verdict.misses] == ["ConsoleLogin"] and not verdict.noise
    assert any('did you mean "ConsoleLogin"' in hint for hint in verdict.hints)
