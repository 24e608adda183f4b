"""Which checks, controls and files a scan covers, as Checkov users write it: `--check` / `--skip-check` and
`--skip-path`.

A check is named by its Checkov id, its cfn-lint id or a control's slug (`unauthorized-api-calls`), each with shell
wildcards (`TG_AWS_*`, `E91*`, `*-changes`). `--skip-check` wins over `--check`, as in Checkov; a check left out is not
reported at all (not as skipped), also as in Checkov. A slug asks for everything that control's chain needs: in
`--check` it names the control's chain check and the checks every chain shares (trail, filter, alarm, topic); in
`--skip-check` only the control's own chain check, since the shared checks still serve the other controls.

The controls a scan must prove (`Selection.controls`) are those `--check` names (all of them without `--check`, or
when it names a shared check) minus those `--skip-check` names by slug, among those the CIS version judged has
(organizations changes first appear in v1.3). Skipping a control's chain check by its id
keeps the control selected: the control is then not proven, which is exit 3, not a pass.

A skip path is a regular expression searched in the file's path relative to the working directory (Checkov's
`--skip-path`: `dir1` skips any directory named dir1), or a glob (`**/legacy/*`) matched against that path.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from trailguard.catalog import CHECKS, Check
from trailguard.controls import CONTROLS

# Each control's chain check (TG_AWS_4, TG_AWS_6 ... TG_AWS_19), by slug, in CIS order.
CHAIN_CHECK = {check.chain_control: check.id for check in CHECKS.values() if check.chain_control}
EVERY_CONTROL: Tuple[str, ...] = tuple(control.slug for control in CONTROLS)


def controls_in(cis_version: Optional[str]) -> Tuple[str, ...]:
    """The slugs of the controls a CIS version has (the newest when None), in CIS order."""
    return tuple(control.slug for control in CONTROLS if control.exists_in(cis_version))


def _matches(names: Sequence[str], patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name.lower(), pattern.lower()) for name in names for pattern in patterns)


def _ids(check: Check) -> List[str]:
    return [check.id, check.cfn_lint_id]


def _chosen(check: Check, patterns: Sequence[str]) -> bool:
    """`--check`: by id, or by the slug of any control the check serves."""
    return _matches([*_ids(check), *check.controls], patterns)


def _left_out(check: Check, patterns: Sequence[str]) -> bool:
    """`--skip-check`: by id, or by a slug only for the check that serves that control alone (its chain check)."""
    return _matches(_ids(check) + (list(check.controls) if len(check.controls) == 1 else []), patterns)


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
        check = CHECKS.get(check_id)
        if check is None:
            return not self.checks
        if _left_out(check, self.skip_checks):
            return False
        return not self.checks or _chosen(check, self.checks)

    def controls(self, cis_version: Optional[str] = None) -> Tuple[str, ...]:
        """The slugs of the controls the scan must prove under a CIS version (the newest when None), in CIS order."""
        named = [slug for slug in controls_in(cis_version)
                 if not self.checks or _matches([slug], self.checks)
                 or any(_matches(_ids(check), self.checks) for check in CHECKS.values() if slug in check.controls)]
        return tuple(slug for slug in named if not _matches([slug], self.skip_checks))

    def skips(self, file: Path) -> bool:
        """Whether a file is left out of the scan by a skip path."""
        if not self.skip_paths:
            return False
        relative = Path(os.path.relpath(os.path.abspath(file))).as_posix()
        return any(_path_matches(pattern, relative) for pattern in self.skip_paths)

    def absent_controls(self, cis_version: Optional[str] = None) -> List[str]:
        """`--check` patterns that name controls only, none of which the CIS version has (organizations changes
        before v1.3): such a scan would prove nothing and pass, so it is a usage error."""
        present = controls_in(cis_version)
        return [pattern for pattern in self.checks
                if _matches(EVERY_CONTROL, [pattern]) and not _matches(present, [pattern])
                and not any(_matches(_ids(check), [pattern]) for check in CHECKS.values())]

    def unknown_checks(self) -> List[str]:
        """Check patterns that name no check: a typo would otherwise select nothing and pass silently."""
        return [pattern for pattern in [*self.checks, *self.skip_checks]
                if not any(_chosen(check, [pattern]) for check in CHECKS.values())]
