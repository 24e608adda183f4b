"""Which checks and files a scan covers, as Checkov users write it: `--check` / `--skip-check` and `--skip-path`.

A check is named by its Checkov id, its cfn-lint id or its control's slug (`unauthorized-api-calls`), each with
shell wildcards (`TG_AWS_*`, `E91*`). `--skip-check` wins over `--check`, as in Checkov; a check left out is not
reported at all (not as skipped), also as in Checkov. A skip path is a regular expression searched in the file's path
relative to the working directory (Checkov's `--skip-path`: `dir1` skips any directory named dir1), or a glob
(`**/legacy/*`) matched against that path.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Sequence

from trailguard.catalog import CHECKS


def _names(check_id: str) -> List[str]:
    check = CHECKS.get(check_id)
    return [check_id, check.cfn_lint_id, *check.controls] if check else [check_id]


def _named(check_id: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name.lower(), pattern.lower())
               for name in _names(check_id) for pattern in patterns)


def _path_matches(pattern: str, path: str) -> bool:
    if fnmatch.fnmatchcase(path, pattern):
        return True
    try:
        return re.search(pattern, path) is not None
    except re.error:
        return False


@dataclass(frozen=True)
class Selection:
    checks: Sequence[str] = ()
    skip_checks: Sequence[str] = ()
    skip_paths: Sequence[str] = ()

    def wants(self, check_id: str) -> bool:
        """Whether results of this check are reported."""
        if _named(check_id, self.skip_checks):
            return False
        return not self.checks or _named(check_id, self.checks)

    def skips(self, file: Path) -> bool:
        """Whether a file is left out of the scan by a skip path."""
        if not self.skip_paths:
            return False
        relative = Path(os.path.relpath(os.path.abspath(file))).as_posix()
        return any(_path_matches(pattern, relative) for pattern in self.skip_paths)

    def unknown_checks(self) -> List[str]:
        """Check patterns that name no check: a typo would otherwise select nothing and pass silently."""
        return [pattern for pattern in [*self.checks, *self.skip_checks]
                if not any(_named(check_id, [pattern]) for check_id in CHECKS)]
