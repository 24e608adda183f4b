"""The `trailguard pattern` command, run as users run it: the installed console script in a subprocess."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CIS = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'
OR_BUG = ('{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || '
          '($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }')


def trailguard(*args, stdin=None):
    command = shutil.which("trailguard", path=str(Path(sys.executable).parent)) or shutil.which("trailguard")
    assert command, "the trailguard console script is not installed"
    return subprocess.run([command, *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_a_correct_pattern_exits_0():
    run = trailguard("pattern", CIS)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("PASS")


def test_the_or_bug_exits_1_and_shows_the_ordinary_call_it_counts():
    run = trailguard("pattern", OR_BUG)
    assert run.returncode == 1
    assert "counts calls that were not denied" in run.stdout
    assert '"eventName": "GetObject"' in run.stdout


def test_json_output_is_one_object_with_the_documented_keys():
    run = trailguard("pattern", "--json", '{ $.errorCode = "AccessDenied" }')
    assert run.returncode == 1
    document = json.loads(run.stdout)
    assert set(document) == {"status", "valid", "ok", "misses", "noise", "counterexamples", "exclusions", "error",
                             "hints", "control", "cis_version", "why", "security_hub", "pattern_to_paste", "notes"}
    assert document["control"] == "unauthorized-api-calls" and document["security_hub"]["accepts"] is False
    assert document["status"] == "FAIL" and {example["kind"] for example in document["counterexamples"]} == {"missed"}
    assert document["valid"] is True and document["ok"] is False
    assert {event["errorCode"] for event in document["misses"]} >= {"Client.UnauthorizedOperation"}


def test_invalid_pattern_exits_1_with_the_syntax_message():
    run = trailguard("pattern", "--json", '{ ($.errorCode = "x" }')
    assert run.returncode == 1
    assert json.loads(run.stdout)["error"] == "expected ')' at column 22"


def test_pattern_from_standard_input():
    run = trailguard("pattern", "-", stdin=CIS)
    assert run.returncode == 0


def test_events_file_in_cloudtrail_log_format(tmp_path):
    events = tmp_path / "events.json"
    events.write_text(json.dumps({"Records": [
        {"eventName": "DescribeInstances", "errorCode": "Client.UnauthorizedOperation"},
        {"eventName": "GetObject"},
    ]}))
    run = trailguard("pattern", "--json", "--event", str(events), CIS)
    assert json.loads(run.stdout)["events"] == [{"index": 0, "matches": True}, {"index": 1, "matches": False}]
    text = trailguard("pattern", "--event", str(events), CIS).stdout
    assert "event 0: MATCH" in text and "event 1: no match" in text


def test_events_file_as_json_lines_and_text(tmp_path):
    events = tmp_path / "events.log"
    events.write_text('{"errorCode": "AccessDenied"}\nplain text line AccessDenied\n')
    run = trailguard("pattern", "--json", "--event", str(events), "AccessDenied")
    assert json.loads(run.stdout)["events"] == [{"index": 0, "matches": True}, {"index": 1, "matches": True}]


@pytest.mark.parametrize("args", [(), ("pattern",), ("pattern", "--bogus", "x"), ("nonsense",)])
def test_usage_errors_exit_2(args):
    assert trailguard(*args).returncode == 2


def test_unreadable_events_file_is_a_usage_error(tmp_path):
    run = trailguard("pattern", "--event", str(tmp_path / "missing.json"), CIS)
    assert run.returncode == 2 and "cannot read events" in run.stderr


# --- `trailguard scan` options that decide the exit code (parsed in-process; the scans are in tests/test_scan*.py) --

@pytest.mark.parametrize("args, fail_on", [((), "MEDIUM"), (("--fail-on", "low"), "LOW"),
                                           (("--fail-on-advisory",), "LOW"), (("--fail-on", "HIGH"), "HIGH")])
def test_scan_severity_threshold(args, fail_on):
    from trailguard.cli import build_parser

    parsed = build_parser().parse_args(["scan", *args, "infra"])
    assert parsed.fail_on == fail_on and parsed.allow_unproven is False and parsed.paths == ["infra"]


def test_scan_rejects_an_unknown_severity_and_documents_exit_3():
    assert trailguard("scan", "--fail-on", "CRITICAL", ".").returncode == 2
    help_text = " ".join(trailguard("scan", "--help").stdout.split())
    assert "--allow-unproven" in help_text and "3 when nothing fails but some selected control has no trail in the " \
        "scan that proves it" in help_text
