"""Patterns people write for the eleven controls that are lists of one service's calls, judged by meaning.

Each table is one control: the shapes public CIS modules, Landing Zone and Control Tower templates, Prowler, Steampipe,
Trivy and Security Hub texts take (quoting, clause order, parentheses, `eventSource` or not, extra names CIS leaves
out), and the mistakes found in them (a name dropped, a wildcard, the wrong service, an `errorCode` condition, a
`!=` on an optional field, a typo). The verdict each deserves comes from ../CONTROLS.md; every counterexample must
be an event CloudTrail could write, with a call its service makes.
"""

from __future__ import annotations

from typing import List, Sequence, Tuple

import pytest

from trailguard.controls import (
    cloudtrail_changes,
    cmk_disable_or_deletion,
    config_changes,
    iam_policy_changes,
    judge,
    nacl_changes,
    network_gateway_changes,
    organizations_changes,
    route_table_changes,
    s3_bucket_policy_changes,
    security_group_changes,
    vpc_changes,
)
from trailguard.pattern import cloudtrail

PASS, FAIL, INVALID = "PASS", "FAIL", "INVALID"
Case = Tuple[str, str, str]  # (what it is, pattern, deserved verdict)


def _any(names: Sequence[str], template: str = '($.eventName = "{}")') -> str:
    return " || ".join(template.format(name) for name in names)


def _with_source(source: str, names: Sequence[str], tail: str = "") -> str:
    return f'{{ ($.eventSource = "{source}") && ({_any(names)}){tail} }}'


def _padded(pattern: str, length: int) -> str:
    """The pattern with blanks before its closing brace, `length` characters long."""
    return pattern[:-1] + " " * (length - len(pattern)) + "}"


def shapes(source: str, names: Sequence[str], unlisted: Sequence[str], *, names_are_unique: bool = True) -> List[Case]:
    """The shapes every calls control is written in, with the verdict each deserves. `names_are_unique`: no other
    service makes a call of the list (so leaving out `eventSource` counts nothing more)."""
    without_source = PASS if names_are_unique else FAIL
    quoted = _any(names)
    cases = [
        ("quoted, spaced", _with_source(source, names), PASS),
        ("bare values, no spaces", "{($.eventSource=" + source + ")&&(" +
         _any(names, "($.eventName={})").replace(" || ", "||") + ")}", PASS),
        ("no eventSource", "{ " + quoted + " }", without_source),
        ("names reversed, source last", "{ (" + _any(reversed(names), "$.eventName = {}") +
         f') && $.eventSource = "{source}" }}', PASS),
        ("ungrouped: the source binds the first name only", f"{{ $.eventSource = {source} && " +
         _any(names, "$.eventName = {}") + " }", without_source),
        ("redundant parentheses", f'{{ ((($.eventSource = "{source}"))) && ((' +
         _any(names, '(($.eventName = "{}"))') + ")) }", PASS),
        ("one regex of anchored names", f'{{ $.eventSource = "{source}" && $.eventName = %' +
         "|".join(f"^{name}$" for name in names) + "% }", PASS),
        ("a regex with a group: AWS rejects ( )", f'{{ $.eventSource = "{source}" && $.eventName = %^(' +
         "|".join(names) + ")$% }", INVALID),
        ("newlines and tabs", '{\n\t($.eventSource = "' + source + '") &&\n\t(' +
         quoted.replace(" || ", " ||\n\t ") + ")\n}", PASS),
        ("any AWS service", '{ $.eventSource = "*.amazonaws.com" && (' + quoted + ") }", without_source),
        ("a name twice", _with_source(source, list(names) + [names[0]]), PASS),
        ("last name dropped", _with_source(source, names[:-1]), FAIL),
        ("first name dropped", _with_source(source, names[1:]), FAIL),
        ("the failed calls left out", _with_source(source, names, " && $.errorCode NOT EXISTS"), FAIL),
        ("the denied calls left out", _with_source(source, names, ' && $.errorCode != "AccessDenied*"'), FAIL),
        ("a user excluded, guarded", _with_source(
            source, names, ' && ($.userIdentity.userName NOT EXISTS || $.userIdentity.userName != "terraform")'),
         PASS),
        ("a user excluded: the absent-field trap", _with_source(
            source, names, ' && $.userIdentity.userName != "terraform"'), FAIL),
        ("a role's ARN compared with userIdentity.arn", _with_source(
            source, names, ' && $.userIdentity.arn != "arn:aws:iam::111122223333:role/Deployer"'), FAIL),
        ("a role excluded by its session issuer, guarded", _with_source(
            source, names, " && ($.userIdentity.sessionContext.sessionIssuer.arn NOT EXISTS || "
            '$.userIdentity.sessionContext.sessionIssuer.arn != "arn:aws:iam::111122223333:role/Deployer")'), PASS),
        ("an automation role excluded by name, guarded", _with_source(
            source, names, " && ($.userIdentity.sessionContext.sessionIssuer.userName NOT EXISTS || "
            '$.userIdentity.sessionContext.sessionIssuer.userName != "AWSControlTowerExecution")'), PASS),
        ("another service's calls excluded", _with_source(source, names, ' && $.eventName != "GetObject"'), PASS),
        ("the wrong service", _with_source("lambda.amazonaws.com", names), FAIL),
        ("the service alone", f'{{ $.eventSource = "{source}" }}', FAIL),
        ("a typo in the first name", _with_source(source, [names[0][:2] + names[0][3:]] + list(names[1:])), FAIL),
        ("lower-case names", _with_source(source, [name.lower() for name in names]), FAIL),
        ("a typo beside the right name", _with_source(source, list(names) + [names[0][:2] + names[0][3:]]), PASS),
        ("over AWS's 1024 characters", _padded(_with_source(source, names), 1025), INVALID),
        ("padded to exactly 1024 characters", _padded(_with_source(source, names), 1024), PASS),
    ]
    if unlisted:
        cases.append(("with the names CIS leaves out", _with_source(source, list(names) + list(unlisted)), PASS))
        cases.append(("with one name CIS leaves out", _with_source(source, list(names) + [unlisted[0]]), PASS))
    return cases


