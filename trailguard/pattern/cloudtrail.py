"""What a CloudTrail record looks like, as far as judging a filter pattern needs to know.

Source: AWS CloudTrail User Guide, "CloudTrail record contents for management, data, and network activity events"
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html) and
"CloudTrail userIdentity element". Fields marked `Optional: False` there are always present, so a `!=` on them cannot
silently drop an event; every other field may be absent, and the judge must consider both cases.
"""

from __future__ import annotations

import copy
import functools
import re
from typing import Any, Dict, Optional, Sequence, Tuple

from trailguard.pattern import other_service_calls
from trailguard.pattern.service_calls import API_CALLS, OTHER_SERVICES_CALLING, RECORD_ONLY_NAMES, SERVICE_CALLS

STRING = "string"
OBJECT = "object"
BOOLEAN = "boolean"
ANY = "any"

# Top-level fields that every CloudTrail record has (Optional: False), with their JSON type.
ALWAYS_PRESENT: Dict[Tuple[str, ...], str] = {
    ("eventTime",): STRING,
    ("eventVersion",): STRING,
    ("userIdentity",): OBJECT,
    ("eventSource",): STRING,
    ("eventName",): STRING,
    ("awsRegion",): STRING,
    ("sourceIPAddress",): STRING,
    ("eventID",): STRING,
    ("eventType",): STRING,
    ("eventCategory",): STRING,
    # Optional: False, yet null for read-only calls ("For readOnly APIs, this field is null").
    ("requestParameters",): ANY,
    ("responseElements",): ANY,
    # The only userIdentity field marked Optional: False.
    ("userIdentity", "type"): STRING,
}

# Fields that may be absent but have a known type when present.
KNOWN_OPTIONAL: Dict[Tuple[str, ...], str] = {
    ("errorCode",): STRING,
    ("errorMessage",): STRING,
    ("userAgent",): STRING,
    ("requestID",): STRING,
    ("readOnly",): BOOLEAN,
    ("managementEvent",): BOOLEAN,
    ("apiVersion",): STRING,
    ("sharedEventID",): STRING,
    ("vpcEndpointId",): STRING,
    ("sessionCredentialFromConsole",): STRING,
    ("userIdentity", "principalId"): STRING,
    ("userIdentity", "arn"): STRING,
    ("userIdentity", "accountId"): STRING,
    ("userIdentity", "accessKeyId"): STRING,
    ("userIdentity", "userName"): STRING,
    ("userIdentity", "invokedBy"): STRING,
    ("userIdentity", "sessionContext"): OBJECT,
    # A role session's issuer and attributes ("CloudTrail userIdentity element"): strings when present, so an
    # exclusion of one role (`sessionIssuer.arn != "arn:aws:iam::...:role/Deployer"`) is not shown missing an
    # event whose issuer ARN is `true`, which CloudTrail never writes.
    ("userIdentity", "sessionContext", "sessionIssuer"): OBJECT,
    ("userIdentity", "sessionContext", "sessionIssuer", "type"): STRING,
    ("userIdentity", "sessionContext", "sessionIssuer", "arn"): STRING,
    ("userIdentity", "sessionContext", "sessionIssuer", "userName"): STRING,
    ("userIdentity", "sessionContext", "sessionIssuer", "principalId"): STRING,
    ("userIdentity", "sessionContext", "sessionIssuer", "accountId"): STRING,
    ("userIdentity", "sessionContext", "attributes", "mfaAuthenticated"): STRING,
    ("userIdentity", "sessionContext", "attributes", "creationDate"): STRING,
    ("recipientAccountId",): STRING,
    ("additionalEventData",): ANY,
    ("resources",): ANY,
    ("tlsDetails",): OBJECT,
    # Console sign-in records ("AWS Management Console sign-in events"): the outcome and MFA use are strings.
    ("responseElements", "ConsoleLogin"): STRING,
    ("additionalEventData", "MFAUsed"): STRING,
}

