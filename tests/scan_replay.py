"""Real scanner output, recorded once and replayed in-process, so that `trailguard scan`'s reports and exit codes are
tested without starting Checkov and cfn-lint for every test.

A recording holds what each scanner job of one `trailguard scan` printed (exit code, standard output, standard
error), captured by running the real scanners through trailguard's own runner, with this checkout's path written as
`{ROOT}`. Replaying hands trailguard's runner recorded processes instead of starting the scanners, so everything after
them runs for real: accepting or refusing their exit codes, parsing, merging, skips, rendering and the exit code.
The recordings are not hand-made: refresh them all with the real scanners after a change to what the scanners print,
to trailguard's checks, or to a recorded input, and read the diff of tests/fixtures/recorded/:

    .venv/bin/python -m tests.scan_replay
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Dict, Iterator, List, Sequence, Tuple
from unittest import mock

from trailguard.cli import main
from trailguard.scan import runner

ROOT = Path(__file__).resolve().parent.parent
RECORDED = ROOT / "tests" / "fixtures" / "recorded"
INPUTS = "tests/fixtures/recorded/inputs"
PLACEHOLDER = "{ROOT}"

# A recording's name: the working directory (relative to ROOT) and the paths given to `trailguard scan` (none: the
# default, the working directory).
SCANS: Dict[str, Tuple[str, Tuple[str, ...]]] = {
    "or_bug_template": (".", ("examples/cloudformation/noncompliant/or_bug.yaml",)),
    "compliant_paths": (".", ("examples/terraform/compliant/basic",
                              "examples/cloudformation/compliant/plain_chain.yaml",
                              "examples/terraform/compliant/plan_json/plan.json",
                              "examples/terraform/compliant/tf_json/main.tf.json")),
    "basic_root_module_as_working_directory": ("examples/terraform/compliant/basic", ()),
    "no_infrastructure": (".", (f"{INPUTS}/no_infrastructure",)),
    "terraform_checkov_cannot_parse": (".", (f"{INPUTS}/unparsable_terraform",)),
    "template_cfn_lint_cannot_read": (".", (f"{INPUTS}/unreadable_template.yaml",)),
    "monitoring_only": (".", (f"{INPUTS}/monitoring_only.yaml",)),
    "topic_without_subscription": (".", ("examples/cloudformation/noncompliant/topic_without_subscription.yaml",)),
    "all_controls": (".", (f"{INPUTS}/all_controls.yaml",)),
}


def job_name(command: Sequence[str]) -> str:
    """The runner's name for the scanner job that `command` starts (runner._checkov_jobs, runner._cfn_lint_jobs)."""
    if "checkov.main" not in command:
        return "cfn-lint"
    return "checkov on files" if "-f" in command else "checkov"


@dataclass
class RecordedProcess:
    """A finished scanner process, as the runner uses `subprocess.Popen`."""

    returncode: int
    stdout: str
    stderr: str
    pid: int = -1

    def communicate(self, timeout: float = None) -> Tuple[str, str]:
        return self.stdout, self.stderr


def _path(name: str) -> Path:
    return RECORDED / f"{name}.json"


def _runner_subprocess(popen: object) -> SimpleNamespace:
    """The runner's view of the subprocess module, with `Popen` replaced (nothing else in the process is touched)."""
    return SimpleNamespace(Popen=popen, PIPE=subprocess.PIPE, TimeoutExpired=subprocess.TimeoutExpired)


@contextmanager
def _working_directory(relative: str) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(ROOT / relative)
    try:
        yield
    finally:
        os.chdir(before)


def replay(name: str, *options: str, out: io.StringIO = None) -> Tuple[int, str]:
    """`trailguard scan [options] PATHS` of the recording `name`, in-process on its recorded scanner output; returns
    the exit code and the report (standard error goes to sys.stderr, as it does for users)."""
    directory, paths = SCANS[name]
    jobs = json.loads(_path(name).read_text().replace(PLACEHOLDER, json.dumps(str(ROOT))[1:-1]))["jobs"]
    started: List[str] = []

    def popen(command: Sequence[str], **_: object) -> RecordedProcess:
        started.append(job_name(command))
        job = jobs[started[-1]]
        return RecordedProcess(job["returncode"], "".join(job["stdout"]), "".join(job["stderr"]))

    out = out if out is not None else io.StringIO()
    with _working_directory(directory), mock.patch.object(runner, "subprocess", _runner_subprocess(popen)):
        code = main(["scan", *options, *paths], out)
    assert sorted(started) == sorted(jobs), f"{name}: the scan started {started}, the recording has {sorted(jobs)}"
    return code, out.getvalue()


def record(name: str) -> None:
    """Run the recording's scan with the real scanners and write what each scanner job printed."""
    directory, paths = SCANS[name]
    jobs: Dict[str, Dict[str, object]] = {}

    def popen(command: Sequence[str], **options: object) -> subprocess.Popen:
        process = subprocess.Popen(command, **options)
        communicate = process.communicate

        def recorded(timeout: float = None) -> Tuple[str, str]:
            stdout, stderr = communicate(timeout=timeout)
            jobs[job_name(command)] = {"returncode": process.returncode, "stdout": _lines(stdout),
                                       "stderr": _lines(stderr)}
            return stdout, stderr

        process.communicate = recorded
        return process

    with _working_directory(directory), mock.patch.object(runner, "subprocess", _runner_subprocess(popen)):
        main(["scan", *paths], io.StringIO())
    text = json.dumps({"scan": {"working_directory": directory, "paths": list(paths)}, "jobs": jobs}, indent=1,
                      sort_keys=True)
    if "internal error" in text:  # a broken checkout (or another change half-way through) is not what is expected
        raise SystemExit(f"{name}: trailguard's checks crashed inside the scanner; fix that before recording")
    _path(name).write_text(text.replace(json.dumps(str(ROOT))[1:-1], PLACEHOLDER) + "\n")


def _lines(text: str) -> List[str]:
    """Output as a list of lines, so that a refresh's diff shows what changed line by line."""
    return text.splitlines(keepends=True)


if __name__ == "__main__":
    for scan_name in sys.argv[1:] or SCANS:
        record(scan_name)
        print(f"recorded {_path(scan_name).relative_to(ROOT)}")