IAM = shapes(iam_policy_changes.SOURCE, iam_policy_changes.NAMES, iam_policy_changes.UNLISTED) + [
    ("CIS text, every version", iam_policy_changes.TEXT, PASS),
    ("Security Hub's text", iam_policy_changes.SECURITY_HUB_TEXT, PASS),
    ("every *Policy* call", '{ $.eventSource = "iam.amazonaws.com" && $.eventName = "*Policy*" }', FAIL),
    ("Put/Delete/Attach/Detach globs", '{ $.eventSource = "iam.amazonaws.com" && ($.eventName = "Put*Policy" || '
     '$.eventName = "Delete*Policy" || $.eventName = "Attach*Policy" || $.eventName = "Detach*Policy" || '
     '$.eventName = "CreatePolicy*" || $.eventName = "DeletePolicyVersion") }', FAIL),
    ("every IAM call", '{ $.eventSource = "iam.amazonaws.com" }', FAIL),
    ("CreatePolicyVersion forgotten", _with_source(
        "iam.amazonaws.com", [name for name in iam_policy_changes.NAMES if name != "CreatePolicyVersion"]), FAIL),
]

CLOUDTRAIL = shapes(cloudtrail_changes.SOURCE, cloudtrail_changes.NAMES, cloudtrail_changes.UNLISTED) + [
    ("CIS text", cloudtrail_changes.TEXT, PASS),
    ("Security Hub's text", cloudtrail_changes.SECURITY_HUB_TEXT, PASS),
    ("StopLogging alone", '{ $.eventName = "StopLogging" }', FAIL),
    ("every *Trail call", '{ $.eventSource = "cloudtrail.amazonaws.com" && ($.eventName = "*Trail" || '
     '$.eventName = "StartLogging" || $.eventName = "StopLogging") }', FAIL),
    ("every Create*/Delete*/Update* call", '{ $.eventSource = "cloudtrail.amazonaws.com" && ($.eventName = '
     '"Create*" || $.eventName = "Delete*" || $.eventName = "Update*" || $.eventName = "StartLogging" || '
     '$.eventName = "StopLogging") }', FAIL),
]

