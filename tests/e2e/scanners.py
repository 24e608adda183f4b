"""The real scanners, run the way users run them, once each over the whole examples tree.

The test session (tests/e2e/conftest.py) and the refresh script share these functions, so a snapshot is written from
exactly the output the tests compare it with. `Scanners` names the checks and rules to load: those of this checkout
by default, or another checkout's (the refresh script's `--external-checks-dir` and `--append-rules`).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Sequence
from unittest import mock

from tests.e2e.examples import EXAMPLES, ROOT, cloudformation_templates

BIN = Path(sys.executable).parent
TIMEOUT = 900
# Every framework `trailguard scan` runs: one Checkov run judges all the examples, plan files included.
CHECKOV_FRAMEWORKS = ("terraform", "terraform_json", "terraform_plan", "cloudformation")
CFN_LINT_OK = (0, 2, 4, 6)  # cfn-lint's exit code is a bit mask: 2 error, 4 warning


@dataclass(frozen=True)
class Scanners:
    """Where trailguard's Checkov checks and cfn-lint rules are loaded from."""

    checks_dir: Path = ROOT / "checks"
    plugins: str = str(ROOT / "plugins")


@dataclass
class ScanReport:
    """One `trailguard scan` output: its exit code, standard output and standard error."""

    code: int
    stdout: str
    stderr: str


@dataclass
class CheckovRun:
    """Checkov's JSON report documents (one per framework that found files) and its standard error."""

    documents: List[Dict[str, Any]]
    stderr: str
    records: List[Dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.records = [record for document in self.documents
                        for kind in ("passed_checks", "failed_checks", "skipped_checks")
                        for record in document.get("results", {}).get(kind, [])]


def _run(command: Sequence[str]) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), capture_output=True, text=True, timeout=TIMEOUT, cwd=str(ROOT))


def run_checkov(scanners: Scanners = Scanners()) -> CheckovRun:
    """`checkov -d examples` over every framework trailguard supports, with only trailguard's checks, offline."""
    run = _run([str(BIN / "checkov"), "--skip-download", "-o", "json", "--external-checks-dir",
                str(scanners.checks_dir), "--check", "TG_AWS_*", "--framework", *CHECKOV_FRAMEWORKS,
                "-d", str(EXAMPLES)])
    assert run.returncode in (0, 1), run.stderr[-3000:]
    documents = json.loads(run.stdout) if run.stdout.strip() else []
    return CheckovRun(documents if isinstance(documents, list) else [documents], run.stderr)


def run_cfn_lint(rules: str, templates: Sequence[Path] = ()) -> List[Dict[str, Any]]:
    """cfn-lint's JSON matches over every CloudFormation example, in one run, with trailguard's rules appended
    (`rules` is a directory such as plugins/ or a module name such as trailguard.cfn_lint_rules)."""
    files = [str(path) for path in (templates or cloudformation_templates())]
    run = _run([str(BIN / "cfn-lint"), f"--append-rules={rules}", "-f", "json", "--", *files])
    assert run.returncode in CFN_LINT_OK, run.stdout[-3000:] + run.stderr[-3000:]
    return json.loads(run.stdout or "[]")


@contextlib.contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _scanned_once(real: Callable[..., Any]) -> Callable[..., Any]:
    """`run_scan` that runs the scanners on its first call and hands every later call a copy of that outcome."""
    outcome: List[Any] = []

    def once(*args: Any, **kwargs: Any) -> Any:
        if not outcome:
            outcome.append(real(*args, **kwargs))
        return copy.deepcopy(outcome[0])

    return once


def run_trailguard_scan(formats: Sequence[str], paths: Sequence[str] = ("examples",),
                        cwd: Path = ROOT) -> Dict[str, ScanReport]:
    """`trailguard scan --format F PATHS` for each format, through trailguard's own command line in this process,
    with Checkov and cfn-lint run (as subprocesses, as `trailguard scan` runs them) only for the first format: the
    other formats render the same scanner output. Unit names are relative to `cwd`, as for a user there."""
    from trailguard import cli
    from trailguard.scan import command

    reports: Dict[str, ScanReport] = {}
    with mock.patch.object(command, "run_scan", _scanned_once(command.run_scan)), _working_directory(cwd):
        for format_ in formats:
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stderr(err):
                code = cli.main(["scan", "--format", format_, *paths], out)
            reports[format_] = ScanReport(code, out.getvalue(), err.getvalue())
    return reports
