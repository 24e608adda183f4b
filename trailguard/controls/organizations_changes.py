"""CIS "Ensure AWS Organizations changes are monitored" (v1.3-v5 4.15, v6+ 5.15; not in v1.2, no Security Hub control).

Sources: the CIS texts of v1.3-v7.0 as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json (read in
cis_1.4, cis_3.0, cis_4.0 and cis_7.0: v1.4 and v3.0 quote the call names, v4.0 and v7.0 print them bare; Prowler
has no v1.3 file); the calls from the AWS Organizations API reference. The CIS text pins eventSource, so the same
names from other services (IAM's CreatePolicy and DeletePolicy) are noise here, not don't care.
"""

from trailguard.controls.control import PASS, Control, PublishedText, Signal, calls, cis_texts
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
# v4.0-v7.0 print the same text with bare call names.
BARE_TEXT = TEXT.replace('"', "")
CANONICAL = TEXT
PUBLISHED = (
    PublishedText(("1.3", "1.4", "1.5", "2.0", "3.0"), "remediation and audit", TEXT, PASS,
                  "the eighteen calls from AWS Organizations"),
    PublishedText(("4.0", "5.0", "6.0", "7.0"), "remediation and audit", BARE_TEXT, PASS,
                  "the same calls with bare names: bare and quoted values mean the same"),
)

CONTROL = Control(
    slug="organizations-changes",
    title="AWS Organizations changes",
    counts=calls(NAMES, SOURCE),
    either_way=f"{', '.join(UNLISTED)} (Prowler demands them; CIS does not list them)",
    rationale=(
        "AWS Organizations decides which accounts belong to the organization and which service control "
        "policies bind them; an alarm on each change shows an account leaving or a guardrail being lifted"
    ),
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
        cis_texts("v1.4, v3.0, v4.0, v7.0"),
        "the AWS Organizations API reference",
    ),
)
