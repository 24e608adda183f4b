"""`trailguard scan`, `trailguard checkov` and `trailguard-cfn-lint` as users run them: the installed console scripts
in subprocesses, over the real Checkov and cfn-lint and the bundled examples.

The whole examples tree is scanned once per format (module-scoped fixtures) to keep the suite fast.
"""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
BIN = Path(sys.executable).parent
TF = EXAMPLES / "terraform"
CFN = EXAMPLES / "cloudformation"


def command(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"the {name} console script is not installed"
    return found


def run(*args: str, script: str = "trailguard", env: Optional[Dict[str, str]] = None,
        cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([command(script), *args], capture_output=True, text=True, timeout=900, cwd=str(cwd),
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def text_report() -> subprocess.CompletedProcess:
    return run("scan", "examples")


@pytest.fixture(scope="module")
def json_report() -> dict:
    scan = run("scan", "--format", "json", "examples")
    assert scan.returncode == 1, scan.stderr
    return json.loads(scan.stdout)


def unit(report: dict, name: str) -> dict:
    return next(found for found in report["units"] if found["name"] == name)


def link(found: dict, name: str) -> dict:
    return next(item for item in found["links"] if item["link"] == name)


# --- the report ------------------------------------------------------------------------------------------------------

def test_examples_exit_1_because_of_the_noncompliant_cases(text_report):
    assert text_report.returncode == 1, text_report.stderr
    assert "\033[" not in text_report.stdout and "\r" not in text_report.stderr  # not a terminal: plain, no progress


def test_every_example_unit_is_reported_with_the_verdict_its_directory_promises(json_report):
    names = {found["name"]: found["result"] for found in json_report["units"]}
    proven = {found["name"]: found["proven"] for found in json_report["units"]}
    trails = {found["name"]: bool(link(found, "trail")["results"]) for found in json_report["units"]}
    # A directory under cloudformation/compliant holds the children of a nested-stack template, not a unit.
    expected = {str(path.relative_to(ROOT)) for path in (TF / "compliant").iterdir()} | \
               {str(path.relative_to(ROOT)) for path in (CFN / "compliant").iterdir() if path.is_file()}
    for name in expected:
        key = name if name in names else name + "/plan.json"
        assert names.get(key) == "PASSED", f"{key}: {names.get(key)}"
        # A compliant unit with a trail proves the control; the monitoring half of a split layout (or a nested
        # stack's child template scanned on its own) passes its checks but proves nothing: it has no trail.
        assert proven[key] == trails[key], key
    assert not proven["examples/terraform/compliant/separate_monitoring_account"]
    noncompliant = [name for name in names if "/noncompliant/" in name]
    assert len(noncompliant) >= len(list((TF / "noncompliant").iterdir())) + len(list((CFN / "noncompliant").iterdir()))
    for name in noncompliant:
        verdict = "SKIPPED" if "accepted_risk" in name else "WARNING" if "topic_without_subscription" in name \
            else "FAILED"  # an unsubscribed topic is advisory only
        assert names[name] == verdict, name
    assert json_report["errors"] == []


def test_the_or_bug_shows_the_chain_and_the_counterexample_event(text_report):
    block = text_report.stdout.split("examples/terraform/noncompliant/or_bug_pattern  ", 1)[1].split("\n\n", 1)[0]
    lines = block.splitlines()
    assert [line.split()[:2] for line in lines[1:] if line.startswith("  ") and not line.startswith("   ")] == [
        ["pass", "trail"], ["FAIL", "filter"], ["pass", "alarm"], ["pass", "topic"], ["FAIL", "chain"]]
    chain = lines[lines.index(next(line for line in lines if line.startswith("  FAIL  chain"))) + 1].strip()
    assert chain == ("the chain breaks at the pattern of filter aws_cloudwatch_log_metric_filter.unauthorized_api_calls"
                     " (TG_AWS_2); fix that link")  # its cause is on the filter row, not repeated
    event_line = next(line for line in lines if "counterexample event:" in line)
    event = json.loads(event_line.split("counterexample event: ", 1)[1])
    assert "errorCode" not in event and event["eventName"] == "GetObject"


def test_a_broken_link_names_its_reason_once_and_the_chain_points_at_it(json_report):
    found = unit(json_report, "examples/terraform/noncompliant/actions_disabled")
    alarm = link(found, "alarm")["results"][0]
    assert alarm["result"] == "FAILED" and "its actions are disabled" in alarm["reasons"][0]
    topic = link(found, "topic")["results"][0]  # the advisory is shown although the alarm fails
    assert topic["check_id"] == "TG_AWS_5" and topic["result"] == "PASSED"
    chain = link(found, "chain")["results"][0]
    assert chain["result"] == "FAILED" and chain["reasons"][0].startswith("the chain breaks at the alarm of filter")


def test_child_module_resources_belong_to_the_root_module_that_calls_it(json_report):
    found = unit(json_report, "examples/terraform/compliant/module_chain")
    assert link(found, "filter")["results"][0]["resource"].startswith("module.cis_monitoring.")
    assert not [name for name in (u["name"] for u in json_report["units"]) if "/modules/" in name]


def test_cloudformation_results_of_both_scanners_are_merged(json_report):
    found = unit(json_report, "examples/cloudformation/noncompliant/or_bug.yaml")
    pattern = link(found, "filter")["results"][0]
    assert pattern["result"] == "FAILED" and sorted(pattern["scanners"]) == ["cfn-lint", "checkov"]
    reasons = pattern["reasons"]  # the same reasons from both scanners (cfn-lint joins them in one) are shown once
    assert reasons and len(set(reasons)) == len(reasons) and not any("; it counts" in reason for reason in reasons)


def test_an_accepted_risk_is_skipped_with_its_reason(json_report):
    found = unit(json_report, "examples/cloudformation/noncompliant/accepted_risk_skipped.yaml")
    trail = link(found, "trail")["results"][0]
    assert trail["result"] == "SKIPPED" and "Regional trail by design" in trail["skip_reason"]


# --- colour on a real terminal ---------------------------------------------------------------------------------------

def _on_terminal(args: List[str], env: Dict[str, str], stream: str) -> str:
    """Run with stdout or stderr on a pseudo-terminal; returns what the terminal received."""
    controller, terminal = pty.openpty()
    streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: terminal}
    process = subprocess.Popen([command("trailguard"), *args], cwd=str(ROOT), env={**os.environ, **env},
                               stdout=streams["stdout"], stderr=streams["stderr"])
    os.close(terminal)
    received = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        received += chunk
    process.wait(timeout=600)
    os.close(controller)
    return received.decode(errors="replace")


def test_a_real_terminal_gets_colour():
    """The console script sees its real standard output is a terminal (NO_COLOR and --color: test_scan_command.py)."""
    args = ["scan", "examples/cloudformation/noncompliant/or_bug.yaml"]
    assert "\033[31;1mFAIL" in _on_terminal(args, {"NO_COLOR": ""}, "stdout")


# --- errors are exit 2, never a pass ---------------------------------------------------------------------------------

def test_usage_errors_exit_2(tmp_path):
    assert run("scan", str(tmp_path / "missing")).returncode == 2
    assert run("scan", "--format", "xml", "examples").returncode == 2


def test_a_crashing_scanner_is_exit_2_with_its_stderr(tmp_path):
    """The real checkov command, made to crash at start-up by a broken `checkov` package earlier on its path."""
    (tmp_path / "checkov").mkdir()
    (tmp_path / "checkov" / "__init__.py").write_text("raise RuntimeError('checkov exploded for the test')\n")
    scan = run("scan", "examples/terraform/compliant/basic", env={"PYTHONPATH": str(tmp_path)})
    assert scan.returncode == 2
    assert "trailguard: error:" in scan.stderr and "checkov exploded for the test" in scan.stderr
    assert "all passing" not in scan.stdout and "INCOMPLETE" in scan.stdout


# --- the pass-through commands ---------------------------------------------------------------------------------------

def test_trailguard_checkov_adds_the_checks_and_keeps_the_users_flags():
    case = str(TF / "noncompliant" / "or_bug_pattern")
    for script, args in (("trailguard", ["checkov"]), ("trailguard-checkov", [])):
        scan = run(*args, "-d", case, "--framework", "terraform", "--check", "TG_AWS_2", "-o", "json", script=script)
        assert scan.returncode == 1, scan.stderr
        report = json.loads(scan.stdout)
        assert [record["check_id"] for record in report["results"]["failed_checks"]] == ["TG_AWS_2"]
        assert "GetObject" in report["results"]["failed_checks"][0]["details"][0]


def test_trailguard_cfn_lint_hook_entry_skips_files_that_are_not_templates(tmp_path):
    workflow = tmp_path / "workflow.yml"
    workflow.write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n")
    assert run(str(workflow), script="trailguard-cfn-lint").returncode == 0
    template = tmp_path / "or_bug.yaml"
    shutil.copy(CFN / "noncompliant" / "or_bug.yaml", template)
    linted = run("--format", "parseable", str(workflow), str(template), script="trailguard-cfn-lint")
    assert linted.returncode == 2, linted.stdout + linted.stderr
    assert "E9102" in linted.stdout and "workflow.yml" not in linted.stdout
