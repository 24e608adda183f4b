"""CIS "Ensure a log metric filter and alarm exist for changes to network gateways" (v1.2 3.12, v1.3-v5 4.12, v6+ 5.12).

Sources: the CIS texts of every version as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json
(remediation and audit sections); Security Hub CloudWatch.12 from AWS Security Hub's "CloudWatch controls" page; the
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
    "CreateCustomerGateway",
    "DeleteCustomerGateway",
    "AttachInternetGateway",
    "CreateInternetGateway",
    "DeleteInternetGateway",
    "DetachInternetGateway",
)
# Names CIS leaves out: counting them or not is both right (a note recommends them).
UNLISTED = (
    "CreateNatGateway",
    "DeleteNatGateway",
    "CreateEgressOnlyInternetGateway",
    "DeleteEgressOnlyInternetGateway",
    "CreateVpnGateway",
    "DeleteVpnGateway",
    "AttachVpnGateway",
    "DetachVpnGateway",
    "CreateTransitGateway",
    "DeleteTransitGateway",
)

TARGET = calls_target(
    "network gateway changes", "gateway change", SOURCE, NAMES, extra=UNLISTED, other_sources_dont_care=True
)
TARGETS = (("1.2", TARGET),)

CANONICAL = (
    "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateCustomerGateway) ||"
    " ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) ||"
    " ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) ||"
    " ($.eventName = DetachInternetGateway)) }"
)

TEXT = (
    "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) ||"
    " ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) ||"
    " ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }"
)
PUBLISHED = (
    PublishedText(
        CIS_VERSIONS,
        "remediation and audit",
        TEXT,
        PASS,
        "the six customer and internet gateway calls",
    ),
)

# Security Hub's exact text (AWS Security Hub user guide, CloudWatch controls).
SECURITY_HUB_TEXT = (
    "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) ||"
    " ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) ||"
    " ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}"
)

CONTROL = Control(
    slug="network-gateway-changes",
    title="network gateway changes",
    counts=calls(NAMES, SOURCE),
    either_way=(
        f"the same calls from other services, and the other gateway calls CIS does not list: {', '.join(UNLISTED)}"
    ),
    rationale=(
        "gateways are the way traffic leaves or enters a VPC; an alarm on each change shows a new path in or "
        "out"
    ),
    cis_v12="3.12",
    cis_v13_to_v5="4.12",
    cis_v6="5.12",
    security_hub="CloudWatch.12",
    checkov_id="TG_AWS_16",
    cfn_lint_id="E9116",
    targets=TARGETS,
    canonical=CANONICAL,
    security_hub_text=SECURITY_HUB_TEXT,
    signals=(Signal(("eventName",), names=NAMES + UNLISTED), Signal(("eventSource",), names=(SOURCE,))),
    name_words=("gateway",),
    notes=(
        "NAT, egress-only, VPN and transit gateway calls are not in CIS's list: counting them or not is both right",
    ),
    published=PUBLISHED,
    sources=(
        cis_texts("v1.4, v3.0, v4.0"),
        security_hub_page("CloudWatch.12"),
        "the Amazon EC2 API reference",
    ),
)
