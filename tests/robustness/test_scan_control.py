"""`trailguard scan` keeps its scanners under control: the real console script over the real Checkov and cfn-lint.

- Files no scanner may read (a YAML alias bomb, nesting hundreds of levels deep) are named as errors and left out of
  both scanners' runs; the other templates are still judged by both.
- A scanner that hangs is stopped at `--timeout` with every process it started, and one that is not installed is a
  message saying what to install; either way the other scanner's results are kept and the scan exits 2.
- A skip written in either scanner's form is honoured for both, shown as skipped with its reason.

Hangs and missing scanners are real, not mocked output: a package earlier on PYTHONPATH that sleeps where the
scanner would start, or an import hook that makes the scanner's package unimportable. Bounds: every scanner run here
takes seconds; the assertion against a hang is the subprocess time limit (HANG), never a timing measurement.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from tests.robustness.hostile import CFN_PLAIN, ROOT, cloudformation_case
from tests.test_scan import command
from trailguard.scan.screen import MAX_ALIAS_NODES, MAX_DEPTH

HANG = 600
LAUGHS = "".join(f"    {name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
                 for previous, name in zip("abcdefgh", "bcdefghi"))
# "Billion laughs": nine levels of nine aliases each, 9**9 nodes once expanded, in a Mappings section.
ALIAS_BOMB = CFN_PLAIN.replace(
    "Resources:\n", "Mappings:\n  Laughs:\n    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + LAUGHS
    + "Resources:\n", 1)
ACCEPTED = ROOT / "examples" / "cloudformation" / "noncompliant" / "accepted_risk_skipped.yaml"
OR_BUG = ACCEPTED.parent / "or_bug.yaml"
REASON = "Regional trail by design; the organization trail in the management account covers all regions"
CHECKOV_FORM = re.compile(r"      checkov:\n(?:        .*\n)+")
CFN_LINT_FORM = re.compile(r"      cfn-lint:\n(?:        .*\n)+")
TF_OR_BUG = ROOT / "examples" / "terraform" / "noncompliant" / "or_bug_pattern" / "main.tf"
TF_FILTER = 'resource "aws_cloudwatch_log_metric_filter" "unauthorized_api_calls" {\n'
TF_REASON = "the OR-bug pattern is replaced in the next release (SEC-101)"


def scan(*args: str, env: Dict[str, str], cwd: Path) -> Tuple[subprocess.CompletedProcess, dict]:
    """`trailguard scan --format json ARGS` with extra environment variables; the process and its JSON report."""
    run = subprocess.run([command("trailguard"), "scan", "--format", "json", *args], capture_output=True, text=True,
                         timeout=HANG, cwd=str(cwd), env={**os.environ, **env})
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    return run, json.loads(run.stdout)


def results(report: dict, unit: str) -> Dict[str, dict]:
    """A unit's results by check id (one resource per check in these templates)."""
    found = next(item for item in report["units"] if item["name"] == unit)
    return {result["check_id"]: result for link in found["links"] for result in link["results"]}


# --- files no scanner may read ---------------------------------------------------------------------------------------

def test_an_alias_bomb_and_deep_nesting_are_named_and_the_other_templates_still_scanned(tmp_path):
    (tmp_path / "bomb.yaml").write_text(ALIAS_BOMB)
    (tmp_path / "deep.yaml").write_text(cloudformation_case("deep_intrinsics"))
    shutil.copy(OR_BUG, tmp_path / "or_bug.yaml")  # failing, so that both scanners report on it
    run, report = scan(".", env={}, cwd=tmp_path)
    assert run.returncode == 2
    assert {(error["file"], error["message"]) for error in report["errors"]} == {
        ("bomb.yaml", f"bomb.yaml: its YAML aliases expand to more than {MAX_ALIAS_NODES:,} nodes; trailguard does "
                      "not scan it"),
        ("deep.yaml", f"deep.yaml: it nests more than {MAX_DEPTH} levels deep; trailguard does not scan it")}
    assert [unit["name"] for unit in report["units"]] == ["or_bug.yaml"]
    pattern = results(report, "or_bug.yaml")["TG_AWS_2"]
    assert pattern["result"] == "FAILED" and sorted(pattern["scanners"]) == ["cfn-lint", "checkov"]


