"""examples/ci/gate.sh end to end, offline: it installs `trailguard[all]` (as CI installs the pinned release), scans
once, prints the readable report, leaves the SARIF behind and exits with the scan's code; an install that fails is
its own exit code (4) with a message, never mistaken for findings.

No network: the gate's virtual environment is made ahead with this checkout's package and the scanners installed in
this environment visible through a `.pth` file (a directory of links: this checkout's `trailguard` package and its
metadata, and every other installed package), and pip is told to use no index, so `pip install "trailguard[all]"`
finds everything already satisfied by the repository under test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Dict

import pytest

from tests.environments import clean_environment
from tests.sarif_schema import sarif_schema_errors
from tests.scan_replay import ROOT

GATE = ROOT / "examples" / "ci" / "gate.sh"
EXAMPLE = ROOT / "examples" / "terraform" / "noncompliant" / "or_bug_pattern"


def _installed_here(target: Path) -> Path:
    """Links to this environment's installed packages, with trailguard as this checkout's package (not its editable
    install's finder, which a `.pth` directory would not run)."""
    target.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith("__editable__"):
            (target / entry.name).symlink_to(entry)
    (target / "trailguard").symlink_to(ROOT / "trailguard")
    return target


def _offline_gate_environment(workdir: Path, packages: Path) -> None:
    """The gate's virtual environment made ahead, with the scanners visible through a `.pth` file; the gate's own
    `python -m venv` keeps it."""
    subprocess.run([sys.executable, "-m", "venv", str(workdir / ".trailguard-venv")], check=True)
    purelib = subprocess.run([str(workdir / ".trailguard-venv" / "bin" / "python"), "-c",
                              "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "scanners.pth").write_text(str(packages) + "\n")


def _env(spec: str) -> Dict[str, str]:
    return clean_environment(TRAILGUARD_SPEC=spec, TRAILGUARD_PYTHON=sys.executable, PIP_NO_INDEX="1",
                             PIP_NO_BUILD_ISOLATION="0", PIP_DISABLE_PIP_VERSION_CHECK="1")


@pytest.fixture(scope="module")
def gate_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("gate")
    workdir = base / "repository"
    shutil.copytree(EXAMPLE, workdir / "infra")
    _offline_gate_environment(workdir, _installed_here(base / "installed"))
    return _gate(workdir), workdir


def _gate(workdir: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", str(GATE), *options, "infra"], cwd=workdir, env=_env("trailguard[all]"),
                          capture_output=True, text=True, timeout=900)


def test_the_gate_installs_scans_once_and_fails_on_findings(gate_run):
    done, workdir = gate_run
    assert done.returncode == 1, done.stdout + done.stderr
    assert "\nFAIL  infra  (Terraform root module)" in done.stdout  # the readable report, in the log
    assert "trailguard scan exited 1 (1: findings" in done.stderr
    log = json.loads((workdir / "trailguard.sarif").read_text())  # and the SARIF, from the same scan
    assert sarif_schema_errors(log) == []
    assert {"TG_AWS_2", "TG_AWS_4", "TG_AWS_7"} <= {result["ruleId"] for result in log["runs"][0]["results"]}


def test_the_gate_passes_a_repository_compliant_for_the_controls_it_chooses(gate_run):
    """The gate hands its options to the scan: a root carrying only the unauthorized-calls control passes when that is
    the control chosen (and fails the fourteen others otherwise)."""
    _, workdir = gate_run
    shutil.rmtree(workdir / "infra")
    shutil.copytree(ROOT / "examples" / "terraform" / "compliant" / "basic", workdir / "infra")
    done = _gate(workdir, "--check", "unauthorized-api-calls")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("CIS AWS Foundations Benchmark v7.0, 1 of 15 monitoring controls "
                                  "(unauthorized-api-calls)\n\npass  infra")
    assert _gate(workdir).returncode == 1


def test_an_install_that_fails_is_exit_4_with_a_message_not_findings(tmp_path):
    done = subprocess.run(["sh", str(GATE)], cwd=tmp_path, env=_env(str(tmp_path / "no-such-trailguard")),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "could not install" in done.stderr and "nothing was scanned" in done.stderr
    assert not (tmp_path / "trailguard.sarif").exists()


def test_the_gate_pins_a_release_by_default():
    assert 'trailguard[all] @ git+https://github.com/trailguard/trailguard@v0.1.0' in GATE.read_text()
