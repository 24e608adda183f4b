"""Run Checkov and cfn-lint side by side, with only trailguard's checks, and collect what they found.

Both run as subprocesses, the way users run them, so a scanner that crashes or cannot start is a `ScannerError` with
its standard error, never a pass; the CIS version to judge by is in their environment (`TRAILGUARD_CIS_VERSION`, which
trailguard's checks read inside them). Each runs under a time limit; one that fails, is missing or is
stopped costs only its own results: the other scanner's are kept, and the errors make the scan INCOMPLETE (exit 2).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Collection, Dict, List, Optional, Sequence, Set, Tuple

from trailguard.rules.analysis import CIS_VERSION_VARIABLE
from trailguard.scan.discover import cloudformation_templates, is_terraform, walk_files
from trailguard.scan.parse import UnitFinder, cfn_lint_results, checkov_results, display
from trailguard.scan.progress import Progress
from trailguard.scan.results import Result, Results, ScannerError
from trailguard.scan.screen import screen
from trailguard.scan.skips import apply_skips
from trailguard.scan.tools import CHECKOV_FRAMEWORKS, ToolMissing, cfn_lint_command, checkov_command

CHECKOV_OK = (0, 1)  # 1 means failed checks
CFN_LINT_OK = (0, 2, 4, 6, 8, 10, 12, 14)  # a bit mask of error, warning, informational; 1 is a crash
DEFAULT_TIMEOUT = 300.0  # seconds per scanner; the examples take under 10 s, a large monorepo about a minute
_NAMED = 5  # paths named in a time-out message before "and N more"


@dataclass
class Scan:
    results: List[Result] = field(default_factory=list)
    errors: List[ScannerError] = field(default_factory=list)
    templates: int = 0
    notes: List[str] = field(default_factory=list)  # what the scan did not do, without making it incomplete


@dataclass
class _Job:
    """One scanner subprocess, run to completion (or to its time limit) in its own thread. It runs in a session of its
    own, so that stopping it stops every worker it forked too; the terminal's Ctrl-C does not reach it, so `stop`
    does."""

    name: str
    command: List[str]
    accepted: Tuple[int, ...]
    paths: List[str]
    environment: Optional[Dict[str, str]] = None  # None: this process's own
    done: bool = False
    stopped: bool = False
    process: Optional[subprocess.Popen] = None

    def state(self) -> str:
        return f"{self.name} {'done' if self.done else 'running'}"

    def run(self, timeout: float) -> Tuple[str, str, Optional[ScannerError]]:
        """Its standard output and error, and the error that makes its output worthless, if any."""
        try:
            return self._run(timeout)
        finally:
            self.done = True

    def stop(self) -> None:
        """Kill the scanner's whole process group (where there are none, as on Windows, the scanner itself)."""
        self.stopped = True
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):  # it ended on its own meanwhile
            if hasattr(os, "killpg"):
                os.killpg(self.process.pid, signal.SIGKILL)
            else:
                self.process.kill()

    def _run(self, timeout: float) -> Tuple[str, str, Optional[ScannerError]]:
        if self.stopped:
            return "", "", ScannerError(self.name, f"{self.name} was not started: the scan was interrupted")
        try:
            self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                            start_new_session=True, env=self.environment)
        except OSError as error:
            return "", "", ScannerError(self.name, f"{self.name} could not be started: {error}")
        try:
            stdout, stderr = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            stdout, stderr = self.process.communicate()
            return stdout, stderr, ScannerError(
                self.name, f"{self.name} did not finish within {timeout:g} s and was stopped, so nothing in "
                           f"{_named(self.paths)} is proven (a larger limit: --timeout SECONDS)", stderr)
        if self.process.returncode not in self.accepted:
            return stdout, stderr, ScannerError(
                self.name, f"{self.name} failed with exit code {self.process.returncode}", stderr)
        return stdout, stderr, None


def _named(paths: Sequence[str]) -> str:
    shown = ", ".join(paths[:_NAMED])
    return shown + (f" and {len(paths) - _NAMED} more" if len(paths) > _NAMED else "")


def _checkov_jobs(paths: Sequence[Path], excluded: Set[str]) -> List[_Job]:
    """Checkov ignores `-f` once `-d` is given, so directories and files are two runs. A Terraform file stands for its
    root module (the chain spans the module's files), so its directory is scanned. Excluded files are left out of
    the file run and skipped by absolute path in the directory run (hence absolute directories, and paths made
    absolute without resolving symbolic links, as Checkov's own walk makes them)."""
    directories = sorted({os.path.abspath(path.parent if path.name.endswith((".tf", ".tf.json")) else path)
                          for path in paths if path.is_dir() or path.name.endswith((".tf", ".tf.json"))})
    files = sorted({str(path) for path in paths if path.is_file() and not path.name.endswith((".tf", ".tf.json"))
                    and os.path.abspath(path) not in excluded})
    common = ["-o", "json", "--framework", *CHECKOV_FRAMEWORKS, "--check", "TG_AWS_*"]
    # One alternation, however many files: a sharded monorepo leaves out thousands.
    skipped = ["--skip-path", "^(" + "|".join(re.escape(file) for file in sorted(excluded)) + ")$"] if excluded else []
    jobs = []
    if directories:
        jobs.append(_Job("checkov", checkov_command([*common, *skipped, *[a for d in directories for a in ("-d", d)]]),
                         CHECKOV_OK, [display(Path(directory)) for directory in directories]))
    if files:
        jobs.append(_Job("checkov on files", checkov_command([*common, "-f", *files]), CHECKOV_OK,
                         [display(Path(file)) for file in files]))
    return jobs


