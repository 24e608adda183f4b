"""Every pattern CIS published for a monitoring control, in every version that printed it, gets the verdict its
meaning deserves (the published traps included). docs/controls.md shows these verdicts (tests/controls/
test_docs_pages.py keeps it true)."""

import pytest

from trailguard.controls import (
    CONTROLS,
    by_slug,
    console_auth_failures,
    console_signin_without_mfa,
    judge,
    route_table_changes,
)
from trailguard.controls import organizations_changes as organizations
from trailguard.controls import security_group_changes as security_groups
from trailguard.controls import unauthorized_api_calls as unauthorized

CASES = [(control.slug, text, version) for control in CONTROLS for text in control.published
         for version in text.versions]


@pytest.mark.parametrize("slug,text,version", CASES,
                         ids=[f"{slug}-v{version}-{text.where}" for slug, text, version in CASES])
def test_every_published_text_gets_the_verdict_its_meaning_deserves(slug, text, version):
    verdict = judge(text.text, slug, version)
    assert verdict.status == text.deserves, (verdict.status, verdict.reasons())


def test_the_mfa_long_text_as_printed_is_invalid_and_says_where():
    verdict = judge(console_signin_without_mfa.LONG_AS_PRINTED, "console-signin-without-mfa")
    assert verdict.status == "INVALID"
    assert verdict.error == f"expected ')' at column {len(console_signin_without_mfa.LONG_AS_PRINTED)}"


def test_the_unquoted_failed_authentication_is_invalid_with_the_fix():
    verdict = judge(console_auth_failures.UNQUOTED, "console-auth-failures", "4.0")
    assert verdict.status == "INVALID"
    assert 'write "Failed authentication" in double quotes' in verdict.error


def test_security_groups_six_names_pass_before_v5_and_miss_modify_from_v5():
    assert judge(security_groups.SIX_TEXT, "security-group-changes", "4.0").ok
    late = judge(security_groups.SIX_TEXT, "security-group-changes", "5.0")
    assert late.status == "FAIL"
    assert [event["eventName"] for event in late.misses] == ["ModifySecurityGroupRules"]
    assert judge(security_groups.SEVEN_TEXT, "security-group-changes", "4.0").ok


def test_route_tables_audit_and_remediation_texts_both_pass():
    for text in (route_table_changes.TEXT, route_table_changes.AUDIT_TEXT):
        assert judge(text, "route-table-changes", "3.0").ok


def test_organizations_does_not_exist_before_v13():
    with pytest.raises(ValueError, match="first appears in v1.3"):
        judge(by_slug("organizations-changes").canonical, "organizations-changes", "1.2")


@pytest.mark.parametrize("quoted,bare,slug", [
    (unauthorized.OR_BUG, unauthorized.OR_BUG_BARE, "unauthorized-api-calls"),
    (console_signin_without_mfa.SHORT, console_signin_without_mfa.SHORT_BARE, "console-signin-without-mfa"),
    (console_signin_without_mfa.LONG, console_signin_without_mfa.LONG_BARE, "console-signin-without-mfa"),
    (organizations.TEXT, organizations.BARE_TEXT, "organizations-changes"),
])
def test_the_bare_spelling_v4_prints_gets_the_quoted_text_s_verdict(quoted, bare, slug):
    assert judge(bare, slug, "4.0").status == judge(quoted, slug, "3.0").status


def test_the_mfa_long_text_as_v4_prints_it_is_invalid_at_the_same_place():
    verdict = judge(console_signin_without_mfa.LONG_BARE_AS_PRINTED, "console-signin-without-mfa", "7.0")
    assert verdict.status == "INVALID"
    assert verdict.error == f"expected ')' at column {len(console_signin_without_mfa.LONG_BARE_AS_PRINTED)}"


def test_v4_prints_the_unauthorized_calls_text_with_bare_values_and_it_passes_by_precedence():
    assert '"' not in unauthorized.V40
    assert judge(unauthorized.V40, "unauthorized-api-calls", "4.0").ok
