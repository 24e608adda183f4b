"""`trailguard scan` in-process on recorded real scanner output (tests/scan_replay.py): what it prints, in each
format, and its exit code. Everything after the scanners runs for real; the few runs that start the scanners
themselves are in tests/test_scan.py.
"""

from __future__ import annotations

import io
import json

import pytest

from tests.sarif_schema import sarif_schema_errors
from tests.scan_replay import replay
from trailguard.scan.command import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from trailguard.scan.selection import EVERY_CONTROL


class Terminal(io.StringIO):
    """Standard output on a terminal."""

    def isatty(self) -> bool:
        return True


def body(report: str) -> str:
    """The report after its header line (the CIS version and the controls) and the blank line under it."""
    head, blank, rest = report.split("\n", 2)
    assert head.startswith("CIS AWS Foundations Benchmark v") and blank == ""
    return rest


def test_the_header_names_the_cis_version_and_the_controls():
    assert replay("all_controls")[1].startswith("CIS AWS Foundations Benchmark v7.0, all 15 monitoring controls\n\n")
    assert replay("all_controls", "--check", "root-usage,vpc-changes")[1].startswith(
        "CIS AWS Foundations Benchmark v7.0, 2 of 15 monitoring controls (root-usage, vpc-changes)\n")


def test_compliant_paths_exit_0_with_one_line_per_unit_for_the_control_they_carry():
    code, report = replay("compliant_paths", "--check", "unauthorized-api-calls")
    assert code == EXIT_OK, report
    units = [line for line in body(report).splitlines() if line.startswith("pass  ")]
    assert len(units) == 4 and all("the chain holds for unauthorized-api-calls: " in line for line in units)


def test_the_controls_they_do_not_carry_fail_on_their_own_lines():
    code, report = replay("compliant_paths")
    assert code == EXIT_FINDINGS
    lines = body(report).splitlines()
    assert sum(line.startswith("FAIL  ") for line in lines) == 4
    assert sum(line.startswith("        FAIL  root-usage [TG_AWS_7]  ") for line in lines) == 4
    assert sum(line.startswith("        pass  unauthorized-api-calls [TG_AWS_4]  ") for line in lines) == 4


def test_verbose_shows_every_link_of_a_passing_unit_and_every_control():
    code, report = replay("all_controls", "-v")
    assert code == EXIT_OK
    rows = [line.split()[1] for line in body(report).splitlines() if line.startswith("  pass")]
    assert rows == ["trail"] + ["filter"] * 15 + ["alarm"] * 15 + ["topic", "chain"]
    controls = [line.split()[1] for line in body(report).splitlines() if line.startswith("        pass")]
    assert controls == list(EVERY_CONTROL)


def test_default_path_is_the_current_directory():
    code, report = replay("basic_root_module_as_working_directory", "--format", "json", "--check",
                          "unauthorized-api-calls")
    assert code == EXIT_OK, report
    assert [found["name"] for found in json.loads(report)["units"]] == ["."]


def test_nothing_to_prove_is_said_not_silent():
    code, report = replay("no_infrastructure")
    assert code == EXIT_OK and "nothing to prove" in report


# --- colour ----------------------------------------------------------------------------------------------------------

def test_colour_on_a_terminal_unless_no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "")  # set but empty: colour stays on
    assert "\033[31;1mFAIL" in replay("or_bug_template", out=Terminal())[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in replay("or_bug_template", out=Terminal())[1]
    assert "\033[31;1mFAIL" in replay("or_bug_template", "--color", "always")[1]


def test_not_a_terminal_gets_plain_text(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    code, report = replay("or_bug_template")
    assert code == 1 and "FAIL" in report and "\033[" not in report


# --- scanner errors are exit 2, never a pass -------------------------------------------------------------------------

def test_a_file_checkov_cannot_parse_is_an_error(capsys):
    code, _ = replay("terraform_checkov_cannot_parse")
    stderr = capsys.readouterr().err
    assert code == EXIT_ERROR
    assert "Checkov could not parse" in stderr and "broken.tf" in stderr


def test_a_template_cfn_lint_cannot_read_is_an_error(capsys):
    code, _ = replay("template_cfn_lint_cannot_read")
    assert code == EXIT_ERROR and "E0000" in capsys.readouterr().err


# --- SARIF -----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["or_bug_template", "monitoring_only", "template_cfn_lint_cannot_read"])
def test_the_sarif_log_is_valid_sarif_2_1_0(name):
    _, report = replay(name, "--format", "sarif")
    assert sarif_schema_errors(json.loads(report)) == []


def test_the_schema_check_rejects_what_is_not_sarif():
    assert sarif_schema_errors({"version": "2.1.0"})  # `runs` is required
    assert sarif_schema_errors({"version": "9.9", "runs": []})
