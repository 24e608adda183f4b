"""CIS "Ensure a log metric filter and alarm exist for IAM policy changes" (v1.2 3.4, v1.3-v5 4.4, v6+ 5.4).

Sources: the CIS texts of every version as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json
(remediation and audit sections); Security Hub CloudWatch.4 from AWS Security Hub's "CloudWatch controls" page; the
calls and their service from the IAM API reference.
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

SOURCE = "iam.amazonaws.com"
NAMES = (
    "DeleteGroupPolicy",
    "DeleteRolePolicy",
    "DeleteUserPolicy",
    "PutGroupPolicy",
    "PutRolePolicy",
    "PutUserPolicy",
    "CreatePolicy",
    "DeletePolicy",
    "CreatePolicyVersion",
    "DeletePolicyVersion",
    "AttachRolePolicy",
    "DetachRolePolicy",
    "AttachUserPolicy",
    "DetachUserPolicy",
    "AttachGroupPolicy",
    "DetachGroupPolicy",
)
# Names CIS leaves out: counting them or not is both right (a note recommends them).
UNLISTED = (
    "SetDefaultPolicyVersion",
    "PutRolePermissionsBoundary",
    "DeleteRolePermissionsBoundary",
    "PutUserPermissionsBoundary",
    "DeleteUserPermissionsBoundary",
    "UpdateAssumeRolePolicy",
)

TARGET = calls_target(
    "IAM policy changes", "policy change", SOURCE, NAMES, extra=UNLISTED, other_sources_dont_care=True
)
TARGETS = (("1.2", TARGET),)

CANONICAL = (
    "{ ($.eventSource = iam.amazonaws.com) && (($.eventName = DeleteGroupPolicy) ||"
    " ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) ||"
    " ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) ||"
    " ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) ||"
    " ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) ||"
    " ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) ||"
    " ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) ||"
    " ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) ||"
    " ($.eventName = DetachGroupPolicy)) }"
)

TEXT = (
    "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||"
    "($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||"
    "($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||"
    "($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||"
    "($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||"
    "($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||"
    "($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}"
)
# Security Hub's exact text (AWS Security Hub user guide, CloudWatch controls, CloudWatch.4): CIS's names in AWS's
# own spacing, " || " between the groups.
SECURITY_HUB_TEXT = "{" + " || ".join(f"($.eventName={name})" for name in NAMES) + "}"
PUBLISHED = (
    PublishedText(
        CIS_VERSIONS,
        "remediation and audit",
        TEXT,
        PASS,
        "all sixteen calls; without eventSource it also counts Organizations' and Auto Scaling's "
        "CreatePolicy/DeletePolicy, which is don't care",
    ),
)

CONTROL = Control(
    slug="iam-policy-changes",
    title="IAM policy changes",
    counts=calls(NAMES, SOURCE),
    either_way=(
        "the same calls from other services (the CIS text has no eventSource, so Auto Scaling's and "
        "Organizations' CreatePolicy and DeletePolicy match it) and the IAM calls CIS leaves out: "
        f"{', '.join(UNLISTED)}"
    ),
    rationale=(
        "a changed IAM policy changes who may do what; an alarm on each change shows privilege being "
        "granted, escalated or removed"
    ),
    cis_v12="3.4",
    cis_v13_to_v5="4.4",
    cis_v6="5.4",
    security_hub="CloudWatch.4",
    checkov_id="TG_AWS_8",
    cfn_lint_id="E9108",
    targets=TARGETS,
    canonical=CANONICAL,
    security_hub_text=SECURITY_HUB_TEXT,
    signals=(Signal(("eventName",), names=NAMES + UNLISTED), Signal(("eventSource",), names=(SOURCE,))),
    name_words=("iampolic", "policychange"),
    notes=(
        "CIS leaves out SetDefaultPolicyVersion (it switches a managed policy to another version), the permissions "
        "boundary calls (Put/DeleteRolePermissionsBoundary, Put/DeleteUserPermissionsBoundary) and "
        "UpdateAssumeRolePolicy; trailguard accepts a pattern with or without them and recommends adding them",
    ),
    published=PUBLISHED,
    sources=(
        cis_texts("v1.4, v4.0, v7.0"),
        security_hub_page("CloudWatch.4"),
        "the IAM API reference",
    ),
)
