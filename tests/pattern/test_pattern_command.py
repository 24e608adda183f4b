"""`trailguard pattern`: the three answers and the two kinds of noise, each in its own words and exit code."""

import argparse
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trailguard import cli
from trailguard.pattern import search

DENIALS = '($.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied*")'
TRAP = '{ ' + DENIALS + ' && ($.eventName != "Decrypt" || $.userIdentity.invokedBy != "config.amazonaws.com") }'


def trailguard(*args):
    command = shutil.which("trailguard", path=str(Path(sys.executable).parent)) or shutil.which("trailguard")
    assert command, "the trailguard console script is not installed"
    return subprocess.run([command, "pattern", *args], capture_output=True, text=True, timeout=120)


def test_a_narrow_exclusion_passes_and_is_listed():
    run = trailguard('{ ' + DENIALS + ' && $.eventName != %^ConsoleLogin$% }')
    assert run.returncode == 0
    assert run.stdout.splitlines()[:3] == [
        "PASS: the pattern counts every unauthorized API call and nothing else.",
        "Narrow exclusions (denied calls it deliberately does not count):",
        '  $.eventName = "ConsoleLogin"']


def test_the_absent_field_trap_fails_with_the_event_and_the_fix():
    run = trailguard(TRAP)
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith("FAIL:") and "the absent-field trap" in lines[1]
    event = json.loads(lines[2])
    assert event["eventName"] == "Decrypt" and "invokedBy" not in event["userIdentity"]
    assert lines[3] == ('  Fix: write (($.userIdentity.invokedBy NOT EXISTS) || ($.userIdentity.invokedBy != '
                        '"config.amazonaws.com")) in place of ($.userIdentity.invokedBy != "config.amazonaws.com")')


def test_the_two_kinds_of_noise_have_their_own_headings():
    run = trailguard('{ $.errorCode = "*" || $.eventName = "*" }')
    assert run.returncode == 1
    headings = [line for line in run.stdout.splitlines() if line.startswith("It ")]
    assert headings[0].startswith("It counts calls that were not denied (a call that succeeded matches")
    assert headings[1].startswith("It counts failed calls that are not denials")


def test_a_unicode_value_is_judged_and_printed_as_written():
    run = trailguard('{ ' + DENIALS + ' && $.eventName != "HéadBucket" }')
    assert run.returncode == 0 and '$.eventName = "HéadBucket"' in run.stdout


def test_single_quotes_are_invalid_and_exit_1():
    run = trailguard("{ $.errorCode = 'AccessDenied*' }")
    assert run.returncode == 1
    assert run.stdout.splitlines()[0] == "INVALID: AWS would not accept this pattern."
    assert 'write "AccessDenied*" with double quotes' in run.stdout


def test_cannot_decide_has_its_own_words_and_exits_1(monkeypatch):
    monkeypatch.setattr(search, "MAX_SEARCH_NODES", 3)
    out = io.StringIO()
    code = cli.cmd_pattern(argparse.Namespace(pattern=TRAP, event=None, json=False), out)
    assert code == 1
    first, second = out.getvalue().splitlines()[:2]
    assert first.startswith("CANNOT DECIDE:") and "fails closed" in first
    assert "cannot decide this pattern" in second and "rewrite" in second
    assert "FAIL" not in out.getvalue() and "does not count exactly" not in out.getvalue()


@pytest.mark.parametrize("pattern", [" ", ""])
def test_a_blank_pattern_is_reported_as_match_all_noise(pattern):
    run = trailguard(pattern)
    assert run.returncode == 1
    assert "a call that succeeded matches" in run.stdout and "misses unauthorized calls" not in run.stdout


@pytest.mark.parametrize("pattern,control", [
    ('{ ($.eventName = ConsoleLogin) && ($.responseElements.ConsoleLogin = "Failure") }', "console-auth-failures"),
    ('{ $.userIdentity.arn = "arn:aws:iam::*:root" }', "root-usage"),
    ('{ $.errorCode = "*" || $.eventName = "*" }', "unauthorized-api-calls"),  # about nothing: the default
])
def test_the_control_is_inferred_from_what_the_pattern_compares(pattern, control):
    run = trailguard("--json", pattern)
    assert json.loads(run.stdout)["control"] == control


def test_a_pattern_as_much_about_several_controls_is_a_usage_error_naming_them():
    run = trailguard('{ ($.userIdentity.type = "Root") && ($.eventName = ConsoleLogin) }')
    assert run.returncode == 2 and run.stdout == ""
    assert "name the one to judge it as with --control" in run.stderr
    assert all(slug in run.stderr for slug in ("root-usage", "console-signin-without-mfa", "console-auth-failures"))
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("args", [["controls"], ["pattern", "{ $.eventName = CreateTrail }"]])
def test_a_reader_that_stops_reading_gets_no_traceback(args):
    """Long output (more than a pipe holds) and short output (still in Python's buffer at the end) alike."""
    command = shutil.which("trailguard", path=str(Path(sys.executable).parent)) or shutil.which("trailguard")
    reader = subprocess.Popen([command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.close()  # as `| head` does once it has its lines
    _, errors = reader.communicate(timeout=120)
    assert reader.returncode == 141 and errors == b"", errors