def _cfn_lint_jobs(templates: Sequence[Path]) -> List[_Job]:
    if not templates:
        return []
    return [_Job("cfn-lint", cfn_lint_command(["-f", "json", "--", *map(str, templates)]), CFN_LINT_OK,
                 [display(template) for template in templates])]


def _jobs(paths: Sequence[Path], templates: Sequence[Path], excluded: Set[str], scan: Scan) -> List[_Job]:
    """Both scanners' jobs; a scanner that is not installed is an error, and the other one still runs. Only
    CloudFormation templates and no Checkov (the `[cfn-lint]` extra alone) is a scan by cfn-lint only, with a note."""
    builders: List[Tuple[str, Callable[[], List[_Job]]]] = [("checkov", lambda: _checkov_jobs(paths, excluded)),
                                                            ("cfn-lint", lambda: _cfn_lint_jobs(templates))]
    jobs: List[_Job] = []
    for name, build in builders:
        try:
            jobs += build()
        except ToolMissing as error:
            if name == "checkov" and templates and not _only_checkov_reads(paths, excluded):
                scan.notes.append(f"Checkov is not installed, so the templates were judged by cfn-lint only "
                                  f"({error})")
            else:
                scan.errors.append(ScannerError("trailguard", str(error)))
    return jobs


def _only_checkov_reads(paths: Sequence[Path], excluded: Set[str]) -> bool:
    """Whether the scan holds Terraform (HCL, .tf.json, plans), which cfn-lint cannot judge."""
    return any(is_terraform(file) for file in walk_files(paths) if os.path.abspath(file) not in excluded)


def _screened(paths: Sequence[Path], errors: List[ScannerError], left_out: Collection[str]) -> Set[str]:
    """Files no scanner may read (absolute paths); each one in trailguard's scope (and not left out of the scan by the
    user's skip paths or its shard) is an error naming it."""
    excluded: Set[str] = set(left_out)
    for file, why, named in screen(paths):
        excluded.add(os.path.abspath(file))
        if named and os.path.abspath(file) not in left_out:
            errors.append(ScannerError("trailguard", f"{display(file)}: {why}; trailguard does not scan it",
                                       file=display(file)))
    return excluded


def _execute(jobs: Sequence[_Job], timeout: float, errors: List[ScannerError]) -> Dict[str, Tuple[str, str]]:
    """Run the jobs in parallel; the output of each one that succeeded, by name."""
    outputs: Dict[str, Tuple[str, str]] = {}
    if not jobs:
        return outputs
    with Progress(lambda: ", ".join(job.state() for job in jobs)), ThreadPoolExecutor(len(jobs)) as pool:
        try:
            finished = list(pool.map(lambda job: job.run(timeout), jobs))
        except BaseException:  # Ctrl-C arrives in this thread only: stop the scanners before waiting for them
            for job in jobs:
                job.stop()
            raise
    for job, (stdout, stderr, error) in zip(jobs, finished):
        if error:
            errors.append(error)
        else:
            outputs[job.name] = stdout, stderr
    return outputs


def _judged_by(jobs: Sequence[_Job], cis_version: Optional[str]) -> List[_Job]:
    """The jobs with the CIS version in their environment (left as it is when none is given)."""
    if cis_version is not None:
        for job in jobs:
            job.environment = {**os.environ, CIS_VERSION_VARIABLE: cis_version}
    return list(jobs)


def run_scan(paths: Sequence[Path], timeout: float = DEFAULT_TIMEOUT, left_out: Collection[str] = (),
             cis_version: Optional[str] = None) -> Scan:
    """Scan the paths (which exist): Checkov on everything, cfn-lint on the CloudFormation templates among them,
    each under `timeout` seconds and judging by `cis_version`'s texts, neither on a file that exceeds the bounds of
    `screen` nor on the `left_out` files (absolute paths: skip paths, other shards' units)."""
    scan = Scan()
    excluded = _screened(paths, scan.errors, set(left_out))
    templates = [template for template in cloudformation_templates(paths) if os.path.abspath(template) not in excluded]
    scan.templates = len(templates)
    outputs = _execute(_judged_by(_jobs(paths, templates, excluded, scan), cis_version), timeout, scan.errors)
    terraform_directories = {file.parent for file in walk_files(paths)
                             if file.name.endswith((".tf", ".tf.json")) and os.path.abspath(file) not in excluded}
    units = UnitFinder(sorted(terraform_directories))
    results = Results()
    for name, (stdout, stderr) in outputs.items():
        found, errors = cfn_lint_results(stdout) if name == "cfn-lint" else checkov_results(stdout, units)
        for result in found:
            results.add(result)
        # Output that is not the documented report usually comes with the reason on standard error (a Python
        # traceback exits 1, which Checkov also uses for "checks failed").
        scan.errors += [ScannerError(e.scanner, e.message, e.stderr or stderr) for e in errors]
    scan.results = apply_skips(results.all(), templates)
    return scan
