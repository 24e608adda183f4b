"""Which control a filter belongs to: by its pattern's comparisons first, by its names when the pattern says
nothing (or is as much about two controls), and never silently: a filter that belongs to none says why."""

import pytest

from trailguard.controls import CONTROLS, by_slug
from trailguard.controls.classify import classify


@pytest.mark.parametrize("control", CONTROLS, ids=lambda control: control.slug)
def test_every_published_text_and_canonical_pattern_belongs_to_its_control(control):
    for text in [control.canonical] + [published.text for published in control.published]:
        found = classify(text)
        assert found.control is control, (text, found.reasons)
        assert found.reasons and control.slug in found.reasons[0]


def test_an_exclusion_weighs_less_than_what_a_pattern_counts():
    found = classify('{ $.errorCode = "AccessDenied*" && $.userIdentity.type != "Root" }')
    assert found.control is by_slug("unauthorized-api-calls")


def test_names_decide_between_controls_a_pattern_is_equally_about():
    assert classify("{ $.eventName = ConsoleLogin }").control is None
    assert classify("{ $.eventName = ConsoleLogin }", "ConsoleLoginFailures").control is by_slug(
        "console-auth-failures")
    assert classify("{ $.eventName = ConsoleLogin }", "", "NoMFASignIns").control is by_slug(
        "console-signin-without-mfa")


def test_organizations_and_iam_share_names_and_the_source_decides():
    assert classify('{ $.eventSource = "organizations.amazonaws.com" && $.eventName = "DeletePolicy" }').control is \
        by_slug("organizations-changes")
    assert classify('{ $.eventSource = "iam.amazonaws.com" && $.eventName = "DeletePolicy" }').control is \
        by_slug("iam-policy-changes")


@pytest.mark.parametrize("filter_name,slug", [
    ("CIS-3.4-IAMPolicyChanges", "iam-policy-changes"), ("root_usage", "root-usage"),
    ("NoMFAConsoleSignin", "console-signin-without-mfa"), ("cloudtrail-config-changes", "cloudtrail-changes"),
    ("disable-or-delete-cmk", "cmk-disable-or-deletion"), ("S3BucketPolicyChanges", "s3-bucket-policy-changes"),
    ("aws-config-changes", "config-changes"), ("SecurityGroupChanges", "security-group-changes"),
    ("NACLChanges", "nacl-changes"), ("NetworkGatewayChanges", "network-gateway-changes"),
    ("RouteTableChanges", "route-table-changes"), ("VPCChanges", "vpc-changes"),
    ("OrganizationsChanges", "organizations-changes"), ("UnauthorizedAPICalls", "unauthorized-api-calls"),
    ("ConsoleAuthFailures", "console-auth-failures"),
])
def test_a_pattern_that_says_nothing_belongs_to_the_control_its_name_says(filter_name, slug):
    assert classify("AccessDenied", filter_name).control is by_slug(slug)


def test_a_filter_that_belongs_to_no_control_says_why():
    found = classify('{ $.eventName = "GetObject" }', "s3-reads", "Reads")
    assert found.control is None and "names name none" in found.reasons[0]


def test_an_invalid_pattern_still_says_what_it_is_about():
    assert classify("{ ($.eventName = ConsoleLogin) && ($.errorMessage = Failed authentication) }").control is \
        by_slug("console-auth-failures")