# Realistic values, tried first so that counterexamples read like real events rather than like "a" or "x".
REALISTIC_VALUES: Dict[Tuple[str, ...], Tuple[str, ...]] = {
    ("errorCode",): ("AccessDenied", "Client.UnauthorizedOperation", "AccessDeniedException", "ThrottlingException",
                     "NoSuchBucket", "Client.InvalidParameterValue"),
    ("eventName",): ("GetObject", "DescribeInstances", "Decrypt", "HeadBucket", "ListBuckets", "PutObject",
                     "CreateUser", "AssumeRole", "ConsoleLogin", "RunInstances", "GenerateDataKey"),
    ("eventSource",): ("s3.amazonaws.com", "ec2.amazonaws.com", "kms.amazonaws.com", "iam.amazonaws.com",
                       "sts.amazonaws.com", "lambda.amazonaws.com", "signin.amazonaws.com"),
    ("sourceIPAddress",): ("203.0.113.10", "delivery.logs.amazonaws.com", "cloudtrail.amazonaws.com",
                           "198.51.100.7"),
    ("awsRegion",): ("us-east-1", "eu-west-1"),
    ("eventType",): ("AwsApiCall", "AwsConsoleSignIn", "AwsServiceEvent"),
    ("errorMessage",): ("User: arn:aws:iam::111122223333:user/alice is not authorized to perform this action",
                        "Failed authentication"),
    ("userIdentity", "type"): ("IAMUser", "AssumedRole", "Root", "AWSService", "AWSAccount", "FederatedUser"),
    ("userIdentity", "arn"): ("arn:aws:iam::111122223333:user/alice",),
    ("userIdentity", "invokedBy"): ("cloudformation.amazonaws.com", "config.amazonaws.com", "AWS Internal"),
    ("userIdentity", "userName"): ("alice",),
    ("userIdentity", "accountId"): ("111122223333",),
    ("responseElements", "ConsoleLogin"): ("Success", "Failure"),
}

# The services counterexamples are drawn from: their calls (the first is the default) and the error code CloudTrail
# records when one is denied (AWS's error references; docs/pattern-semantics.md).
SERVICES: Dict[str, Tuple[Tuple[str, ...], str]] = {
    "s3.amazonaws.com": (("GetObject", "PutObject", "HeadBucket", "ListBuckets", "GetBucketPolicy"), "AccessDenied"),
    "ec2.amazonaws.com": (("DescribeInstances", "RunInstances", "TerminateInstances", "CreateSecurityGroup"),
                          "Client.UnauthorizedOperation"),
    "iam.amazonaws.com": (("CreateUser", "AttachRolePolicy", "ListUsers", "GetUser"), "AccessDenied"),
    "sts.amazonaws.com": (("AssumeRole", "GetSessionToken"), "AccessDenied"),
    "organizations.amazonaws.com": (("ListAccounts", "DescribeOrganization"), "AccessDenied"),
    "kms.amazonaws.com": (("Decrypt", "GenerateDataKey", "Encrypt", "DescribeKey"), "AccessDeniedException"),
    "lambda.amazonaws.com": (("ListFunctions20150331", "GetFunction20150331v2"), "AccessDeniedException"),
    "dynamodb.amazonaws.com": (("DescribeTable", "ListTables"), "AccessDeniedException"),
    "logs.amazonaws.com": (("PutMetricFilter", "DescribeLogGroups"), "AccessDeniedException"),
    "securityhub.amazonaws.com": (("GetFindings", "BatchImportFindings"), "AccessDeniedException"),
    "secretsmanager.amazonaws.com": (("GetSecretValue", "ListSecrets"), "AccessDeniedException"),
    "guardduty.amazonaws.com": (("ListDetectors", "GetFindings"), "AccessDeniedException"),
    "config.amazonaws.com": (("DescribeConfigRules", "PutEvaluations"), "AccessDeniedException"),
    "cloudtrail.amazonaws.com": (("DescribeTrails", "StopLogging"), "AccessDeniedException"),
    "sns.amazonaws.com": (("Publish", "ListTopics"), "AuthorizationError"),
    "signin.amazonaws.com": (("ConsoleLogin",), ""),
}

