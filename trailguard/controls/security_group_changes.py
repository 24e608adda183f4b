"""CIS "Ensure a log metric filter and alarm exist for security group changes" (v1.2 3.10, v1.3-v5 4.10, v6+ 5.10).

Sources: the CIS texts of every version as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json (v5.0 adds
ModifySecurityGroupRules to the list); Security Hub CloudWatch.10 from AWS Security Hub's "CloudWatch controls"
page; the calls from the Amazon EC2 API reference. The only target that changes with the CIS version (CONTROLS.md,
"CIS version"): before v5.0 ModifySecurityGroupRules may be counted or not.
"""

from trailguard.controls.control import FAIL, PASS, Control, PublishedText, Signal, calls, cis_texts, security_hub_page
from trailguard.controls.targets import calls_target

SOURCE = "ec2.amazonaws.com"
SIX = (
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
    "CreateSecurityGroup",
    "DeleteSecurityGroup",
)
MODIFY = "ModifySecurityGroupRules"
SEVEN = SIX + (MODIFY,)

TARGETS = (
    ("1.2", calls_target("security group changes", "security group change", SOURCE, SIX, extra=(MODIFY,))),
    ("5.0", calls_target("security group changes", "security group change", SOURCE, SEVEN)),
)

SIX_TEXT = (
    "{ ($.eventName = AuthorizeSecurityGroupIngress) ||"
    " ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) ||"
    " ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) ||"
    " ($.eventName = DeleteSecurityGroup) }"
)
SEVEN_TEXT = (
    "{ ($.eventName = AuthorizeSecurityGroupIngress) ||"
    " ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) ||"
    " ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) ||"
    " ($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) }"
)
CANONICAL = (
    "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = AuthorizeSecurityGroupIngress) || "
    "($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || "
    "($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || "
    "($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules)) }"
)
PUBLISHED = (
    PublishedText(
        ("1.2", "1.3", "1.4", "1.5", "2.0", "3.0", "4.0"),
        "remediation and audit",
        SIX_TEXT,
        PASS,
        "the six calls CIS lists before v5.0",
    ),
    PublishedText(
        ("5.0", "6.0", "7.0"),
        "judged by v5.0+: the six-name text",
        SIX_TEXT,
        FAIL,
        "from v5.0 ModifySecurityGroupRules must be counted too, and this text misses it",
    ),
    PublishedText(
        ("5.0", "6.0", "7.0"), "remediation and audit", SEVEN_TEXT, PASS,
        "the seven calls, ModifySecurityGroupRules included",
    ),
)

# Security Hub's exact text (AWS Security Hub user guide, CloudWatch controls).
SECURITY_HUB_TEXT = (
    "{($.eventName=AuthorizeSecurityGroupIngress) ||"
    " ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) ||"
    " ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) ||"
    " ($.eventName=DeleteSecurityGroup)}"
)

CONTROL = Control(
    slug="security-group-changes",
    title="security group changes",
    counts=calls(SIX, SOURCE) + f", and from CIS v5.0 {MODIFY}",
    either_way="ModifySecurityGroupRules under CIS versions before v5.0, and the same calls from other services",
    rationale="a security group rule opens or closes a port; an alarm on each change shows a resource being exposed",
    cis_v12="3.10",
    cis_v13_to_v5="4.10",
    cis_v6="5.10",
    security_hub="CloudWatch.10",
    checkov_id="TG_AWS_14",
    cfn_lint_id="E9114",
    targets=TARGETS,
    canonical=CANONICAL,
    security_hub_text=SECURITY_HUB_TEXT,
    signals=(Signal(("eventName",), names=SEVEN), Signal(("eventSource",), names=(SOURCE,))),
    name_words=("securitygroup",),
    notes=(
        "CIS v5.0 added ModifySecurityGroupRules (it changes a rule in place, without Authorize or Revoke); "
        "judged by an older CIS version it may be counted or not",
    ),
    published=PUBLISHED,
    sources=(
        cis_texts("v1.4, v3.0, v4.0, v7.0"),
        security_hub_page("CloudWatch.10"),
        "the Amazon EC2 API reference",
    ),
)
