"""The facts the control modules take from their sources, checked against an independent transcription of those
sources (docs/controls.md, "Sources").

Security Hub compares a filter's text byte for byte, so each control's `security_hub_text` must be the exact text of
the AWS Security Hub user guide's "CloudWatch controls" page (awsdocs/aws-security-hub-user-guide,
doc_source/cloudwatch-controls.md): the texts below were copied from that page a second time, apart from the modules.
"""

from __future__ import annotations

import pytest

from trailguard.controls import CONTROLS, by_slug, judge
from trailguard.controls.security_hub import security_hub_accepts, security_hub_note

# The page's "Copy the following pattern" block of each control, verbatim.
SECURITY_HUB_PAGE = {
    "CloudWatch.1": '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && '
                    '$.eventType !="AwsServiceEvent"}',
    "CloudWatch.2": '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
    "CloudWatch.3": '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
                    '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    "CloudWatch.4": "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || "
                    "($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || "
                    "($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || "
                    "($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || "
                    "($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || "
                    "($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || "
                    "($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}",
    "CloudWatch.5": "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || "
                    "($.eventName=StartLogging) || ($.eventName=StopLogging)}",
    "CloudWatch.6": '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    "CloudWatch.7": "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || "
                    "($.eventName=ScheduleKeyDeletion))}",
    "CloudWatch.8": "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || "
                    "($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) "
                    "|| ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || "
                    "($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || "
                    "($.eventName=DeleteBucketReplication))}",
    "CloudWatch.9": "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || "
                    "($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || "
                    "($.eventName=PutConfigurationRecorder))}",
    "CloudWatch.10": "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || "
                     "($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || "
                     "($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}",
    "CloudWatch.11": "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || "
                     "($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || "
                     "($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}",
    "CloudWatch.12": "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || "
                     "($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || "
                     "($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}",
    "CloudWatch.13": "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || "
                     "($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || "
                     "($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}",
    "CloudWatch.14": "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || "
                     "($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || "
                     "($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || "
                     "($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || "
                     "($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}",
}
WITH_HUB = [control for control in CONTROLS if control.security_hub]


def test_every_security_hub_control_of_the_page_has_its_control():
    assert sorted(control.security_hub for control in WITH_HUB) == sorted(SECURITY_HUB_PAGE)
    assert by_slug("organizations-changes").security_hub is None


@pytest.mark.parametrize("control", WITH_HUB, ids=lambda control: control.security_hub)
def test_security_hub_text_is_the_page_s_text_byte_for_byte(control):
    assert control.security_hub_text == SECURITY_HUB_PAGE[control.security_hub]
    assert security_hub_accepts(SECURITY_HUB_PAGE[control.security_hub], control) is True


@pytest.mark.parametrize("control", WITH_HUB, ids=lambda control: control.security_hub)
def test_a_respaced_text_is_not_security_hub_s_and_the_note_gives_its_text(control):
    respaced = control.security_hub_text.replace("{", "{ ", 1)
    assert security_hub_accepts(respaced, control) is False
    assert control.security_hub_text in security_hub_note(respaced, control)


def test_security_hub_s_texts_pass_under_cis_v14_and_only_the_security_group_text_fails_under_the_newest():
    failing = [control.slug for control in WITH_HUB if not judge(control.security_hub_text, control).ok]
    assert all(judge(control.security_hub_text, control, "1.4").ok for control in WITH_HUB)
    assert failing == ["security-group-changes"]


def test_the_mfa_canonical_pattern_is_the_one_security_hub_asks_for():
    control = by_slug("console-signin-without-mfa")
    assert control.canonical == control.security_hub_text


@pytest.mark.parametrize("pattern", [
    '{ ($.eventName = ConsoleLogin) && ($.errorMessage = Failed authentication) }',
    '{ $.errorMessage = Failed authentication }',
])
def test_a_bare_value_with_a_space_is_invalid_as_aws_s_syntax_page_says(pattern):
    """AWS, "Filter and Pattern Syntax": "Strings that consist entirely of alphanumeric characters do not need to be
    quoted. Strings that have unicode and other characters [...] must be enclosed in double quotes to be valid."."""
    verdict = judge(pattern, "console-auth-failures")
    assert verdict.status == "INVALID"
    assert '"Failed authentication"' in verdict.error


def test_bare_values_with_dots_and_stars_are_read_as_aws_s_own_examples_write_them():
    assert judge("{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || "
                 "($.eventName = ScheduleKeyDeletion)) }", "cmk-disable-or-deletion").ok
    assert judge("{ ($.errorCode = *UnauthorizedOperation) || ($.errorCode = AccessDenied*) }",
                 "unauthorized-api-calls").ok