# --- a scanner that hangs, or is missing -----------------------------------------------------------------------------

HANGING_CHECKOV = """
import os
import time

worker = os.fork()  # like Checkov's own worker processes: stopping the scanner must stop them too
if worker == 0:
    time.sleep(3600)
    os._exit(0)
with open(os.environ["HANGING_PIDS"], "w") as pids:
    pids.write(f"{os.getpid()} {worker}")
time.sleep(3600)
"""

UNINSTALL_CFNLINT = """
import sys


class Uninstalled:
    \"\"\"Makes the cfnlint package unimportable, as in an environment with only trailguard[checkov].\"\"\"

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "cfnlint":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, Uninstalled())
"""


def _gone(pid: int) -> bool:
    """Whether a process has ended (a zombie waiting for its reaper has ended too)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_a_hanging_scanner_is_stopped_with_its_workers_and_the_other_scanners_results_kept(tmp_path):
    (tmp_path / "fake" / "checkov").mkdir(parents=True)
    (tmp_path / "fake" / "checkov" / "__init__.py").write_text(HANGING_CHECKOV)
    (tmp_path / "work").mkdir()
    shutil.copy(OR_BUG, tmp_path / "work" / "or_bug.yaml")
    pids = tmp_path / "pids"
    # 10 s: cfn-lint on one template needs 2-3 s, so its results are in long before the hanging Checkov is stopped.
    run, report = scan("--timeout", "10", "or_bug.yaml", cwd=tmp_path / "work",
                       env={"PYTHONPATH": str(tmp_path / "fake"), "HANGING_PIDS": str(pids)})
    assert run.returncode == 2
    assert [error["message"] for error in report["errors"]] == [
        "checkov on files did not finish within 10 s and was stopped, so nothing in or_bug.yaml is proven (a larger "
        "limit: --timeout SECONDS)"]
    assert all(_gone(int(pid)) for pid in pids.read_text().split())
    pattern = results(report, "or_bug.yaml")["TG_AWS_2"]
    assert pattern["result"] == "FAILED" and pattern["scanners"] == ["cfn-lint"]


def test_ctrl_c_stops_the_scanners_too(tmp_path):
    """The scanners run in sessions of their own (so that a time limit can stop their workers), out of reach of the
    terminal's Ctrl-C: trailguard stops them itself."""
    (tmp_path / "checkov").mkdir()
    (tmp_path / "checkov" / "__init__.py").write_text(HANGING_CHECKOV)
    pids = tmp_path / "pids"
    # A time limit beyond the hang detector's, so that only stopping on Ctrl-C can end the scan in time.
    process = subprocess.Popen([command("trailguard"), "scan", "--timeout", str(2 * HANG), str(OR_BUG)],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=str(ROOT),
                               env={**os.environ, "PYTHONPATH": str(tmp_path), "HANGING_PIDS": str(pids)},
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + HANG
        while not (pids.exists() and len(pids.read_text().split()) == 2) and time.monotonic() < deadline:
            time.sleep(0.2)  # until the hanging scanner has started, as a user would wait before pressing Ctrl-C
        process.send_signal(signal.SIGINT)
        process.wait(timeout=HANG)
    finally:
        process.kill()
    assert all(_gone(int(pid)) for pid in pids.read_text().split())


def test_a_missing_scanner_says_what_to_install_and_the_other_scanners_results_are_kept(tmp_path):
    """cfn-lint unimportable by trailguard's Python, and a `cfn-lint` of another environment on PATH: that one is
    never run (it would lack trailguard's rules), and the report says what to install."""
    (tmp_path / "sitecustomize.py").write_text(UNINSTALL_CFNLINT)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "cfn-lint").write_text("#!/bin/sh\necho '[]'\n")
    (tmp_path / "bin" / "cfn-lint").chmod(0o755)
    run, report = scan(str(OR_BUG), cwd=ROOT, env={"PYTHONPATH": str(tmp_path),
                                                  "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"})
    assert run.returncode == 2
    [error] = report["errors"]
    assert error["message"].startswith("cfn-lint is not installed in trailguard's environment")
    assert 'pip install "trailguard[cfn-lint]"' in error["message"]
    pattern = results(report, "examples/cloudformation/noncompliant/or_bug.yaml")["TG_AWS_2"]
    assert pattern["result"] == "FAILED" and pattern["scanners"] == ["checkov"]


