"""`trailguard scan`, `trailguard checkov` and `trailguard-cfn-lint` as users run them: the installed console scripts
in subprocesses, over the real Checkov and cfn-lint and the bundled examples.

The whole examples tree is scanned once per session, in tests/e2e/ (the report over it: test_scan_examples.py).
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


# --- the CIS version reaches both scanners ---------------------------------------------------------------------------

def test_cis_version_4_passes_the_six_name_security_group_text_that_7_fails(tmp_path):
    """The security-group filter with CIS's 6-name text (no ModifySecurityGroupRules, which v5.0 added), judged by
    Checkov and cfn-lint: it passes under `--cis-version 4.0` (or `cis-version` in .trailguard.yaml) and fails under
    the default, the newest text."""
    from tests.scan_inputs import template
    from trailguard.controls import by_slug

    six_names = next(text.text for text in by_slug("security-group-changes").published
                     if "4.0" in text.versions and "ModifySecurityGroupRules" not in text.text)
    (tmp_path / "security_groups.yaml").write_text(template({"security-group-changes": six_names}))
    options = ("scan", "--check", "security-group-changes", "--format", "json", str(tmp_path))
    older, newest = run(*options, "--cis-version", "4.0"), run(*options)
    assert older.returncode == 0, older.stdout + older.stderr
    assert newest.returncode == 1, newest.stdout + newest.stderr
    judged = {version: {result["check_id"]: (result["result"], sorted(result["scanners"]))
                        for link in json.loads(done.stdout)["units"][0]["links"] for result in link["results"]}
              for version, done in (("4.0", older), ("7.0", newest))}
    both = ["cfn-lint", "checkov"]
    assert judged["4.0"]["TG_AWS_2"] == judged["4.0"]["TG_AWS_14"] == ("PASSED", ["checkov"])  # cfn-lint: no news
    assert judged["7.0"]["TG_AWS_2"] == judged["7.0"]["TG_AWS_14"] == ("FAILED", both)
    assert json.loads(older.stdout)["cis_version"] == "4.0" and json.loads(newest.stdout)["cis_version"] == "7.0"
    (tmp_path / ".trailguard.yaml").write_text('cis-version: "4.0"\n')
    configured = run("scan", "--check", "security-group-changes", str(tmp_path))
    assert configured.returncode == 0, configured.stdout + configured.stderr
    assert configured.stdout.startswith("CIS AWS Foundations Benchmark v4.0, 1 of 15 monitoring controls "
                                        "(security-group-changes)")
    assert "pass  " in configured.stdout and "the chain holds for security-group-changes" in configured.stdout
