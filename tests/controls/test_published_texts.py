"""Every pattern CIS published for a monitoring control, in every version that printed it, gets the verdict its
meaning deserves (CONTROLS.md's traps included), and docs/controls.md shows exactly what the judge says."""

import os
from pathlib import Path

import pytest

from trailguard.controls import (
    CONTROLS,
    by_slug,
    console_auth_failures,
    console_signin_without_mfa,
    judge,
    route_table_changes,
)
from trailguard.controls import security_group_changes as security_groups
from trailguard.controls.published import control_sections, markdown_table

DOCS = Path(__file__).resolve().parents[2] / "docs" / "controls.md"
SECTIONS = ("<!-- controls:start -->", "<!-- controls:end -->")
TABLE = ("<!-- published-texts:start -->", "<!-- published-texts:end -->")

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


def _between(text, markers, body=None):
    start, end = text.index(markers[0]) + len(markers[0]), text.index(markers[1])
    return text[start:end] if body is None else text[:start] + "\n" + body + text[end:]


def test_docs_controls_md_shows_what_the_judge_says():
    page = DOCS.read_text(encoding="utf-8")
    sections, table = "\n" + control_sections(), "\n" + markdown_table() + "\n"
    if os.environ.get("TRAILGUARD_WRITE_DOCS"):
        page = _between(_between(page, SECTIONS, sections.lstrip("\n")), TABLE, table.lstrip("\n"))
        DOCS.write_text(page, encoding="utf-8")
    assert _between(page, SECTIONS) == sections
    assert _between(page, TABLE) == table