# --- skips in either scanner's form ----------------------------------------------------------------------------------

def _skip_cases(directory: Path) -> List[str]:
    """The accepted-risk template with only Checkov's skip, with only cfn-lint's ignore, and with cfn-lint's ignore
    for the whole template; and the Terraform OR-bug root with a Checkov skip comment on its filter."""
    template = ACCEPTED.read_text()
    assert CHECKOV_FORM.search(template) and CFN_LINT_FORM.search(template)
    (directory / "checkov_form.yaml").write_text(CFN_LINT_FORM.sub("", template))
    (directory / "cfn_lint_form.yaml").write_text(CHECKOV_FORM.sub("", template))
    whole = CHECKOV_FORM.sub("", CFN_LINT_FORM.sub("", template)).replace("    Metadata:\n", "").replace(
        "Resources:\n", "Metadata:\n  cfn-lint:\n    config:\n      ignore_checks:\n        - E9101\n        - E9104\n"
        "Resources:\n", 1)
    (directory / "template_wide_form.yaml").write_text(whole)
    (directory / "terraform").mkdir()
    main = TF_OR_BUG.read_text()
    assert TF_FILTER in main
    (directory / "terraform" / "main.tf").write_text(
        main.replace(TF_FILTER, f"{TF_FILTER}  #checkov:skip=TG_AWS_2:{TF_REASON}\n"))
    return ["checkov_form.yaml", "cfn_lint_form.yaml", "template_wide_form.yaml"]


def test_a_skip_in_either_scanners_form_is_honoured_for_both_with_its_reason(tmp_path):
    templates = _skip_cases(tmp_path)
    run, report = scan(".", env={}, cwd=tmp_path)
    assert report["errors"] == [], run.stderr[-3000:]
    reasons = {"checkov_form.yaml": (REASON, REASON),
               "cfn_lint_form.yaml": ("cfn-lint ignore_checks E9101 in the Metadata of Trail",
                                      "cfn-lint ignore_checks E9104 in the Metadata of Trail"),
               "template_wide_form.yaml": ("cfn-lint ignore_checks E9101 in the template's Metadata",
                                           "cfn-lint ignore_checks E9104 in the template's Metadata")}
    for name in templates:
        found = results(report, name)
        assert (found["TG_AWS_1"]["result"], found["TG_AWS_4"]["result"]) == ("SKIPPED", "SKIPPED"), name
        assert (found["TG_AWS_1"]["skip_reason"], found["TG_AWS_4"]["skip_reason"]) == reasons[name]
        assert found["TG_AWS_2"]["result"] == "PASSED"
    pattern = results(report, "terraform")["TG_AWS_2"]
    assert (pattern["result"], pattern["skip_reason"]) == ("SKIPPED", TF_REASON)
    text = subprocess.run([command("trailguard"), "scan", "checkov_form.yaml"], capture_output=True, text=True,
                          timeout=HANG, cwd=str(tmp_path))
    assert f"skipped: {REASON}" in text.stdout


@pytest.mark.parametrize("value", ["0", "-5", "soon"])
def test_the_timeout_must_be_a_positive_number_of_seconds(value):
    run = subprocess.run([command("trailguard"), "scan", "--timeout", value, "."], capture_output=True, text=True,
                         timeout=HANG, cwd=str(ROOT))
    assert run.returncode == 2 and "not a positive number of seconds" in run.stderr