KMS = shapes(cmk_disable_or_deletion.SOURCE, cmk_disable_or_deletion.NAMES, ()) + [
    ("CIS text", cmk_disable_or_deletion.TEXT, PASS),
    ("Security Hub's text", cmk_disable_or_deletion.SECURITY_HUB_TEXT, PASS),
    ("DisableKey alone", '{ $.eventSource = kms.amazonaws.com && $.eventName = DisableKey }', FAIL),
    ("every Disable* call", '{ $.eventSource = kms.amazonaws.com && ($.eventName = "Disable*" || '
     '$.eventName = ScheduleKeyDeletion) }', FAIL),
    ("with CancelKeyDeletion", _with_source("kms.amazonaws.com", ["DisableKey", "ScheduleKeyDeletion",
                                                                  "CancelKeyDeletion"]), FAIL),
]

S3 = shapes(s3_bucket_policy_changes.SOURCE, s3_bucket_policy_changes.NAMES, s3_bucket_policy_changes.UNLISTED) + [
    ("CIS text", s3_bucket_policy_changes.TEXT, PASS),
    ("Security Hub's text", s3_bucket_policy_changes.SECURITY_HUB_TEXT, PASS),
    ("every *Bucket* call", '{ $.eventSource = s3.amazonaws.com && $.eventName = "*Bucket*" }', FAIL),
    ("PutBucketAcl and PutBucketPolicy only", _with_source("s3.amazonaws.com", ["PutBucketAcl", "PutBucketPolicy"]),
     FAIL),
]

CONFIG = shapes(config_changes.SOURCE, config_changes.NAMES, config_changes.UNLISTED) + [
    ("CIS text", config_changes.TEXT, PASS),
    ("Security Hub's text", config_changes.SECURITY_HUB_TEXT, PASS),
    ("StopConfigurationRecorder alone", '{ $.eventSource = config.amazonaws.com && '
     '$.eventName = StopConfigurationRecorder }', FAIL),
    ("every *ConfigurationRecorder call", '{ $.eventSource = config.amazonaws.com && ($.eventName = '
     '"*ConfigurationRecorder" || $.eventName = "*DeliveryChannel") }', FAIL),
]

SECURITY_GROUPS = shapes(security_group_changes.SOURCE, security_group_changes.SEVEN, ()) + [
    ("CIS v5+ text", security_group_changes.SEVEN_TEXT, PASS),
    ("CIS v1.2-v4 text, judged by v7.0", security_group_changes.SIX_TEXT, FAIL),
    ("Security Hub's text", security_group_changes.SECURITY_HUB_TEXT, FAIL),
    ("every *SecurityGroup* call", '{ $.eventSource = ec2.amazonaws.com && ($.eventName = "*SecurityGroup*") }',
     FAIL),
    ("Authorize*/Revoke* globs", '{ $.eventSource = ec2.amazonaws.com && ($.eventName = "Authorize*" || '
     '$.eventName = "Revoke*" || $.eventName = CreateSecurityGroup || $.eventName = DeleteSecurityGroup || '
     '$.eventName = ModifySecurityGroupRules) }', FAIL),
]
# Under CIS v1.2-v4.0 ModifySecurityGroupRules may go either way.
SECURITY_GROUPS_V4 = [
    ("CIS v1.2-v4 text", security_group_changes.SIX_TEXT, PASS),
    ("CIS v5+ text", security_group_changes.SEVEN_TEXT, PASS),
    ("Security Hub's text", security_group_changes.SECURITY_HUB_TEXT, PASS),
    ("six names, one dropped", _with_source("ec2.amazonaws.com", security_group_changes.SIX[:-1]), FAIL),
]

