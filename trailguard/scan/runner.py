"""Run Checkov and cfn-lint side by side, with only trailguard's checks, and collect what they found.

Both run as subprocesses, the way users run them, so a scanner that crashes or cannot start is a `ScannerError`
with its standard error, never a pass.
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from trailguard.scan.discover import cloudformation_templates, walk_files
from trailguard.scan.findings import Result, Results, ScannerError
from trailguard.scan.parse import UnitFinder, cfn_lint_results, checkov_results
from trailguard.scan.progress import Progress
from trailguard.scan.tools import CHECKOV_FRAMEWORKS, ToolMissing, cfn_lint_command, checkov_command

CHECKOV_OK = (0, 1)  # 1 means failed checks
CFN_LINT_OK = (0, 2, 4, 6, 8, 10, 12, 14)  # a bit mask of error, warning, informational; 1 is a crash


@dataclass
class Scan:
    results: List[Result] = field(default_factory=list)
    errors: List[ScannerError] = field(default_factory=list)
    templates: int = 0


@dataclass
class _Job:
    """One scanner subprocess, run to completion in its own thread (`subprocess.run` reads both pipes fully)."""

    name: str
    command: List[str]
    accepted: Tuple[int, ...]
    done: bool = False

    def state(self) -> str:
        return f"{self.name} {'done' if self.done else 'running'}"

    def run(self) -> Tuple[str, str, Optional[ScannerError]]:
        """Its standard output and error, and the error that makes its output worthless, if any."""
        try:
            completed = subprocess.run(self.command, capture_output=True, text=True)
        except OSError as error:
            return "", "", ScannerError(self.name, f"{self.name} could not be started: {error}")
        finally:
            self.done = True
        if completed.returncode not in self.accepted:
            return completed.stdout, completed.stderr, ScannerError(
                self.name, f"{self.name} failed with exit code {completed.returncode}", completed.stderr)
        return completed.stdout, completed.stderr, None


def _checkov_jobs(paths: Sequence[Path]) -> List[_Job]:
    """Checkov ignores `-f` once `-d` is given, so directories and files are two runs. A Terraform file stands for its
    root module (the chain spans the module's files), so its directory is scanned."""
    directories = sorted({str(path.parent if path.name.endswith((".tf", ".tf.json")) else path)
                          for path in paths if path.is_dir() or path.name.endswith((".tf", ".tf.json"))})
    files = sorted({str(path) for path in paths if path.is_file() and not path.name.endswith((".tf", ".tf.json"))})
    common = ["-o", "json", "--framework", *CHECKOV_FRAMEWORKS, "--check", "TG_AWS_*"]
    jobs = []
    if directories:
        jobs.append(_Job("checkov", checkov_command([*common, *[a for d in directories for a in ("-d", d)]]),
                         CHECKOV_OK))
    if files:
        jobs.append(_Job("checkov on files", checkov_command([*common, "-f", *files]), CHECKOV_OK))
    return jobs


def run_scan(paths: Sequence[Path]) -> Scan:
    """Scan the paths (which exist): Checkov on everything, cfn-lint on the CloudFormation templates among them."""
    scan = Scan()
    templates = cloudformation_templates(paths)
    scan.templates = len(templates)
    try:
        jobs = _checkov_jobs(paths)
        if templates:
            jobs.append(_Job("cfn-lint", cfn_lint_command(["-f", "json", "--", *map(str, templates)]), CFN_LINT_OK))
    except ToolMissing as error:
        scan.errors.append(ScannerError("trailguard", str(error)))
        return scan
    outputs: Dict[str, Tuple[str, str]] = {}
    with Progress(lambda: ", ".join(job.state() for job in jobs)), ThreadPoolExecutor(len(jobs)) as pool:
        for job, (stdout, stderr, error) in zip(jobs, pool.map(_Job.run, jobs)):
            outputs[job.name] = stdout, stderr
            if error:
                scan.errors.append(error)
    if scan.errors:
        return scan
    terraform_directories = {file.parent for file in walk_files(paths) if file.name.endswith((".tf", ".tf.json"))}
    units = UnitFinder(sorted(terraform_directories))
    results = Results()
    for job in jobs:
        stdout, stderr = outputs[job.name]
        found, errors = cfn_lint_results(stdout) if job.name == "cfn-lint" else checkov_results(stdout, units)
        for result in found:
            results.add(result)
        # Output that is not the documented report usually comes with the reason on standard error (a Python
        # traceback exits 1, which Checkov also uses for "checks failed").
        scan.errors += [ScannerError(e.scanner, e.message, e.stderr or stderr) for e in errors]
    scan.results = results.all()
    return scan
