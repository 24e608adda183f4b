"""CIS "Ensure a log metric filter and alarm exist for unauthorized API calls" (v1.2 3.1, v1.3-v5 4.1, v6+ 5.1).

Sources: CIS texts as transcribed in Prowler's prowler/compliance/aws/cis_{1.4,...,7.0}_aws.json (read in cis_1.4,
cis_3.0, cis_4.0, cis_5.0 and cis_7.0: v1.4-v3.0 quote the values in the remediation step and print them bare in
the audit step; v4.0-v7.0 print them bare in both); the v1.2 text and Security Hub CloudWatch.2 from AWS Security
Hub's "CloudWatch controls" page (awsdocs/aws-security-hub-user-guide doc_source/cloudwatch-controls.md); denial
codes from each service's error reference (docs/pattern-semantics.md). The target is the one trailguard has always
judged (docs/rules.md).
"""

from trailguard.controls.control import FAIL, PASS, Control, PublishedText, Signal, cis_texts, security_hub_page
from trailguard.pattern.target import NoiseKind, PinRule, Target, expr

_UNAUTH = '$.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied*"'

TARGET = Target(
    title="unauthorized API calls",
    must=expr("{ " + _UNAUTH + " }"),
    # CIS v1.4+ exclude S3 HeadBucket probes and the log-delivery service: counting them or not is both right.
    dont_care=expr(
        "{ (" + _UNAUTH + ') && ($.eventName = "HeadBucket" || $.sourceIPAddress = "delivery.logs.amazonaws.com") }'
    ),
    noise=(
        NoiseKind(
            "succeeded",
            expr("{ $.errorCode NOT EXISTS }"),
            "it counts calls that were not denied (a call that succeeded matches: the OR bug or a match-all), "
            "so the alarm fires on ordinary traffic; for example this call, which succeeded (no errorCode), "
            "matches",
        ),
        NoiseKind(
            "not a denial",
            expr('{ $.errorCode = "*" }'),
            "it counts failed calls that are not denials (an error code such as ThrottlingException, "
            "UnauthorizedAccess or a lower-case typo matches), so the alarm fires on ordinary errors; for "
            "example this call, which failed with an error that is not a denial, matches",
        ),
    ),
    pins=(
        PinRule(("eventName",)),
        PinRule(("eventSource",)),
        PinRule(("userIdentity", "*")),
        PinRule(("sourceIPAddress",), "*.amazonaws.com"),
    ),
)

V12 = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'
OR_BUG = (
    '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || '
    '($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }'
)
GROUPED = (
    '{(($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && '
    '(($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket"))}'
)
# The v1.4-v3.0 audit step prints the OR bug with bare values.
OR_BUG_BARE = (
    "{ ($.errorCode = *UnauthorizedOperation) || ($.errorCode = AccessDenied*) || "
    "($.sourceIPAddress!=delivery.logs.amazonaws.com) || ($.eventName!=HeadBucket) }"
)
# As v4.0-v7.0 print it, in the remediation and audit steps alike: bare values, `=` written against the value.
V40 = (
    "{ ($.errorCode =*UnauthorizedOperation) || ($.errorCode =AccessDenied*) && "
    "($.sourceIPAddress!=delivery.logs.amazonaws.com) && ($.eventName!=HeadBucket) }"
)

CONTROL = Control(
    slug="unauthorized-api-calls",
    title="unauthorized API calls",
    counts=(
        "every call CloudTrail records as denied: errorCode matching *UnauthorizedOperation (EC2) or "
        "AccessDenied* (IAM, S3, STS, KMS, Lambda, ...)"
    ),
    either_way=(
        "denied HeadBucket probes and denied calls from delivery.logs.amazonaws.com (CIS v1.4+ exclude them, "
        "v1.2 does not)"
    ),
    rationale=(
        "a denied call is the trace of a mistyped script, a probing intruder or a stolen key used beyond its "
        "rights; CIS asks for an alarm on every one"
    ),
    cis_v12="3.1",
    cis_v13_to_v5="4.1",
    cis_v6="5.1",
    security_hub="CloudWatch.2",
    checkov_id="TG_AWS_4",
    cfn_lint_id="E9104",
    targets=(("1.2", TARGET),),
    canonical=GROUPED,
    security_hub_text='{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
    signals=(Signal(("errorCode",), words=("unauthorized", "accessdenied")),),
    name_words=("unauthori", "accessdenied"),
    published=(
        PublishedText(("1.2",), "remediation", V12, PASS, "counts every denial (v1.2 excludes nothing)"),
        PublishedText(
            ("1.3", "1.4", "1.5", "2.0", "3.0"),
            "remediation",
            OR_BUG,
            FAIL,
            "the OR bug: the exclusions joined with || are true for nearly every call, so the metric "
            "counts all API traffic",
        ),
        PublishedText(
            ("1.4", "1.5", "2.0", "3.0"),
            "audit",
            OR_BUG_BARE,
            FAIL,
            "the same OR bug, with bare values",
        ),
        PublishedText(
            ("1.4",),
            "grouped (what v1.4 meant)",
            GROUPED,
            PASS,
            "the exclusions grouped and joined with &&: every denial but HeadBucket and log delivery",
        ),
        PublishedText(
            ("4.0", "5.0", "6.0", "7.0"),
            "remediation and audit",
            V40,
            PASS,
            "A || B && C && D is A || (B && C && D) by precedence: right, though only by precedence",
        ),
    ),
    sources=(
        cis_texts("v1.4, v3.0, v4.0, v5.0, v7.0"),
        security_hub_page("CloudWatch.2"),
    ),
)
