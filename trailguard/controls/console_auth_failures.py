"""CIS "Ensure a log metric filter and alarm exist for AWS Management Console authentication failures" (v1.2 3.6,
v1.3-v5 4.6, v6+ 5.6).

Sources: the CIS texts as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json (v4.0+ print `Failed
authentication` unquoted, with its space: read in cis_4.0); Security Hub CloudWatch.6 from AWS Security Hub's
"CloudWatch controls" page; the failed sign-in record (`errorMessage: "Failed authentication"`, no errorCode) from
CloudTrail's "AWS Management Console sign-in events". A bare value may not hold a space: AWS's "Filter and Pattern
Syntax" says of a JSON pattern's string "Strings that consist entirely of alphanumeric characters do not need to be
quoted", and of terms that those with other characters "must be placed inside double quotes"
(docs/pattern-semantics.md, "Syntax as AWS accepts it").
"""

from trailguard.controls.control import INVALID, PASS, Control, PublishedText, Signal, cis_texts, security_hub_page
from trailguard.controls.targets import IDENTITY_PINS, kinds, sign_in
from trailguard.pattern.target import Target, expr

_SIGN_IN = '$.eventName = "ConsoleLogin"'

TARGET = Target(
    title="console authentication failures",
    must=expr("{ " + _SIGN_IN + ' && $.errorMessage = "*" }'),
    dont_care=expr("{ " + _SIGN_IN + ' && $.errorMessage = "*" && $.errorMessage != "Failed authentication" }'),
    noise=kinds(
        (
            "successful sign-in",
            _SIGN_IN + " && $.errorMessage NOT EXISTS",
            "it counts successful sign-ins, so the alarm fires on every login; for example this sign-in, which "
            "succeeded, matches",
        ),
        (
            "another call",
            '$.eventName != "ConsoleLogin"',
            "it counts events that are not console sign-ins, so the alarm fires on other activity; for example this "
            "call matches",
        ),
    ),
    pins=IDENTITY_PINS,
    missed="failed console sign-ins",
    example="failed sign-in",
    samples=(sign_in(errorMessage="Failed authentication"),),
    raw_text_advice='use a JSON pattern that compares $.eventName with "ConsoleLogin" and $.errorMessage with '
    '"Failed authentication"',
    complete_records=True,
)

QUOTED = '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'
UNQUOTED = "{ ($.eventName = ConsoleLogin) && ($.errorMessage = Failed authentication) }"

# Security Hub's exact text (AWS Security Hub user guide, CloudWatch controls).
SECURITY_HUB_TEXT = '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}'

CONTROL = Control(
    slug="console-auth-failures",
    title="console authentication failures",
    counts=(
        'every ConsoleLogin whose errorMessage is "Failed authentication"'
    ),
    either_way="failed ConsoleLogin events with another errorMessage",
    rationale=(
        "a run of failed sign-ins is how password guessing looks; the alarm gives the source address to "
        "correlate"
    ),
    cis_v12="3.6",
    cis_v13_to_v5="4.6",
    cis_v6="5.6",
    security_hub="CloudWatch.6",
    checkov_id="TG_AWS_10",
    cfn_lint_id="E9110",
    targets=(("1.2", TARGET),),
    canonical=QUOTED,
    security_hub_text=SECURITY_HUB_TEXT,
    signals=(
        Signal(("errorMessage",), words=("failed",)),
        Signal(("eventName",), names=("ConsoleLogin",)),
        Signal(("responseElements", "ConsoleLogin"), names=("Failure",)),
    ),
    name_words=(
        "authfail",
        "authenticationfail",
        "loginfail",
        "signinfail",
        "failedlogin",
        "failedsignin",
        "consolefail",
        "failedauth",
    ),
    published=(
        PublishedText(
            ("1.2", "1.3", "1.4", "1.5", "2.0", "3.0"),
            "remediation and audit",
            QUOTED,
            PASS,
            "every failed sign-in that CloudTrail records as Failed authentication",
        ),
        PublishedText(
            ("4.0", "5.0", "6.0", "7.0"),
            "remediation and audit",
            UNQUOTED,
            INVALID,
            "a bare value cannot hold a space (AWS: only strings that are entirely alphanumeric may go "
            "unquoted), so AWS rejects the pattern; quote it",
        ),
    ),
    sources=(
        cis_texts("v4.0"),
        security_hub_page("CloudWatch.6"),
        "AWS CloudTrail user guide, AWS Management Console sign-in events",
        "Amazon CloudWatch Logs user guide, Filter and Pattern Syntax (quoting of JSON string values)",
    ),
)
