"""Where the scanners and trailguard's checks are, and the exact commands `trailguard` runs them with."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import List, Optional

from trailguard.cfn_lint_runner import APPEND_RULES

CHECKOV_FRAMEWORKS = ("terraform", "terraform_json", "terraform_plan", "cloudformation")


class ToolMissing(Exception):
    """A scanner is not installed next to trailguard."""


def checks_dir() -> Path:
    """The installed package's Checkov external-checks directory (it needs no source tree)."""
    import trailguard.checkov_checks

    return Path(trailguard.checkov_checks.__file__).resolve().parent


def executable(name: str, extra: str) -> str:
    """A scanner's console script: the one installed next to this Python first (the same virtual environment, even
    when it is not on PATH), else the one on PATH."""
    found: Optional[str] = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        raise ToolMissing(f"{name} is not installed; install it with: pip install \"trailguard[{extra}]\"")
    return found


def checkov_command(args: List[str]) -> List[str]:
    """Checkov with trailguard's checks added, offline; the caller's arguments keep all their own checks and flags."""
    return [executable("checkov", "checkov"), "--skip-download", "--external-checks-dir", str(checks_dir()), *args]


def cfn_lint_command(args: List[str]) -> List[str]:
    return [executable("cfn-lint", "cfn-lint"), APPEND_RULES, *args]
