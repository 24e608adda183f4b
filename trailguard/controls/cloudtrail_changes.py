"""CIS "Ensure a log metric filter and alarm exist for CloudTrail configuration changes"
(v1.2 3.5, v1.3-v5 4.5, v6+ 5.5).

Sources: the CIS texts of every version as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json
(remediation and audit sections); Security Hub CloudWatch.5 from AWS Security Hub's "CloudWatch controls" page; the
calls and their service from the CloudTrail API reference.
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

SOURCE = "cloudtrail.amazonaws.com"
NAMES = (
    "CreateTrail",
    "UpdateTrail",
    "DeleteTrail",
    "StartLogging",
    "StopLogging",
)
# Names CIS leaves out: counting them or not is both right (a note recommends them).
UNLISTED = (
    "PutEventSelectors",
    "PutInsightSelectors",
)

TARGET = calls_target(
    "CloudTrail configuration changes", "trail change", SOURCE, NAMES, extra=UNLISTED, other_sources_dont_care=True
)
TARGETS = (("1.2", TARGET),)

CANONICAL = (
    "{ ($.eventSource = cloudtrail.amazonaws.com) && (($.eventName = CreateTrail) ||"
    " ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) ||"
    " ($.eventName = StopLogging)) }"
)

TEXT = (
    "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) ||"
    " ($.eventName = StartLogging) || ($.eventName = StopLogging) }"
)
PUBLISHED = (
    PublishedText(
        CIS_VERSIONS,
        "remediation and audit",
        TEXT,
        PASS,
        "the five calls, from any service (the names are CloudTrail's own)",
    ),
)

# Security Hub's exact text (AWS Security Hub user guide, CloudWatch controls).
SECURITY_HUB_TEXT = (
    "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || "
    "($.eventName=StartLogging) || ($.eventName=StopLogging)}"
)

CONTROL = Control(
    slug="cloudtrail-changes",
    title="CloudTrail configuration changes",
    counts=calls(NAMES, SOURCE),
    either_way=f"the same calls from other services and the calls CIS leaves out: {', '.join(UNLISTED)}",
    rationale=(
        "whoever stops or reconfigures the trail blinds every other monitoring control; an alarm on each "
        "change shows it the moment it happens"
    ),
    cis_v12="3.5",
    cis_v13_to_v5="4.5",
    cis_v6="5.5",
    security_hub="CloudWatch.5",
    checkov_id="TG_AWS_9",
    cfn_lint_id="E9109",
    targets=TARGETS,
    canonical=CANONICAL,
    security_hub_text=SECURITY_HUB_TEXT,
    signals=(Signal(("eventName",), names=NAMES + UNLISTED), Signal(("eventSource",), names=(SOURCE,))),
    name_words=("cloudtrailchange", "cloudtrailconfig", "trailchange", "trailconfig"),
    notes=(
        "CIS leaves out PutEventSelectors and PutInsightSelectors, which can stop a trail recording management "
        "events without stopping it; trailguard accepts a pattern with or without them and recommends adding them",
    ),
    published=PUBLISHED,
    sources=(
        cis_texts("v1.4, v4.0"),
        security_hub_page("CloudWatch.5"),
        "the CloudTrail API reference",
    ),
)