# Calls of the CIS monitoring controls that only one service emits (each service's API reference), so that a
# counterexample never shows, say, a DeleteRolePolicy from S3. Names several services share are left out on purpose:
# CreatePolicy/DeletePolicy (IAM, Organizations, Auto Scaling), AttachPolicy/DetachPolicy/UpdatePolicy
# (Organizations, IoT), CreateRoute/DeleteRoute (EC2, API Gateway v2).
OWNED_CALLS: Dict[str, Tuple[str, ...]] = {
    "iam.amazonaws.com": ("DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy",
                          "PutRolePolicy", "PutUserPolicy", "CreatePolicyVersion", "DeletePolicyVersion",
                          "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy",
                          "DetachGroupPolicy", "SetDefaultPolicyVersion", "PutRolePermissionsBoundary",
                          "DeleteRolePermissionsBoundary", "PutUserPermissionsBoundary",
                          "DeleteUserPermissionsBoundary", "UpdateAssumeRolePolicy"),
    "cloudtrail.amazonaws.com": ("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "PutEventSelectors",
                                 "PutInsightSelectors"),
    "kms.amazonaws.com": ("DisableKey", "ScheduleKeyDeletion"),
    "s3.amazonaws.com": ("PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle",
                         "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle",
                         "DeleteBucketReplication", "PutBucketPublicAccessBlock", "DeleteBucket"),
    "config.amazonaws.com": ("StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel",
                             "PutConfigurationRecorder", "DeleteConfigurationRecorder"),
    "ec2.amazonaws.com": ("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
                          "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "DeleteSecurityGroup",
                          "ModifySecurityGroupRules", "CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl",
                          "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation",
                          "CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway",
                          "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway",
                          "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation", "DeleteRouteTable",
                          "DisassociateRouteTable", "AssociateRouteTable", "CreateVpc", "DeleteVpc",
                          "ModifyVpcAttribute", "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection",
                          "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection", "AttachClassicLinkVpc",
                          "DetachClassicLinkVpc", "DisableVpcClassicLink", "EnableVpcClassicLink"),
    "organizations.amazonaws.com": ("AcceptHandshake", "CreateAccount", "CreateOrganizationalUnit",
                                    "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit",
                                    "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization",
                                    "LeaveOrganization", "MoveAccount", "RemoveAccountFromOrganization",
                                    "UpdateOrganizationalUnit", "CancelHandshake", "CreateOrganization",
                                    "EnableAllFeatures"),
}

# Calls near the controls' calls that the controls do not count (reads, and the neighbours CIS leaves out), so that
# a pattern counting too much is shown with a call that happens (DescribeNetworkAcls, not "NetworkAcl"). Each service's
# API reference; names several services share are left out, as above.
NEIGHBOUR_CALLS: Dict[str, Tuple[str, ...]] = {
    "ec2.amazonaws.com": ("DescribeNetworkAcls", "DescribeVpcs", "DescribeSecurityGroups",
                          "DescribeSecurityGroupRules", "DescribeRouteTables", "DescribeInternetGateways",
                          "DescribeCustomerGateways", "DescribeVpcPeeringConnections", "DescribeVpcAttribute",
                          "CreateNatGateway", "DeleteNatGateway", "CreateVpnGateway", "CreateTransitGateway",
                          "CreateEgressOnlyInternetGateway", "CreateSubnet", "DeleteSubnet", "CreateDefaultVpc",
                          "ModifyVpcEndpoint", "CreateVpcEndpoint", "DeleteVpcEndpoints", "ModifyVpcTenancy",
                          "AuthorizeClientVpnIngress", "RevokeClientVpnIngress", "CreateRouteServer",
                          "AssociateSubnetCidrBlock"),
    "s3.amazonaws.com": ("GetBucketAcl", "GetBucketCors", "GetBucketLifecycle", "GetBucketReplication",
                         "PutBucketTagging", "PutBucketVersioning", "PutBucketEncryption"),
    "iam.amazonaws.com": ("GetRolePolicy", "GetUserPolicy", "GetGroupPolicy", "GetPolicyVersion",
                          "ListAttachedRolePolicies", "ListRolePolicies", "CreateRole", "DeleteRole",
                          "DeleteAccountPasswordPolicy", "UpdateAccountPasswordPolicy"),
    "kms.amazonaws.com": ("EnableKey", "CancelKeyDeletion", "ListKeys", "CreateKey", "DisableKeyRotation"),
    "config.amazonaws.com": ("DescribeConfigurationRecorders", "DescribeDeliveryChannels",
                             "StartConfigurationRecorder"),
    "cloudtrail.amazonaws.com": ("GetTrailStatus", "GetTrail", "ListTrails", "GetEventSelectors", "LookupEvents",
                                 "CreateEventDataStore",
                                 "DeleteEventDataStore", "UpdateEventDataStore", "CreateChannel",
                                 "StopEventDataStoreIngestion"),
    "organizations.amazonaws.com": ("ListOrganizationalUnitsForParent", "DescribeAccount", "ListRoots",
                                    "EnableAWSServiceAccess", "DisableAWSServiceAccess", "CreateGovCloudAccount",
                                    "DeleteResourcePolicy", "RegisterDelegatedAdministrator",
                                    "DeregisterDelegatedAdministrator"),
    "iot.amazonaws.com": ("AttachPolicy", "DetachPolicy", "ListThings"),
}

