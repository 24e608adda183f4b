"""CIS "Ensure a log metric filter and alarm exist for usage of the root user" (v1.2 3.3, v1.3-v5 4.3, v6+ 5.3).

Sources: the CIS texts as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json (v4.0+ print the values
unquoted: same meaning); Security Hub CloudWatch.1 from AWS Security Hub's "CloudWatch controls" page;
`userIdentity.type`, `invokedBy` and `eventType` from CloudTrail's userIdentity element and record contents.

Must count: root's own calls (type Root, no invokedBy, not a service event). Either way: root events an AWS service
made on root's behalf (invokedBy present) and root service events.
"""

from trailguard.controls.control import PASS, Control, PublishedText, Signal, cis_texts, security_hub_page
from trailguard.controls.targets import IDENTITY_PINS, call_record, kinds
from trailguard.pattern import cloudtrail
from trailguard.pattern.target import Target, expr

_ROOT = '$.userIdentity.type = "Root"'

TARGET = Target(
    title="root user activity",
    must=expr("{ " + _ROOT + " }"),
    dont_care=expr("{ " + _ROOT + ' && ($.userIdentity.invokedBy = "*" || $.eventType = "AwsServiceEvent") }'),
    noise=kinds(
        (
            "not root",
            '$.userIdentity.type != "Root"',
            "it counts activity of identities other than the root user, so the alarm fires on ordinary "
            "traffic; for example this call, which is not root's, matches",
        )
    ),
    pins=IDENTITY_PINS,
    missed="root user activity",
    example="call by the root user",
    samples=(call_record("s3.amazonaws.com", "ListBuckets", userIdentity=dict(cloudtrail.IDENTITIES["Root"])),),
    raw_text_advice='use a JSON pattern that compares $.userIdentity.type with "Root"',
    complete_records=True,
)

QUOTED = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'
UNQUOTED = "{ $.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS && $.eventType != AwsServiceEvent }"

CONTROL = Control(
    slug="root-usage",
    title="usage of the root user",
    counts=(
        "every call the root user makes itself (userIdentity.type Root, no invokedBy, eventType not "
        "AwsServiceEvent)"
    ),
    either_way=(
        "root events an AWS service makes on root's behalf (userIdentity.invokedBy present) and root service "
        "events (eventType AwsServiceEvent)"
    ),
    rationale=(
        "the root user can do anything in the account and cannot be limited by IAM policies; its use should "
        "be rare enough that each call is worth a look"
    ),
    cis_v12="3.3",
    cis_v13_to_v5="4.3",
    cis_v6="5.3",
    security_hub="CloudWatch.1",
    checkov_id="TG_AWS_7",
    cfn_lint_id="E9107",
    targets=(("1.2", TARGET),),
    canonical=QUOTED,
    security_hub_text='{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && '
    '$.eventType !="AwsServiceEvent"}',
    signals=(Signal(("userIdentity", "type"), names=("Root",)), Signal(("userIdentity", "arn"), words=(":root",))),
    name_words=("root",),
    published=(
        PublishedText(
            ("1.2", "1.3", "1.4", "1.5", "2.0", "3.0"),
            "remediation and audit",
            QUOTED,
            PASS,
            "root's own calls; calls a service makes for root and service events are don't care",
        ),
        PublishedText(
            ("4.0", "5.0", "6.0", "7.0"),
            "remediation and audit",
            UNQUOTED,
            PASS,
            "the same pattern with bare values: bare and quoted values mean the same",
        ),
    ),
    sources=(
        cis_texts("v1.4, v4.0, v5.0, v6.0, v7.0"),
        security_hub_page("CloudWatch.1"),
        "AWS CloudTrail user guide, userIdentity element",
    ),
)
