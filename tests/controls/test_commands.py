"""`trailguard pattern --control` / `--cis-version` and `trailguard controls`, in process."""

import argparse
import io
import json

from trailguard import cli
from trailguard.controls import security_group_changes


def run(*args):
    out = io.StringIO()
    code = cli.main(list(args), out)
    return code, out.getvalue()


def test_controls_lists_every_control_with_its_ids_and_cis_numbers():
    code, text = run("controls")
    assert code == 0
    lines = text.splitlines()
    assert lines[0].split() == ["control", "CIS", "v1.2", "v1.3-v5", "v6+", "Security", "Hub", "Checkov", "cfn-lint"]
    assert len(lines) == 16
    assert lines[-1].split() == ["organizations-changes", "-", "4.15", "5.15", "-", "TG_AWS_19", "E9119"]
    code, text = run("controls", "--json")
    rows = json.loads(text)
    assert rows[3] == {"slug": "iam-policy-changes", "title": "IAM policy changes",
                       "cis": {"1.2": "3.4", "1.3-5.0": "4.4", "6.0+": "5.4"}, "security_hub": "CloudWatch.4",
                       "checkov": "TG_AWS_8", "cfn_lint": "E9108"}


def test_the_control_is_inferred_and_named():
    code, text = run("pattern", "{ ($.eventName = DeleteRolePolicy) }")
    assert code == 1
    assert text.splitlines()[0] == ("FAIL: the pattern does not count exactly the IAM policy changes; the events "
                                    "below prove it.")
    assert "Control: iam-policy-changes (IAM policy changes; CIS v7.0 5.4), inferred: its pattern compares " \
           "$.eventName = DeleteRolePolicy, as iam-policy-changes does." in text
    assert "Pattern to paste: { ($.eventSource = iam.amazonaws.com) && (" in text


def test_the_cis_version_decides_security_groups():
    six = security_group_changes.SIX_TEXT
    assert run("pattern", "--control", "security-group-changes", "--cis-version", "4.0", six)[0] == 0
    code, text = run("pattern", "--json", "--control", "security-group-changes", six)
    document = json.loads(text)
    assert code == 1 and document["control"] == "security-group-changes" and document["cis_version"] == "7.0"
    assert [event["eventName"] for event in document["misses"]] == ["ModifySecurityGroupRules"]


def test_security_hub_is_information_only():
    from trailguard.controls import by_slug
    control = by_slug("root-usage")
    code, text = run("pattern", "--json", control.security_hub_text)
    document = json.loads(text)
    assert code == 0 and document["security_hub"] == {"control": "CloudWatch.1", "accepts": True,
                                                      "text": control.security_hub_text}
    code, text = run("pattern", "--json", control.canonical)
    assert code == 0 and json.loads(text)["security_hub"]["accepts"] is False


def test_unknown_controls_and_versions_are_usage_errors(capsys):
    assert run("pattern", "--control", "nope", "{ $.a = 1 }")[0] == 2
    assert "unknown control 'nope'" in capsys.readouterr().err
    assert run("pattern", "--cis-version", "9.9", "{ $.a = 1 }")[0] == 2
    assert "unknown CIS version '9.9'" in capsys.readouterr().err
    assert run("pattern", "--control", "organizations-changes", "--cis-version", "1.2", "{ $.a = 1 }")[0] == 2


def test_the_command_called_without_the_new_options_still_judges():
    out = io.StringIO()
    code = cli.cmd_pattern(argparse.Namespace(pattern='{ $.errorCode = "AccessDenied*" }', event=None, json=False),
                           out)
    assert code == 1 and "Control: unauthorized-api-calls" in out.getvalue()
