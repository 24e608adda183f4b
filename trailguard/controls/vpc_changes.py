"""CIS "Ensure a log metric filter and alarm exist for VPC changes" (v1.2 3.14, v1.3-v5 4.14, v6+ 5.14).

Sources: the CIS texts of every version as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json
(remediation and audit sections); Security Hub CloudWatch.14 from AWS Security Hub's "CloudWatch controls" page; the
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
    "CreateVpc",
    "DeleteVpc",
    "ModifyVpcAttribute",
    "AcceptVpcPeeringConnection",
    "CreateVpcPeeringConnection",
    "DeleteVpcPeeringConnection",
    "RejectVpcPeeringConnection",
)
# Names CIS leaves out: counting them or not is both right (a note recommends them).
UNLISTED = (
    "AttachClassicLinkVpc",
    "DetachClassicLinkVpc",
    "DisableVpcClassicLink",
    "EnableVpcClassicLink",
)

TARGET = calls_target("VPC changes", "VPC change", SOURCE, NAMES, extra=UNLISTED, other_sources_dont_care=True)
TARGETS = (("1.2", TARGET),)

CANONICAL = (
    "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateVpc) ||"
    " ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) ||"
    " ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) ||"
    " ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection)) }"
)

TEXT = (
    "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) ||"
    " ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) ||"
    " ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) ||"
    " ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) ||"
    " ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) ||"
    " ($.eventName = EnableVpcClassicLink) }"
)
PUBLISHED = (
    PublishedText(
        CIS_VERSIONS,
        "remediation and audit",
        TEXT,
        PASS,
        "the seven VPC calls, and the four ClassicLink calls (dead since EC2-Classic was retired)",
    ),
)

# Security Hub's exact text (AWS Security Hub user guide, CloudWatch controls).
SECURITY_HUB_TEXT = (
    "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) ||"
    " ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) ||"
    " ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) ||"
    " ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) ||"
    " ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}"
)

CONTROL = Control(
    slug="vpc-changes",
    title="VPC changes",
    counts=calls(NAMES, SOURCE),
    either_way=(
        f"the same calls from other services, and the four ClassicLink calls CIS still lists ({', '.join(UNLISTED)}): "
        "EC2-Classic was retired on 15 August 2022, so they can no longer happen"
    ),
    rationale=(
        "VPCs and their peering connections decide which networks can reach each other; an alarm on each "
        "change shows a network being joined or opened"
    ),
    cis_v12="3.14",
    cis_v13_to_v5="4.14",
    cis_v6="5.14",
    security_hub="CloudWatch.14",
    checkov_id="TG_AWS_18",
    cfn_lint_id="E9118",
    targets=TARGETS,
    canonical=CANONICAL,
    security_hub_text=SECURITY_HUB_TEXT,
    signals=(Signal(("eventName",), names=NAMES + UNLISTED), Signal(("eventSource",), names=(SOURCE,))),
    name_words=("vpc",),
    notes=(
        "the four ClassicLink calls (AttachClassicLinkVpc, DetachClassicLinkVpc, DisableVpcClassicLink, "
        "EnableVpcClassicLink) can no longer happen: EC2-Classic was retired on 15 August 2022, so a pattern may "
        "drop them",
    ),
    published=PUBLISHED,
    sources=(
        cis_texts("v1.4, v3.0, v4.0"),
        security_hub_page("CloudWatch.14"),
        "the Amazon EC2 API reference",
    ),
)
