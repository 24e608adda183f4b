"""CIS "Ensure a log metric filter and alarm exist for changes to Network Access Control Lists (NACL)"
(v1.2 3.11, v1.3-v5 4.11, v6+ 5.11).

Sources: the CIS texts of every version as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json
(remediation and audit sections); Security Hub CloudWatch.11 from AWS Security Hub's "CloudWatch controls" page; the
calls and their service from the Amazon EC2 API reference.
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

SOURCE = "ec2.amazonaws.com"
NAMES = (
    "CreateNetworkAcl",
    "CreateNetworkAclEntry",
    "DeleteNetworkAcl",
    "DeleteNetworkAclEntry",
    "ReplaceNetworkAclEntry",
    "ReplaceNetworkAclAssociation",
)
# Names CIS leaves out: counting them or not is both right (a note recommends them).
UNLISTED = ()

TARGET = calls_target(
    "network ACL changes", "network ACL change", SOURCE, NAMES, extra=UNLISTED, other_sources_dont_care=True
)
TARGETS = (("1.2", TARGET),)

CANONICAL = (
    "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateNetworkAcl) ||"
    " ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) ||"
    " ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) ||"
    " ($.eventName = ReplaceNetworkAclAssociation)) }"
)

TEXT = (
    "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) ||"
    " ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) ||"
    " ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"
)
PUBLISHED = (
    PublishedText(
        CIS_VERSIONS,
        "remediation and audit",
        TEXT,
        PASS,
        "the six calls (EC2's own names)",
    ),
)

# Security Hub's exact text (AWS Security Hub user guide, CloudWatch controls).
SECURITY_HUB_TEXT = (
    "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) ||"
    " ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) ||"
    " ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}"
)

CONTROL = Control(
    slug="nacl-changes",
    title="network ACL changes",
    counts=calls(NAMES, SOURCE),
    either_way="the same calls from other services",
    rationale="network ACLs filter each subnet's traffic; an alarm on each change shows a subnet being opened",
    cis_v12="3.11",
    cis_v13_to_v5="4.11",
    cis_v6="5.11",
    security_hub="CloudWatch.11",
    checkov_id="TG_AWS_15",
    cfn_lint_id="E9115",
    targets=TARGETS,
    canonical=CANONICAL,
    security_hub_text=SECURITY_HUB_TEXT,
    signals=(Signal(("eventName",), names=NAMES + UNLISTED), Signal(("eventSource",), names=(SOURCE,))),
    name_words=("nacl", "networkacl"),
    notes=(),
    published=PUBLISHED,
    sources=(
        cis_texts("v1.4, v3.0, v4.0, v7.0"),
        security_hub_page("CloudWatch.11"),
        "the Amazon EC2 API reference",
    ),
)