# The service each known call belongs to: no S3 call named DescribeInstances. (GuardDuty and Security Hub both have
# a GetFindings; the first service named keeps it.) The controls' calls come after the counterexample services'.
SOURCE_FOR_EVENT_NAME: Dict[str, str] = {}
for _source, (_names, _) in SERVICES.items():
    for _name in _names:
        SOURCE_FOR_EVENT_NAME.setdefault(_name, _source)
for _source, _names in [*OWNED_CALLS.items(), *NEIGHBOUR_CALLS.items()]:
    for _name in _names:
        SOURCE_FOR_EVENT_NAME.setdefault(_name, _source)


def no_such_call(source: object, name: object) -> bool:
    """Whether `name` is no call of `source`, a service whose every call is known (`service_calls`): no record
    carries it, so no counterexample may show it."""
    return isinstance(name, str) and source in SERVICE_CALLS and name not in SERVICE_CALLS[source]  # type: ignore


def open_service_for(code: object) -> Optional[str]:
    """A service whose calls are not all known (an unknown call may be one of theirs) that can return this error
    code (None: a call that succeeded), or None when only closed services return it (EC2's codes)."""
    return next((source for source in SERVICES if source not in SERVICE_CALLS and
                 not (isinstance(code, str) and code_foreign(code, source))), None)


def closed_service_of(name: str) -> Optional[str]:
    """The first service whose every call is known that makes this call, or None."""
    return next((source for source, calls in SERVICE_CALLS.items() if name in calls), None)


# Calls of the controls that several services make (left out of the tables above): real names, never typos.
SHARED_CALLS = frozenset({"CreatePolicy", "DeletePolicy", "AttachPolicy", "DetachPolicy", "UpdatePolicy",
                          "CreateRoute", "DeleteRoute"})


def misspelt_call(name: str) -> Optional[str]:
    """The known call that `name` misspells (`DleteGroupPolicy`, `ConsoleLogIn`, `createvpc`), or None.

    A name that is not a known call, yet differs from one only in case or by one edit (a letter dropped, added,
    changed or two swapped), is a typo: no service writes it (call names are unique up to case, and AWS names no
    two calls one letter apart in the services these controls watch), so no event carries it. Such a name in a
    pattern counts nothing, and a counterexample must never show it as a call that happened."""
    if name in SOURCE_FOR_EVENT_NAME or name in SHARED_CALLS or len(name) < 6 or closed_service_of(name):
        return None
    folded = name.lower()
    for known in [*SOURCE_FOR_EVENT_NAME, *sorted(SHARED_CALLS)]:
        if known.lower() == folded or _one_edit_apart(known, name):
            return known
    return None


def unreal_value(path: Tuple[str, ...], value: str) -> bool:
    """Whether no record carries this exact value in this field: a misspelt call name, or a service or call name
    written with typographic quotes (`“ec2.amazonaws.com”`, pasted from a document: AWS reads them as part of a
    bare value, so it never matches)."""
    if path not in (("eventName",), ("eventSource",)):
        return False
    return any(quote in value for quote in "\u201c\u201d\u2018\u2019") or (
        path == ("eventName",) and misspelt_call(value) is not None)


def _one_edit_apart(first: str, second: str) -> bool:
    """Whether one insertion, deletion, substitution or swap of two neighbours turns `first` into `second`."""
    if abs(len(first) - len(second)) > 1 or first == second:
        return False
    start = next((index for index, (a, b) in enumerate(zip(first, second)) if a != b), min(len(first), len(second)))
    if len(first) == len(second):
        rest_first, rest_second = first[start + 1:], second[start + 1:]
        swapped = first[start:start + 2] == second[start:start + 2][::-1] and first[start + 2:] == second[start + 2:]
        return rest_first == rest_second or swapped
    shorter, longer = (first, second) if len(first) < len(second) else (second, first)
    return shorter[start:] == longer[start + 1:]


def known_call(event: Dict[str, Any]) -> bool:
    """Whether an event's call is one its service is known to make."""
    name, source = event.get("eventName"), event.get("eventSource")
    return SOURCE_FOR_EVENT_NAME.get(name) == source or name in SHARED_CALLS or \
        name in SERVICE_CALLS.get(source, ()) or source in OTHER_SERVICES_CALLING.get(name, ()) or \
        (isinstance(name, str) and source not in SERVICE_CALLS and (name, source) in other_service_calls.pairs())


@functools.cache
def known_calls_of(source: str) -> Tuple[str, ...]:
    """Every call this module knows the service makes: the familiar ones first (its ordinary calls, the controls'
    calls, their neighbours), so that a counterexample shows those when it can, then the rest of its calls."""
    familiar = tuple(name for name, owner in SOURCE_FOR_EVENT_NAME.items() if owner == source)
    return familiar + tuple(sorted(SERVICE_CALLS.get(source, frozenset()).difference(familiar)))


