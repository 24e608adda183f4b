"""What a check says about one resource: a `Finding`, PASSED or FAILED, with the reasons a user can act on.

Every scanner adapter and the scan report speak of findings in these terms, so the words for a result are defined
here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Tuple

from trailguard.model import Model, Resource

PASSED = "PASSED"
FAILED = "FAILED"


@dataclass(frozen=True)
class Finding:
    check_id: str
    resource: Resource
    result: str
    reasons: Tuple[str, ...] = ()
    details: Tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.result == PASSED

    def message(self) -> str:
        """One line for scanners that show a single message per finding."""
        return "; ".join(self.reasons or self.details)


def finding_lines(model: Model, finding: Finding) -> List[str]:
    """What a scanner shows for a finding: its reasons when it failed, its details when it passed, each naming the
    condition branch it holds in (both adapters use this, so both scanners say the same)."""
    lines = list(finding.reasons) if not finding.passed else list(finding.details)
    return [f"when {model.branch}: {line}" for line in lines] if model.branch else lines
