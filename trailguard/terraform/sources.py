"""Which files a Terraform model was read from, so that a cached model or directory is reused only while none of
them changed.

Checkov runs its framework runners one after another, in threads, or in forked children, and each runner asks for
the same roots again. The loader keeps what it read, with the modification time and size each file or directory had
when it was read (taken before its content is read, so a file changed meanwhile is read again next time), and reuses
it only while every one of them is unchanged. A directory's own modification time changes when a file is added to
it or removed, which catches a new `.tf` or `*.auto.tfvars` file. As git does with its index, a file modified in the
last two seconds is not trusted: a file system's clock ticks coarsely, and a rewrite of the same size within one
tick would keep its stamp.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Optional, Tuple

Stamp = Tuple[Optional[int], Optional[int]]  # (modification time in ns, size); (None, None) when it does not exist
Stamps = Dict[Path, Stamp]

RECENT_NS = 2_000_000_000
_TOO_RECENT: Stamp = (-1, -1)  # equal to no file's stamp, so what was read from such a file is read again
_RECORDING = threading.local()


def stamp(path: Path) -> Stamp:
    try:
        status = path.stat()
    except OSError:
        return None, None
    return status.st_mtime_ns, status.st_size


@contextmanager
def recording() -> Iterator[Stamps]:
    """Collect, in this thread, the stamps of every path `read()` is told about while the block runs; an enclosing
    recording gets them too."""
    outer: Optional[Stamps] = getattr(_RECORDING, "stamps", None)
    stamps: Stamps = {}
    _RECORDING.stamps = stamps
    try:
        yield stamps
    finally:
        _RECORDING.stamps = outer
        if outer is not None:
            for path, value in stamps.items():
                outer.setdefault(path, value)


def read(*paths: Path) -> None:
    """Say, before reading them, that what is being built depends on these files or directories (existing or not)."""
    recorded: Optional[Stamps] = getattr(_RECORDING, "stamps", None)
    if recorded is not None:
        for path in paths:
            if path not in recorded:
                recorded[path] = _trusted(path)


def _trusted(path: Path) -> Stamp:
    value = stamp(path)
    recent = value[0] is not None and value[0] > time.time_ns() - RECENT_NS
    return _TOO_RECENT if recent else value


def being_read(path: Path) -> bool:
    """Whether what is being built in this thread has already read this path (then it reads the same content)."""
    recorded: Optional[Stamps] = getattr(_RECORDING, "stamps", None)
    return recorded is not None and path in recorded


def unchanged(stamps: Stamps) -> bool:
    """Whether every path still has the stamp it had when it was read."""
    return all(stamp(path) == value for path, value in stamps.items())