def calls_of(source: str) -> Tuple[str, ...]:
    """Calls of a service: its known calls, or for a service not in the table a name no other service owns."""
    if source in SERVICES:
        return SERVICES[source][0]
    prefix = source.split(".")[0] if source.endswith(".amazonaws.com") else ""
    return ("Describe" + "".join(part.title() for part in prefix.split("-")) + "Resources",) if prefix else ()

# The service a counterexample with this error code comes from, when the pattern leaves the service free; a call
# that failed some other way is a throttled KMS call, a call that succeeded an S3 read.
SOURCE_FOR_ERROR_CODE = {
    "Client.UnauthorizedOperation": "ec2.amazonaws.com", "AccessDenied": "s3.amazonaws.com",
    "AccessDeniedException": "kms.amazonaws.com", "ThrottlingException": "kms.amazonaws.com",
    "NoSuchBucket": "s3.amazonaws.com", "Client.InvalidParameterValue": "ec2.amazonaws.com",
}
DEFAULT_SOURCE = "s3.amazonaws.com"

# Complete identities by type ("CloudTrail userIdentity element"): every field that type carries.
ACCOUNT = "111122223333"
IDENTITIES: Dict[str, Dict[str, Any]] = {
    "IAMUser": {"type": "IAMUser", "principalId": "AIDACKCEVSQ6C2EXAMPLE", "arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
                "accountId": ACCOUNT, "accessKeyId": "AKIAIOSFODNN7EXAMPLE", "userName": "alice"},
    "AssumedRole": {"type": "AssumedRole", "principalId": "AROACKCEVSQ6C2EXAMPLE:alice",
                    "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/Admin/alice", "accountId": ACCOUNT,
                    "accessKeyId": "ASIAIOSFODNN7EXAMPLE",
                    "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROACKCEVSQ6C2EXAMPLE",
                                                         "arn": f"arn:aws:iam::{ACCOUNT}:role/Admin",
                                                         "accountId": ACCOUNT, "userName": "Admin"}}},
    "Root": {"type": "Root", "principalId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:root", "accountId": ACCOUNT,
             "accessKeyId": "ASIAIOSFODNN7EXAMPLE"},
    "AWSService": {"type": "AWSService", "invokedBy": "config.amazonaws.com"},
    "AWSAccount": {"type": "AWSAccount", "principalId": "AIDACKCEVSQ6C2EXAMPLE", "accountId": "444455556666"},
    "FederatedUser": {"type": "FederatedUser", "principalId": f"{ACCOUNT}:bob",
                      "arn": f"arn:aws:sts::{ACCOUNT}:federated-user/bob", "accountId": ACCOUNT,
                      "accessKeyId": "ASIAIOSFODNN7EXAMPLE"},
}
# Every userIdentity.type CloudTrail writes ("CloudTrail userIdentity element"); the values are case-sensitive.
IDENTITY_TYPES = frozenset({"Root", "IAMUser", "AssumedRole", "Role", "FederatedUser", "Directory", "AWSAccount",
                            "AWSService", "IdentityCenterUser", "SAMLUser", "WebIdentityUser", "Unknown"})
# What a ConsoleLogin record says of the sign-in in responseElements ("AWS Management Console sign-in events").
SIGN_IN_OUTCOMES = ("Success", "Failure")
_ROOT_ARN = re.compile(r"arn:aws[a-z-]*:iam::[^:]*:root")
# The ARN each identity type that has one carries ("CloudTrail userIdentity element"; any partition and account,
# any path and name): an IAM user's is never `:root`, nor a role session's `:user/...`.
_NAME = r"[\w+=,.@-]+"  # the characters IAM allows in user, role and session names
IDENTITY_ARNS: Dict[str, re.Pattern[str]] = {
    "Root": _ROOT_ARN,
    "IAMUser": re.compile(rf"arn:aws[a-z-]*:iam::[^:]*:user/(?:{_NAME}/)*{_NAME}"),
    "AssumedRole": re.compile(rf"arn:aws[a-z-]*:sts::[^:]*:assumed-role/{_NAME}/{_NAME}"),
    "FederatedUser": re.compile(rf"arn:aws[a-z-]*:sts::[^:]*:federated-user/{_NAME}"),
}