NACL = shapes(nacl_changes.SOURCE, nacl_changes.NAMES, ()) + [
    ("CIS text", nacl_changes.TEXT, PASS),
    ("Security Hub's text", nacl_changes.SECURITY_HUB_TEXT, PASS),
    ("every *NetworkAcl* call", '{ $.eventSource = ec2.amazonaws.com && $.eventName = "*NetworkAcl*" }', FAIL),
    ("suffix globs naming exactly its calls", '{ $.eventSource = ec2.amazonaws.com && ($.eventName = "*NetworkAcl" '
     '|| $.eventName = "*NetworkAclEntry" || $.eventName = ReplaceNetworkAclAssociation) }', PASS),
]

GATEWAYS = shapes(network_gateway_changes.SOURCE, network_gateway_changes.NAMES,
                  network_gateway_changes.UNLISTED) + [
    ("CIS text", network_gateway_changes.TEXT, PASS),
    ("Security Hub's text", network_gateway_changes.SECURITY_HUB_TEXT, PASS),
    ("every *Gateway* call", '{ $.eventSource = ec2.amazonaws.com && $.eventName = "*Gateway*" }', FAIL),
    ("suffix globs (the egress-only gateways too)", '{ ($.eventSource = ec2.amazonaws.com) && ($.eventName = '
     '"*CustomerGateway" || $.eventName = "*InternetGateway") }', PASS),
    ("a prefix glob counts the reads", '{ ($.eventSource = ec2.amazonaws.com) && ($.eventName = "*CustomerGateway*" '
     '|| $.eventName = "*InternetGateway") }', FAIL),
    ("suffix globs, the reads excluded", '{ ($.eventSource = ec2.amazonaws.com) && ($.eventName = '
     '"*CustomerGateway" || $.eventName = "*InternetGateway") && $.eventName != "Describe*" }', PASS),
    ("with NAT and transit gateways", _with_source("ec2.amazonaws.com", list(network_gateway_changes.NAMES) + [
        "CreateNatGateway", "DeleteNatGateway", "CreateTransitGateway", "DeleteTransitGateway"]), PASS),
]

ROUTES = shapes(route_table_changes.SOURCE, route_table_changes.NAMES, route_table_changes.UNLISTED) + [
    ("CIS remediation text, no eventSource", route_table_changes.TEXT, PASS),
    ("CIS v3.0+ audit text", route_table_changes.AUDIT_TEXT, PASS),
    ("Security Hub's text", route_table_changes.SECURITY_HUB_TEXT, PASS),
    ("API Gateway's routes", _with_source("apigateway.amazonaws.com", route_table_changes.NAMES), FAIL),
    ("every *Route* call", '{ $.eventSource = ec2.amazonaws.com && $.eventName = "*Route*" }', FAIL),
    ("one unanchored regex", '{ $.eventSource = ec2.amazonaws.com && $.eventName = %' +
     "|".join(route_table_changes.NAMES) + "% }", FAIL),
]

VPC = shapes(vpc_changes.SOURCE, vpc_changes.NAMES, vpc_changes.UNLISTED) + [
    ("CIS text, with ClassicLink", vpc_changes.TEXT, PASS),
    ("Security Hub's text", vpc_changes.SECURITY_HUB_TEXT, PASS),
    ("every *Vpc* call", '{ $.eventSource = ec2.amazonaws.com && $.eventName = "*Vpc*" }', FAIL),
    ("a suffix glob for the peering calls", '{ ($.eventSource = "ec2.amazonaws.com") && ($.eventName = "CreateVpc" '
     '|| $.eventName = "DeleteVpc" || $.eventName = "ModifyVpcAttribute" || $.eventName = "*VpcPeeringConnection") }',
     PASS),
    ("ModifyVpcAttribute forgotten", _with_source(
        "ec2.amazonaws.com", [name for name in vpc_changes.NAMES if name != "ModifyVpcAttribute"]), FAIL),
    ("one unanchored regex", '{ $.eventSource = ec2.amazonaws.com && $.eventName = %' +
     "|".join(vpc_changes.NAMES) + "% }", FAIL),
]

