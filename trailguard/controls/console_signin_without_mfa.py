"""CIS "Ensure a log metric filter and alarm exist for Management Console sign-in without MFA" (v1.2 3.2, v1.3-v5
4.2, v6+ 5.2).

Sources: the CIS texts as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json: the short pattern in every
version; from v1.4 the long one too, in the remediation and audit steps and again in "additional information", where
it is printed with a `)` missing; v1.4-v3.0 quote the values, v4.0-v7.0 print them bare (read in cis_1.4, cis_3.0,
cis_4.0, cis_5.0 and cis_7.0). Security Hub CloudWatch.3 asks for the long pattern, quoted (AWS Security Hub user guide,
"CloudWatch controls", awsdocs/aws-security-hub-user-guide doc_source/cloudwatch-controls.md). The sign-in record
(`additionalEventData.MFAUsed`, `responseElements.ConsoleLogin`) from CloudTrail's "AWS Management Console sign-in
events".

Must count: an IAM user's successful sign-in without MFA. Either way: every other sign-in whose MFAUsed is present
and not "Yes" (failed, federated, SSO and root sign-ins, other spellings): CIS v1.4+ accepts both patterns.
"""

from trailguard.controls.control import (
    CIS_VERSIONS,
    INVALID,
    PASS,
    Control,
    PublishedText,
    Signal,
    cis_texts,
    security_hub_page,
)
from trailguard.controls.targets import IDENTITY_PINS, kinds, sign_in
from trailguard.pattern.target import Target, expr

_SIGN_IN = '$.eventName = "ConsoleLogin"'
_NOT_MFA = '$.additionalEventData.MFAUsed != "Yes"'

TARGET = Target(
    title="console sign-ins without MFA",
    must=expr("{ " + _SIGN_IN + " && " + _NOT_MFA + " }"),
    dont_care=expr(
        "{ " + _SIGN_IN + " && " + _NOT_MFA + ' && ($.userIdentity.type != "IAMUser" || '
        "$.responseElements.ConsoleLogin NOT EXISTS || "
        '$.responseElements.ConsoleLogin != "Success" || $.additionalEventData.MFAUsed != "No") }'
    ),
    noise=kinds(
        (
            "signed in with MFA",
            _SIGN_IN + ' && $.additionalEventData.MFAUsed = "Yes"',
            "it counts sign-ins that used MFA, so the alarm fires on every careful user; for example this sign-in, "
            "which used MFA, matches",
        ),
        (
            "no MFA record",
            _SIGN_IN + " && $.additionalEventData.MFAUsed NOT EXISTS",
            "it counts sign-in records that say nothing about MFA; for example this one matches",
        ),
        (
            "another call",
            '$.eventName != "ConsoleLogin"',
            "it counts events that are not console sign-ins, so the alarm fires on other activity; for example this "
            "call matches",
        ),
    ),
    pins=IDENTITY_PINS,
    missed="console sign-ins without MFA",
    example="IAM user's sign-in without MFA",
    samples=(sign_in(additionalEventData={"MFAUsed": "No"}, responseElements={"ConsoleLogin": "Success"}),),
    raw_text_advice='use a JSON pattern that compares $.eventName with "ConsoleLogin" and '
    '$.additionalEventData.MFAUsed with "Yes"',
    complete_records=True,
)

SHORT = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'
LONG = (
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
    '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'
)
# As printed in v1.4-v3.0's additional information: the last group's `)` is missing.
LONG_AS_PRINTED = (
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
    '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success"}'
)
# v4.0-v7.0 print the same three texts with bare values (same meaning; the missing `)` stays missing).
SHORT_BARE = "{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != Yes) }"
LONG_BARE = (
    "{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != Yes) && "
    "($.userIdentity.type = IAMUser) && ($.responseElements.ConsoleLogin = Success) }"
)
LONG_BARE_AS_PRINTED = (
    "{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != Yes) && "
    "($.userIdentity.type = IAMUser) && ($.responseElements.ConsoleLogin = Success}"
)
QUOTED_VERSIONS = ("1.4", "1.5", "2.0", "3.0")
BARE_VERSIONS = ("4.0", "5.0", "6.0", "7.0")

CONTROL = Control(
    slug="console-signin-without-mfa",
    title="console sign-in without MFA",
    counts=(
        "an IAM user's successful console sign-in without MFA (ConsoleLogin, userIdentity.type IAMUser, "
        "responseElements.ConsoleLogin Success, additionalEventData.MFAUsed No)"
    ),
    either_way=(
        "every other console sign-in whose MFAUsed is present and not Yes: failed, federated, SSO and root "
        "sign-ins, and other spellings such as YES (CIS v1.4+ prints both the short and the long pattern)"
    ),
    rationale=(
        "a password is all it takes to sign in to an account without MFA; an alarm on each such sign-in "
        "shows who still signs in with one factor, and when a stolen password is used"
    ),
    cis_v12="3.2",
    cis_v13_to_v5="4.2",
    cis_v6="5.2",
    security_hub="CloudWatch.3",
    checkov_id="TG_AWS_6",
    cfn_lint_id="E9106",
    targets=(("1.2", TARGET),),
    canonical=LONG,
    security_hub_text=LONG,
    signals=(
        Signal(("additionalEventData", "MFAUsed"), names=("Yes", "No")),
        Signal(("eventName",), names=("ConsoleLogin",)),
        Signal(("responseElements", "ConsoleLogin"), names=("Success",)),
    ),
    name_words=("mfa",),
    notes=(
        "the short pattern also counts failed, federated, SSO and root sign-ins without MFA; the long one only "
        "IAM users' successful sign-ins; CIS accepts both, and so does trailguard",
    ),
    published=(
        PublishedText(
            CIS_VERSIONS[: CIS_VERSIONS.index("3.0") + 1],
            "remediation and audit",
            SHORT,
            PASS,
            "every sign-in without MFA (the others are don't care)",
        ),
        PublishedText(BARE_VERSIONS, "remediation and audit", SHORT_BARE, PASS,
                      "the short pattern with bare values: bare and quoted values mean the same"),
        PublishedText(QUOTED_VERSIONS, "remediation and audit (the SSO variant)", LONG, PASS,
                      "IAM users' successful sign-ins without MFA, exactly"),
        PublishedText(BARE_VERSIONS, "remediation and audit (the SSO variant)", LONG_BARE, PASS,
                      "the long pattern with bare values"),
        PublishedText(QUOTED_VERSIONS, "additional information", LONG_AS_PRINTED, INVALID,
                      "a `)` is missing before the closing `}`: AWS rejects it"),
        PublishedText(BARE_VERSIONS, "additional information", LONG_BARE_AS_PRINTED, INVALID,
                      "the same missing `)`, with bare values"),
    ),
    sources=(
        cis_texts("v1.4, v3.0, v4.0, v5.0, v6.0, v7.0"),
        security_hub_page("CloudWatch.3"),
        "AWS CloudTrail user guide, AWS Management Console sign-in events",
    ),
)