def arns_for(kind: object, names: Sequence[str]) -> Tuple[str, ...]:
    """ARNs an identity of this type carries: its ordinary one, then one per given name that IAM would allow as the
    user's (or session's) name, so that a pattern looking for `*root*` is shown the IAM user called root."""
    template = IDENTITIES.get(kind, {}).get("arn") if isinstance(kind, str) else None
    if template is None:
        return ()
    if kind == "Root":
        return (template,)
    prefix = template.rsplit("/", 1)[0] + "/"
    return (template,) + tuple(prefix + name for name in names if re.fullmatch(_NAME, name))
# Identity types that never sign in to the console (a service, or another account's principal acting here).
NEVER_SIGN_IN = frozenset({"AWSService", "AWSAccount"})
# Fields an identity of each type may lack and still be one CloudTrail writes.
OPTIONAL_IDENTITY_FIELDS = frozenset({"invokedBy", "sessionContext", "accessKeyId"})

# Error codes that CloudTrail records for denied calls, by service family.
DENIED_ERROR_CODES = ("Client.UnauthorizedOperation", "AccessDenied", "AccessDeniedException")


def skeleton(error_code: Optional[str]) -> Dict[str, Any]:
    """A complete, ordinary event for an error code (None: a call that succeeded): one IAM user's call to the
    service that writes that code."""
    source = SOURCE_FOR_ERROR_CODE.get(error_code or "", DEFAULT_SOURCE)
    if error_code and error_code not in SOURCE_FOR_ERROR_CODE:
        source = "ec2.amazonaws.com" if error_code.endswith("UnauthorizedOperation") else DEFAULT_SOURCE
    event: Dict[str, Any] = {"eventSource": source, "eventName": SERVICES[source][0][0]}
    if error_code is not None:
        event["errorCode"] = error_code
    event.update(sourceIPAddress="203.0.113.10", userIdentity=copy.deepcopy(IDENTITIES["IAMUser"]))
    return event


