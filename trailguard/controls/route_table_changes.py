"""CIS "Ensure a log metric filter and alarm exist for route table changes" (v1.2 3.13, v1.3-v5 4.13, v6+ 5.13).

Sources: the CIS texts of every version as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json (since
v3.0 the audit text adds an eventSource that binds, by precedence, to CreateRoute only; the remediation text has
none); Security Hub CloudWatch.13 from AWS Security Hub's "CloudWatch controls" page; the calls from the Amazon EC2
API reference, and API Gateway v2's own CreateRoute/DeleteRoute from its API reference.
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
    "CreateRoute",
    "CreateRouteTable",
    "ReplaceRoute",
    "ReplaceRouteTableAssociation",
    "DeleteRouteTable",
    "DeleteRoute",
    "DisassociateRouteTable",
)
UNLISTED = ("AssociateRouteTable",)

TARGETS = (("1.2", calls_target("route table changes", "route table change", SOURCE, NAMES, extra=UNLISTED)),)

TEXT = (
    "{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) ||"
    " ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) ||"
    " ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) ||"
    " ($.eventName = DisassociateRouteTable) }"
)
AUDIT_TEXT = (
    "{($.eventSource = ec2.amazonaws.com) && ($.eventName = CreateRoute) ||"
    " ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) ||"
    " ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) ||"
    " ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }"
)
CANONICAL = (
    "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) ||"
    " ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) ||"
    " ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) ||"
    " ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) ||"
    " ($.eventName = AssociateRouteTable)) }"
)
PUBLISHED = (
    PublishedText(
        CIS_VERSIONS,
        "remediation",
        TEXT,
        PASS,
        "the seven calls from any service: API Gateway's CreateRoute/DeleteRoute are don't care",
    ),
    PublishedText(
        ("3.0", "4.0", "5.0", "6.0", "7.0"),
        "audit",
        AUDIT_TEXT,
        PASS,
        "A && B || C || ... binds eventSource to CreateRoute only (precedence): every EC2 call is still "
        "counted, and the other names from other services are don't care",
    ),
)

# Security Hub's exact text (AWS Security Hub user guide, CloudWatch controls).
SECURITY_HUB_TEXT = (
    "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) ||"
    " ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) ||"
    " ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) ||"
    " ($.eventName=DisassociateRouteTable)}"
)

CONTROL = Control(
    slug="route-table-changes",
    title="route table changes",
    counts=calls(NAMES, SOURCE),
    either_way=(
        "API Gateway's CreateRoute and DeleteRoute (apigateway.amazonaws.com; the CIS remediation text has "
        f"no eventSource), the same calls from other services, and the call CIS leaves out: {', '.join(UNLISTED)}"
    ),
    rationale=(
        "a route decides where a subnet's traffic goes; an alarm on each change shows traffic being sent "
        "somewhere new"
    ),
    cis_v12="3.13",
    cis_v13_to_v5="4.13",
    cis_v6="5.13",
    security_hub="CloudWatch.13",
    checkov_id="TG_AWS_17",
    cfn_lint_id="E9117",
    targets=TARGETS,
    canonical=CANONICAL,
    security_hub_text=SECURITY_HUB_TEXT,
    signals=(Signal(("eventName",), names=NAMES + UNLISTED), Signal(("eventSource",), names=(SOURCE,))),
    name_words=("routetable", "route"),
    notes=(
        "CIS leaves out AssociateRouteTable, which attaches a subnet to another route table; trailguard accepts "
        "a pattern with or without it and recommends adding it",
        "without eventSource the CIS text also counts API Gateway's CreateRoute and DeleteRoute "
        "(apigateway.amazonaws.com): that is don't care, and ($.eventSource = ec2.amazonaws.com) removes it",
    ),
    published=PUBLISHED,
    sources=(
        cis_texts("v1.4, v3.0, v4.0"),
        security_hub_page("CloudWatch.13"),
        "the Amazon EC2 API reference",
    ),
)
