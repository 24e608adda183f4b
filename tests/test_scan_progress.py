"""The progress line of `trailguard scan`: shown on a terminal while the scanners run, cleared when they finish, never
on a pipe. Deterministic: nothing waits for a delay to pass; the stand-in scanners run until the line is shown.
"""

from __future__ import annotations

import io
import sys
import threading

from trailguard.scan import progress
from trailguard.scan.runner import _execute, _Job


class Terminal(io.StringIO):
    """Standard error on a terminal; once a progress line has been written, the file `signal` (if any) is created,
    for the processes waiting for it."""

    def __init__(self, signal: str = "") -> None:
        super().__init__()
        self.signal = signal

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        written = super().write(text)
        if "trailguard: " in text and self.signal:
            open(self.signal, "a").close()
        return written


def test_running_scanners_show_their_state_on_a_terminal_and_the_line_is_cleared(monkeypatch, tmp_path):
    monkeypatch.setattr(progress, "DELAY", 0)
    signal = tmp_path / "progress-shown"
    terminal = Terminal(str(signal))
    monkeypatch.setattr(sys, "stderr", terminal)
    # Stand-in scanners that run until the progress line has been shown, however long that takes.
    wait = [sys.executable, "-c", f"import os, time\nwhile not os.path.exists({str(signal)!r}): time.sleep(0.01)"]
    errors: list = []
    outputs = _execute([_Job("checkov", wait, (0,), ["infra"]), _Job("cfn-lint", wait, (0,), ["stack.yaml"])], 60,
                       errors)
    assert errors == [] and set(outputs) == {"checkov", "cfn-lint"}
    shown = terminal.getvalue()
    assert shown.startswith("\r\033[Ktrailguard: checkov running, cfn-lint running (") and shown.endswith("\r\033[K")


def test_a_scan_that_ends_before_the_delay_writes_nothing(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 3600)
    terminal = Terminal()
    with progress.Progress(lambda: "checkov running", terminal):
        pass
    assert terminal.getvalue() == ""


def test_no_progress_line_when_standard_error_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0)
    pipe = io.StringIO()
    status_asked = threading.Event()
    with progress.Progress(lambda: status_asked.set() or "checkov running", pipe) as shown:
        assert not shown.enabled
    assert pipe.getvalue() == "" and not status_asked.is_set()