# What CloudTrail writes in every record besides the call, the service and the identity (record contents,
# `Optional: False`), for counterexamples shown as whole records. Console sign-ins are their own event type, with
# the sign-in's outcome in responseElements and its MFA use in additionalEventData (CloudTrail User Guide,
# "AWS Management Console sign-in events").
RECORD_DEFAULTS: Dict[str, Any] = {
    "eventVersion": "1.09", "eventTime": "2026-01-15T09:30:00Z", "awsRegion": "us-east-1",
    "eventID": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "eventType": "AwsApiCall", "eventCategory": "Management",
    "recipientAccountId": ACCOUNT, "userAgent": "aws-cli/2.15.0", "requestParameters": None,
    "responseElements": None,
}
# What a few of the monitored calls carry in requestParameters (each service's API reference), so that their
# counterexamples read as the records they are; other calls show null.
_ROLE, _KEY = "Admin", f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
REQUEST_PARAMETERS: Dict[str, Dict[str, Any]] = {
    "DeleteRolePolicy": {"roleName": _ROLE, "policyName": "inline-admin"},
    "PutRolePolicy": {"roleName": _ROLE, "policyName": "inline-admin", "policyDocument": "{...}"},
    "AttachRolePolicy": {"roleName": _ROLE, "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
    "DetachRolePolicy": {"roleName": _ROLE, "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
    "StopLogging": {"name": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/management-events"},
    "DeleteTrail": {"name": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/management-events"},
    "DisableKey": {"keyId": _KEY},
    "ScheduleKeyDeletion": {"keyId": _KEY, "pendingWindowInDays": 7},
    "PutBucketPolicy": {"bucketName": "example-reports", "Host": "example-reports.s3.amazonaws.com", "policy": ""},
    "StopConfigurationRecorder": {"configurationRecorderName": "default"},
    "AuthorizeSecurityGroupIngress": {"groupId": "sg-0123456789abcdef0"},
    "CreateRoute": {"routeTableId": "rtb-0123456789abcdef0", "destinationCidrBlock": "0.0.0.0/0"},
}
SIGN_IN_DEFAULTS: Dict[str, Any] = {
    "eventType": "AwsConsoleSignIn", "userAgent": "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101",
    "additionalEventData": {"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No",
                            "MFAUsed": "No"},
}


def complete(event: Dict[str, Any], read: Sequence[Tuple[object, ...]]) -> Dict[str, Any]:
    """The event as a whole record: every field CloudTrail always writes, added where no formula reads it (so no
    verdict changes), with a console sign-in's outcome following its error message."""
    defaults = dict(RECORD_DEFAULTS)
    if event.get("eventName") == "ConsoleLogin":
        failed = "errorMessage" in event
        defaults.update(SIGN_IN_DEFAULTS, responseElements={"ConsoleLogin": "Failure" if failed else "Success"})
    defaults["requestParameters"] = REQUEST_PARAMETERS.get(event.get("eventName"))
    completed = copy.deepcopy(event)
    for key, value in defaults.items():
        _fill(completed, (key,), value, read)
    return completed


def _fill(container: Dict[str, Any], path: Tuple[str, ...], value: Any, read: Sequence[Tuple[object, ...]]) -> None:
    """Put a default at a path unless a formula reads it or a field above it; below a read object, fill in the
    sub-fields no formula reads."""
    if any(path[:len(other)] == other for other in read):
        return
    current = container.get(path[-1])
    if any(other[:len(path)] == path for other in read):
        if isinstance(value, dict) and isinstance(current, dict):
            for key, inner in value.items():
                _fill(current, path + (key,), inner, read)
        return
    container.setdefault(path[-1], copy.deepcopy(value))


SIGN_IN_SOURCE, SIGN_IN_TYPE = "signin.amazonaws.com", "AwsConsoleSignIn"
# CloudTrail names every call, without spaces (`ListFunctions20150331`). Nothing stricter: a name written in a
# pattern in any script (`HéadBucket`) is judged like an ASCII one, even if no service has it yet.
_CALL_NAME = re.compile(r"\S+")


def event_types_for(name: object, source: object) -> Tuple[str, ...]:
    """The eventType values a record of this call carries: a console sign-in's own, or an API call's or a
    service event's."""
    if name == "ConsoleLogin":
        return (SIGN_IN_TYPE,)
    if source == SIGN_IN_SOURCE:  # the sign-in steps, and the sign-in service's API (BatchRevokeSessions)
        return (SIGN_IN_TYPE, "AwsApiCall")
    if isinstance(source, str) and name in API_CALLS.get(source, ()):
        return ("AwsApiCall",)  # someone called it: a service's own doings are its service events
    if isinstance(source, str) and name in RECORD_ONLY_NAMES.get(source, ()):
        return ("AwsServiceEvent",)
    return ("AwsApiCall", "AwsServiceEvent")


def _incoherent_call(source: object, name: object, kind: object) -> Optional[str]:
    """Why no record has this call, service and event type together, or None."""
    if isinstance(name, str) and not _CALL_NAME.fullmatch(name):
        return f"no call is named {name!r}"
    if isinstance(source, str) and misspelt_service(source):
        return f"{source} is no service (a misspelling of {misspelt_service(source)})"
    if no_such_call(source, name):
        return f"{source} has no call {name}"
    if isinstance(name, str) and source not in SERVICE_CALLS and name in SOURCE_FOR_EVENT_NAME and \
            source != SOURCE_FOR_EVENT_NAME[name] and source not in OTHER_SERVICES_CALLING.get(name, ()):
        return f"{name} is not a call of {source}"
    if kind == SIGN_IN_TYPE and source != SIGN_IN_SOURCE:
        return f"only a console sign-in ({SIGN_IN_SOURCE}) has eventType {SIGN_IN_TYPE}"
    if isinstance(kind, str) and kind in ("AwsApiCall", "AwsServiceEvent", SIGN_IN_TYPE) and \
            kind not in event_types_for(name, source):
        return f"a record of {name} from {source} has eventType {' or '.join(event_types_for(name, source))}"
    return None


def misspelt_service(source: str) -> Optional[str]:
    """The known service that `source` misspells by one edit (`organization.amazonaws.com`), or None. Only for
    names of six letters or more: short ones are one edit from other real services (sso, ses and sts; ecs and
    ec2), which trailguard does not all know."""
    if source in SERVICES or source in SERVICE_CALLS or len(source.split(".")[0]) < 6:
        return None
    return next((known for known in [*SERVICES, *SERVICE_CALLS] if _one_edit_apart(known, source)), None)


def incoherent(event: Dict[str, Any]) -> Optional[str]:
    """Why CloudTrail could not have written this event (a call and a service that do not belong together, an error
    code its service never returns, an incomplete identity), or None when it could."""
    source, name, code = event.get("eventSource"), event.get("eventName"), event.get("errorCode")
    call = _incoherent_call(source, name, event.get("eventType"))
    if call:
        return call
    if isinstance(code, str) and code_foreign(code, source):
        return f"{source} does not return {code}"
    response = event.get("responseElements")
    if name != "ConsoleLogin" and isinstance(response, dict) and "ConsoleLogin" in response:
        return "only a ConsoleLogin record has responseElements.ConsoleLogin"
    if name == "ConsoleLogin" and "responseElements" in event:
        outcome = response.get("ConsoleLogin") if isinstance(response, dict) else None
        if outcome not in SIGN_IN_OUTCOMES:
            return "a ConsoleLogin record's responseElements is {\"ConsoleLogin\": \"Success\"} or \"Failure\""
        if (outcome == "Failure") != ("errorMessage" in event):
            return "a failed sign-in, and only a failed one, has an errorMessage"
    identity = event.get("userIdentity")
    kind = identity.get("type") if isinstance(identity, dict) else None
    if isinstance(kind, str) and kind not in IDENTITY_TYPES:
        return f"CloudTrail writes no identity of type {kind}"
    if name == "ConsoleLogin" and kind in NEVER_SIGN_IN:
        return f"an identity of type {kind} never signs in to the console"
    arn = identity.get("arn") if isinstance(identity, dict) else None
    if isinstance(arn, str) and kind in IDENTITIES and _foreign_arn(kind, arn):
        return _foreign_arn(kind, arn)
    context = identity.get("sessionContext") if isinstance(identity, dict) else None
    if kind in ("IAMUser", "Root") and isinstance(context, dict) and "sessionIssuer" in context:
        return f"an identity of type {kind} acts with its own credentials: it has no sessionContext.sessionIssuer"
    if kind in IDENTITIES:
        missing = set(IDENTITIES[kind]) - OPTIONAL_IDENTITY_FIELDS - set(identity)
        if missing:
            return f"an identity of type {kind} always has {', '.join(sorted(missing))}"
    return None


def _foreign_arn(kind: str, arn: str) -> Optional[str]:
    """Why an identity of this type cannot carry this ARN, or None when it can."""
    if kind != "Root" and _ROOT_ARN.fullmatch(arn):
        return "only the root user's ARN is arn:aws:iam::ACCOUNT:root"
    if "arn" not in IDENTITIES[kind]:
        return f"an identity of type {kind} has no ARN"
    if kind in IDENTITY_ARNS and not IDENTITY_ARNS[kind].fullmatch(arn):
        return f"an identity of type {kind} has an ARN of the form {IDENTITIES[kind]['arn']}"
    return None


def code_foreign(code: str, source: object) -> bool:
    """Whether a denial code cannot come from this service: *UnauthorizedOperation only from EC2, the known denial
    codes only from the services that use them."""
    if code.endswith("UnauthorizedOperation"):
        return source != "ec2.amazonaws.com"
    if not code.startswith("AccessDenied"):
        return False
    if source == "ec2.amazonaws.com":
        return True
    own = SERVICES.get(source, ((), ""))[1] if isinstance(source, str) else ""
    return code in DENIED_ERROR_CODES and own in DENIED_ERROR_CODES and own != code


# Every field CloudTrail documents, at the top level and in userIdentity. Anything else never appears there (a
# `$.errorcode` is a typo, not a field that might exist); below these fields, e.g. in requestParameters, anything can.
DOCUMENTED_TOP_LEVEL = frozenset({
    "eventTime", "eventVersion", "userIdentity", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
    "requestParameters", "responseElements", "eventID", "eventType", "eventCategory", "userAgent", "errorCode",
    "errorMessage", "additionalEventData", "requestID", "apiVersion", "managementEvent", "readOnly", "resources",
    "recipientAccountId", "serviceEventDetails", "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId", "addendum",
    "sessionCredentialFromConsole", "eventContext", "edgeDeviceDetails", "tlsDetails", "annotation", "insightDetails",
})
DOCUMENTED_USER_IDENTITY = frozenset({
    "type", "userName", "principalId", "arn", "accountId", "accessKeyId", "sessionContext", "invokedBy",
    "invokedByDelegate", "onBehalfOf", "inScopeOf", "credentialId", "identityProvider",
})


def undocumented(path: Tuple[object, ...]) -> bool:
    """Whether a selector names a field CloudTrail never writes (at the top level or directly in userIdentity)."""
    if not path or not isinstance(path[0], str):
        return False
    if path[0] not in DOCUMENTED_TOP_LEVEL:
        return True
    return path[0] == "userIdentity" and len(path) > 1 and isinstance(path[1], str) and \
        path[1] not in DOCUMENTED_USER_IDENTITY


def field_type(path: Tuple[str, ...]) -> str:
    """The JSON type of a field, or ANY when CloudTrail does not fix it (e.g. inside requestParameters)."""
    return ALWAYS_PRESENT.get(path) or KNOWN_OPTIONAL.get(path) or ANY


def always_present(path: Tuple[str, ...]) -> bool:
    """Whether every CloudTrail record has this field."""
    return path in ALWAYS_PRESENT
