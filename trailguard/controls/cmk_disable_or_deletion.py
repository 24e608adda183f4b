"""CIS "Ensure a log metric filter and alarm exist for disabling or scheduled deletion of customer created CMKs"
(v1.2 3.7, v1.3-v5 4.7, v6+ 5.7).

Sources: the CIS texts of every version as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json
(remediation and audit sections); Security Hub CloudWatch.7 from AWS Security Hub's "CloudWatch controls" page; the
calls and their service from the AWS KMS API reference.
"""

from trailguard.controls.control import (
    CIS_VERSIONS,
    PASS,
    Control,
    PublishedText,
    Signal,
    calls,
    cis_texts,
    security_hub_page,
)
from trailguard.controls.targets import calls_target

SOURCE = "kms.amazonaws.com"
NAMES = (
    "DisableKey",
    "ScheduleKeyDeletion",
)
# Names CIS leaves out: counting them or not is both right (a note recommends them).
UNLISTED = ()

TARGET = calls_target(
    "disabling or scheduled deletion of customer managed keys",
    "key change",
    SOURCE,
    NAMES,
    extra=UNLISTED,
    other_sources_dont_care=False,
)
TARGETS = (("1.2", TARGET),)

CANONICAL = (
    "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }"
)

TEXT = "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"
PUBLISHED = (
    PublishedText(
        CIS_VERSIONS,
        "remediation and audit",
        TEXT,
        PASS,
        "both calls from KMS",
    ),
)

# Security Hub's exact text (AWS Security Hub user guide, CloudWatch controls).
SECURITY_HUB_TEXT = (
    "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}"
)

CONTROL = Control(
    slug="cmk-disable-or-deletion",
    title="disabling or scheduled deletion of customer managed keys",
    counts=calls(NAMES, SOURCE),
    either_way="",
    rationale=(
        "data encrypted under a disabled or deleted customer managed key can no longer be read; an alarm on "
        "the first step gives time to cancel a scheduled deletion"
    ),
    cis_v12="3.7",
    cis_v13_to_v5="4.7",
    cis_v6="5.7",
    security_hub="CloudWatch.7",
    checkov_id="TG_AWS_11",
    cfn_lint_id="E9111",
    targets=TARGETS,
    canonical=CANONICAL,
    security_hub_text=SECURITY_HUB_TEXT,
    signals=(Signal(("eventName",), names=NAMES + UNLISTED), Signal(("eventSource",), names=(SOURCE,))),
    name_words=("cmk", "kmskey", "keydelet", "disablekey", "keydisable"),
    notes=(),
    published=PUBLISHED,
    sources=(
        cis_texts("v4.0"),
        security_hub_page("CloudWatch.7"),
        "the AWS KMS API reference",
    ),
)
