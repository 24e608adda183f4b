"""CIS "Ensure a log metric filter and alarm exist for AWS Config configuration changes"
(v1.2 3.9, v1.3-v5 4.9, v6+ 5.9).

Sources: the CIS texts of every version as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json
(remediation and audit sections); Security Hub CloudWatch.9 from AWS Security Hub's "CloudWatch controls" page; the
calls and their service from the AWS Config API reference.
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

SOURCE = "config.amazonaws.com"
NAMES = (
    "StopConfigurationRecorder",
    "DeleteDeliveryChannel",
    "PutDeliveryChannel",
    "PutConfigurationRecorder",
)
# Names CIS leaves out: counting them or not is both right (a note recommends them).
UNLISTED = ("DeleteConfigurationRecorder",)

TARGET = calls_target(
    "AWS Config configuration changes", "recorder change", SOURCE, NAMES, extra=UNLISTED, other_sources_dont_care=False
)
TARGETS = (("1.2", TARGET),)

CANONICAL = (
    "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) ||"
    " ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) ||"
    " ($.eventName = PutConfigurationRecorder)) }"
)

TEXT = (
    "{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||"
    "($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }"
)
PUBLISHED = (
    PublishedText(
        CIS_VERSIONS,
        "remediation and audit",
        TEXT,
        PASS,
        "the four calls from AWS Config",
    ),
)

# Security Hub's exact text (AWS Security Hub user guide, CloudWatch controls).
SECURITY_HUB_TEXT = (
    "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || "
    "($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || "
    "($.eventName=PutConfigurationRecorder))}"
)

CONTROL = Control(
    slug="config-changes",
    title="AWS Config configuration changes",
    counts=calls(NAMES, SOURCE),
    either_way=f"the call CIS leaves out: {', '.join(UNLISTED)}",
    rationale=(
        "AWS Config records every resource's configuration; stopping its recorder or its delivery channel "
        "hides every later change"
    ),
    cis_v12="3.9",
    cis_v13_to_v5="4.9",
    cis_v6="5.9",
    security_hub="CloudWatch.9",
    checkov_id="TG_AWS_13",
    cfn_lint_id="E9113",
    targets=TARGETS,
    canonical=CANONICAL,
    security_hub_text=SECURITY_HUB_TEXT,
    signals=(Signal(("eventName",), names=NAMES + UNLISTED), Signal(("eventSource",), names=(SOURCE,))),
    name_words=("configchange", "awsconfig", "configrecorder"),
    notes=(
        "CIS leaves out DeleteConfigurationRecorder, which ends recording as surely as StopConfigurationRecorder; "
        "trailguard accepts a pattern with or without it and recommends adding it",
    ),
    published=PUBLISHED,
    sources=(
        cis_texts("v4.0, v7.0"),
        security_hub_page("CloudWatch.9"),
        "the AWS Config API reference",
    ),
)
