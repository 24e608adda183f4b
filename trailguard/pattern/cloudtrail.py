"""What a CloudTrail record looks like, as far as judging a filter pattern needs to know.

Source: AWS CloudTrail User Guide, "CloudTrail record contents for management, data, and network activity events"
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html) and
"CloudTrail userIdentity element". Fields marked `Optional: False` there are always present, so a `!=` on them cannot
silently drop an event; every other field may be absent, and the judge must consider both cases.
"""

from __future__ import annotations

from typing import Dict, Tuple

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
    ("recipientAccountId",): STRING,
    ("additionalEventData",): ANY,
    ("resources",): ANY,
    ("tlsDetails",): OBJECT,
}

# Realistic values, tried first so that counterexamples read like real events rather than like "a" or "x".
REALISTIC_VALUES: Dict[Tuple[str, ...], Tuple[str, ...]] = {
    ("errorCode",): ("AccessDenied", "Client.UnauthorizedOperation", "AccessDeniedException", "ThrottlingException",
                     "NoSuchBucket", "Client.InvalidParameterValue"),
    ("eventName",): ("GetObject", "DescribeInstances", "HeadBucket", "ListBuckets", "PutObject", "CreateUser",
                     "AssumeRole", "ConsoleLogin", "Decrypt"),
    ("eventSource",): ("s3.amazonaws.com", "ec2.amazonaws.com", "iam.amazonaws.com", "kms.amazonaws.com",
                       "sts.amazonaws.com", "signin.amazonaws.com"),
    ("sourceIPAddress",): ("203.0.113.10", "delivery.logs.amazonaws.com", "cloudtrail.amazonaws.com",
                           "198.51.100.7"),
    ("awsRegion",): ("us-east-1", "eu-west-1"),
    ("eventType",): ("AwsApiCall", "AwsConsoleSignIn", "AwsServiceEvent"),
    ("errorMessage",): ("User: arn:aws:iam::111122223333:user/alice is not authorized to perform this action",),
    ("userIdentity", "type"): ("IAMUser", "AssumedRole", "Root", "AWSService", "AWSAccount", "FederatedUser"),
    ("userIdentity", "arn"): ("arn:aws:iam::111122223333:user/alice",),
    ("userIdentity", "invokedBy"): ("cloudformation.amazonaws.com", "AWS Internal"),
    ("userIdentity", "userName"): ("alice",),
    ("userIdentity", "accountId"): ("111122223333",),
}

# The skeleton of every counterexample: small, readable, and carrying the fields people look at first.
BASE_EVENT = {
    "eventSource": "s3.amazonaws.com",
    "eventName": "GetObject",
    "sourceIPAddress": "203.0.113.10",
    "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/alice"},
}

# The service call each denial error code typically comes from, so a counterexample reads like one real event.
EVENT_NAME_FOR_ERROR_CODE = {"Client.UnauthorizedOperation": "DescribeInstances", "AccessDeniedException": "Decrypt"}

# The service each realistic event name belongs to: when a pattern does not constrain eventSource, a counterexample
# takes the one that goes with its eventName (no S3 call named DescribeInstances).
SOURCE_FOR_EVENT_NAME = {
    "GetObject": "s3.amazonaws.com", "PutObject": "s3.amazonaws.com", "HeadBucket": "s3.amazonaws.com",
    "ListBuckets": "s3.amazonaws.com", "DescribeInstances": "ec2.amazonaws.com", "CreateUser": "iam.amazonaws.com",
    "AssumeRole": "sts.amazonaws.com", "ConsoleLogin": "signin.amazonaws.com", "Decrypt": "kms.amazonaws.com",
}

# Error codes that CloudTrail records for denied calls, by service family.
DENIED_ERROR_CODES = ("Client.UnauthorizedOperation", "AccessDenied", "AccessDeniedException")


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