ORGANIZATIONS = shapes(organizations_changes.SOURCE, organizations_changes.NAMES, organizations_changes.UNLISTED,
                       names_are_unique=False) + [
    ("CIS text", organizations_changes.TEXT, PASS),
    ("CIS text, bare values", organizations_changes.BARE_TEXT, PASS),
    ("every Organizations call", '{ $.eventSource = "organizations.amazonaws.com" }', FAIL),
    ("verb globs", '{ ($.eventSource = "organizations.amazonaws.com") && ($.eventName = "Accept*" || $.eventName = '
     '"Attach*" || $.eventName = "Create*" || $.eventName = "Decline*" || $.eventName = "Delete*" || $.eventName = '
     '"Detach*" || $.eventName = "Disable*" || $.eventName = "Enable*" || $.eventName = "Invite*" || $.eventName = '
     '"Leave*" || $.eventName = "Move*" || $.eventName = "Remove*" || $.eventName = "Update*") }', FAIL),
    ("the policy calls only", _with_source("organizations.amazonaws.com", [
        "AttachPolicy", "CreatePolicy", "DeletePolicy", "DetachPolicy", "UpdatePolicy"]), FAIL),
]

TABLES = {
    "iam-policy-changes": IAM,
    "cloudtrail-changes": CLOUDTRAIL,
    "cmk-disable-or-deletion": KMS,
    "s3-bucket-policy-changes": S3,
    "config-changes": CONFIG,
    "security-group-changes": SECURITY_GROUPS,
    "nacl-changes": NACL,
    "network-gateway-changes": GATEWAYS,
    "route-table-changes": ROUTES,
    "vpc-changes": VPC,
    "organizations-changes": ORGANIZATIONS,
}
CASES = [(slug, None, *case) for slug, table in TABLES.items() for case in table]
CASES += [("security-group-changes", "4.0", *case) for case in SECURITY_GROUPS_V4]


@pytest.mark.parametrize("slug,version,what,pattern,deserved", CASES,
                         ids=[f"{slug}-{version or 'newest'}-{what}" for slug, version, what, _, _ in CASES])
def test_a_pattern_people_write_gets_the_verdict_its_meaning_deserves(slug, version, what, pattern, deserved):
    verdict = judge(pattern, slug, version)
    assert verdict.status == deserved, verdict.reasons()
    for example in verdict.counterexamples:
        assert cloudtrail.incoherent(example.event) is None, example.event
        if "unanchored" not in what:
            assert cloudtrail.known_call(example.event), example.event


def test_a_typo_is_named_with_the_call_it_meant():
    names = ["AutorizeSecurityGroupIngress"] + list(security_group_changes.SEVEN[1:])
    verdict = judge(_with_source("ec2.amazonaws.com", names), "security-group-changes")
    assert [event["eventName"] for event in verdict.misses] == ["AuthorizeSecurityGroupIngress"]
    assert not verdict.noise
    assert any('did you mean "AuthorizeSecurityGroupIngress"' in hint for hint in verdict.hints)
    assert verdict.to_json()["hints"] == list(verdict.hints)  # `trailguard pattern --json` shows them too


def test_a_wildcard_is_shown_counting_a_call_its_service_makes():
    verdict = judge('{ $.eventSource = "iam.amazonaws.com" && ($.eventName = "Delete*" || '
                    + _any(iam_policy_changes.NAMES) + ") }", "iam-policy-changes")
    assert verdict.noise and all(cloudtrail.known_call(event) for event in verdict.noise), verdict.noise


def test_an_exclusion_by_session_issuer_is_narrow_and_listed():
    verdict = judge(_with_source(vpc_changes.SOURCE, vpc_changes.NAMES, " && ($.userIdentity.sessionContext."
                                 "sessionIssuer.arn NOT EXISTS || $.userIdentity.sessionContext.sessionIssuer.arn != "
                                 '"arn:aws:iam::111122223333:role/Deployer")'), "vpc-changes")
    assert verdict.exclusions == ('$.userIdentity.sessionContext.sessionIssuer.arn = '
                                  '"arn:aws:iam::111122223333:role/Deployer"',)
