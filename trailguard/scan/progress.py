"""A one-line progress indicator on standard error, only when it is a terminal and only once a scan takes a while
(a quick scan, a pipe or a CI log gets no control characters)."""

from __future__ import annotations

import sys
import threading
import time
from typing import Callable, Optional, TextIO

DELAY = 1.0  # seconds before the line appears: short scans stay quiet
INTERVAL = 0.5


class Progress:
    """Shows `status()` with the elapsed time until stopped; use as a context manager."""

    def __init__(self, status: Callable[[], str], stream: Optional[TextIO] = None) -> None:
        self.status = status
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._shown = False

    def __enter__(self) -> Progress:
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._done.set()
        if self.enabled:
            self._thread.join()
            if self._shown:
                self.stream.write("\r\033[K")
                self.stream.flush()

    def _run(self) -> None:
        started = time.monotonic()
        if self._done.wait(DELAY):
            return
        while not self._done.is_set():
            self.stream.write(f"\r\033[Ktrailguard: {self.status()} ({time.monotonic() - started:.0f}s)")
            self.stream.flush()
            self._shown = True
            self._done.wait(INTERVAL)
