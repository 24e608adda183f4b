"""CIS "Ensure AWS Organizations changes are monitored" (v1.3-v5 4.15, v6+ 5.15; not in v1.2, no Security Hub control).

Sources: the CIS texts of v1.3-v7.0 as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json; the calls
from the AWS Organizations API reference. The CIS text pins eventSource, so the same names from other services
(IAM's CreatePolicy and DeletePolicy) are noise here, not don't care.
"""

from trailguard.controls.control import PASS, Control, PublishedText, Signal
from trailguard.controls.targets import calls_target

SOURCE = "organizations.amazonaws.com"
NAMES = (
    "AcceptHandshake",
    "AttachPolicy",
    "CreateAccount",
    "CreateOrganizationalUnit",
    "CreatePolicy",
    "DeclineHandshake",
    "DeleteOrganization",
    "DeleteOrganizationalUnit",
    "DeletePolicy",
    "DetachPolicy",
    "DisablePolicyType",
    "EnablePolicyType",
    "InviteAccountToOrganization",
    "LeaveOrganization",
    "MoveAccount",
    "RemoveAccountFromOrganization",
    "UpdatePolicy",
    "UpdateOrganizationalUnit",
)
# Prowler also demands these; CIS does not list them.
UNLISTED = ("CancelHandshake", "CreateOrganization", "EnableAllFeatures")

TARGETS = (
    (
        "1.3",
        calls_target(
            "AWS Organizations changes",
            "organization change",
            SOURCE,
            NAMES,
            extra=UNLISTED,
            other_sources_dont_care=False,
        ),
    ),
)

TEXT = (
    '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") ||'
    ' ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") ||'
    ' ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") ||'
    ' ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") ||'
    ' ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") ||'
    ' ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") ||'
    ' ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") ||'
    ' ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") ||'
    ' ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") ||'
    ' ($.eventName = "UpdateOrganizationalUnit")) }'
)
CANONICAL = TEXT
PUBLISHED = (
    PublishedText(
        ("1.3", "1.4", "1.5", "2.0", "3.0", "4.0", "5.0", "6.0", "7.0"),
        "remediation",
        TEXT,
        PASS,
        "the eighteen calls from AWS Organizations",
    ),
)

CONTROL = Control(
    slug="organizations-changes",
    title="AWS Organizations changes",
    counts=("the eighteen AWS Organizations calls CIS lists, from organizations.amazonaws.com"),
    cis_v12=None,
    cis_v13_to_v5="4.15",
    cis_v6="5.15",
    security_hub=None,
    checkov_id="TG_AWS_19",
    cfn_lint_id="E9119",
    targets=TARGETS,
    canonical=CANONICAL,
    security_hub_text=None,
    signals=(Signal(("eventName",), names=NAMES + UNLISTED), Signal(("eventSource",), names=(SOURCE,))),
    name_words=("organization",),
    notes=(
        "CancelHandshake, CreateOrganization and EnableAllFeatures are not in CIS's list (Prowler demands them): "
        "counting them or not is both right",
    ),
    published=PUBLISHED,
    sources=(
        "CIS AWS Foundations Benchmark v1.3-v7.0 (Prowler's cis_*_aws.json)",
        "the AWS Organizations API reference",
    ),
)
