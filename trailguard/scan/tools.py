"""Where the scanners and trailguard's checks are, and the exact commands `trailguard` runs them with.

The scanners always run from trailguard's own environment (`sys.executable`), never from PATH: a `cfn-lint` of
another virtual environment on PATH would not have trailguard's rules, or would have another version of them.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import List

from trailguard.integrations.cfn_lint.runner import APPEND_RULES

CHECKOV_FRAMEWORKS = ("terraform", "terraform_json", "terraform_plan", "cloudformation")
# Checkov's own console script silences the SyntaxWarnings its sources raise on recent Pythons; so does this.
_PYTHON = ("-W", "ignore::SyntaxWarning")
# cfn-lint has no `python -m` entry; its console script is exactly this call.
_CFN_LINT_MAIN = "import sys; from cfnlint.runner import main; sys.exit(main())"


class ToolMissing(Exception):
    """A scanner is not installed next to trailguard."""


def checks_dir() -> Path:
    """The installed package's Checkov external-checks directory (it needs no source tree)."""
    import trailguard.integrations.checkov.external_checks

    return Path(trailguard.integrations.checkov.external_checks.__file__).resolve().parent


def _require(name: str, module: str, extra: str) -> None:
    """Fail with what to install unless the scanner's package is importable by this Python."""
    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise ToolMissing(f"{name} is not installed in trailguard's environment ({sys.executable}); install it "
                          f"with: pip install \"trailguard[{extra}]\" (or \"trailguard[all]\")")


def require_cfn_lint() -> None:
    """Fail with what to install unless cfn-lint is importable (for `trailguard cfn-lint`, which runs in-process)."""
    _require("cfn-lint", "cfnlint", "cfn-lint")


def checkov_command(args: List[str]) -> List[str]:
    """Checkov with trailguard's checks added, offline; the caller's arguments keep all their own checks and flags."""
    _require("checkov", "checkov", "checkov")
    return [sys.executable, *_PYTHON, "-m", "checkov.main", "--skip-download", "--external-checks-dir",
            str(checks_dir()), *args]


def cfn_lint_command(args: List[str]) -> List[str]:
    """cfn-lint with trailguard's rules appended by module name."""
    require_cfn_lint()
    return [sys.executable, *_PYTHON, "-c", _CFN_LINT_MAIN, APPEND_RULES, *args]
