"""Each control's target written again, independently of its module, straight from CONTROLS.md: which events must
be counted, which may be counted or not. The brute-force tests check the judge against these."""

from __future__ import annotations

from typing import Any, Callable, Dict, Tuple

Event = Dict[str, Any]

EC2 = "ec2.amazonaws.com"


def _calls(source: str, names, unlisted=(), other_sources_dont_care=True, unlisted_prefixes=()):
    def must(event: Event) -> bool:
        return event.get("eventSource") == source and event.get("eventName") in names

    def dont_care(event: Event) -> bool:
        name = event.get("eventName")
        if must(event) or not isinstance(name, str):
            return False
        own = event.get("eventSource") == source
        if other_sources_dont_care:
            return name in unlisted or name in names
        return own and (name in unlisted or name.startswith(tuple(unlisted_prefixes)))
    return must, dont_care


def _mfa():
    def used(event):
        data = event.get("additionalEventData")
        return data.get("MFAUsed") if isinstance(data, dict) else None

    def must(event):
        response = event.get("responseElements")
        success = isinstance(response, dict) and response.get("ConsoleLogin") == "Success"
        return event.get("eventName") == "ConsoleLogin" and event["userIdentity"].get("type") == "IAMUser" and \
            success and used(event) == "No"

    def dont_care(event):
        return event.get("eventName") == "ConsoleLogin" and isinstance(used(event), str) and used(event) != "Yes" \
            and not must(event)
    return must, dont_care


def _root():
    def root(event):
        return event["userIdentity"].get("type") == "Root"

    def must(event):
        return root(event) and "invokedBy" not in event["userIdentity"] and event.get("eventType") != "AwsServiceEvent"

    def dont_care(event):
        return root(event) and not must(event)
    return must, dont_care


def _auth_failures():
    def failed(event):
        return event.get("eventName") == "ConsoleLogin" and isinstance(event.get("errorMessage"), str)

    def must(event):
        return failed(event) and event["errorMessage"] == "Failed authentication"

    def dont_care(event):
        return failed(event) and not must(event)
    return must, dont_care


IAM = ("DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy",
       "PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion",
       "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy",
       "DetachGroupPolicy")
SG6 = ("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
       "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup")
ORGS = ("AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy",
        "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy",
        "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount",
        "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit")

# (slug, CIS version) -> (must, dont_care); the version matters for security groups only.
ORACLES: Dict[Tuple[str, str], Tuple[Callable[[Event], bool], Callable[[Event], bool]]] = {
    ("console-signin-without-mfa", "7.0"): _mfa(),
    ("root-usage", "7.0"): _root(),
    ("iam-policy-changes", "7.0"): _calls("iam.amazonaws.com", IAM, (
        "SetDefaultPolicyVersion", "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary",
        "PutUserPermissionsBoundary", "DeleteUserPermissionsBoundary", "UpdateAssumeRolePolicy")),
    ("cloudtrail-changes", "7.0"): _calls("cloudtrail.amazonaws.com", (
        "CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"),
        ("PutEventSelectors", "PutInsightSelectors")),
    ("console-auth-failures", "7.0"): _auth_failures(),
    ("cmk-disable-or-deletion", "7.0"): _calls("kms.amazonaws.com", ("DisableKey", "ScheduleKeyDeletion"),
                                               other_sources_dont_care=False),
    ("s3-bucket-policy-changes", "7.0"): _calls("s3.amazonaws.com", (
        "PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication",
        "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication"),
        other_sources_dont_care=False, unlisted_prefixes=("PutBucket", "DeleteBucket")),
    ("config-changes", "7.0"): _calls("config.amazonaws.com", (
        "StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder"),
        ("DeleteConfigurationRecorder",), other_sources_dont_care=False),
    ("security-group-changes", "4.0"): _calls(EC2, SG6, ("ModifySecurityGroupRules",)),
    ("security-group-changes", "7.0"): _calls(EC2, SG6 + ("ModifySecurityGroupRules",)),
    ("nacl-changes", "7.0"): _calls(EC2, (
        "CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
        "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation")),
    ("network-gateway-changes", "7.0"): _calls(EC2, (
        "CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway", "CreateInternetGateway",
        "DeleteInternetGateway", "DetachInternetGateway"),
        ("CreateNatGateway", "DeleteNatGateway", "CreateEgressOnlyInternetGateway", "DeleteEgressOnlyInternetGateway",
         "CreateVpnGateway", "DeleteVpnGateway", "AttachVpnGateway", "DetachVpnGateway", "CreateTransitGateway",
         "DeleteTransitGateway")),
    ("route-table-changes", "7.0"): _calls(EC2, (
        "CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation", "DeleteRouteTable",
        "DeleteRoute", "DisassociateRouteTable"), ("AssociateRouteTable",)),
    ("vpc-changes", "7.0"): _calls(EC2, (
        "CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection",
        "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection"),
        ("AttachClassicLinkVpc", "DetachClassicLinkVpc", "DisableVpcClassicLink", "EnableVpcClassicLink")),
    ("organizations-changes", "7.0"): _calls("organizations.amazonaws.com", ORGS,
                                             ("CancelHandshake", "CreateOrganization", "EnableAllFeatures"),
                                             other_sources_dont_care=False),
}
