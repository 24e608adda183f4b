"""What a check collects about one resource while it runs: failure reasons and, for a pass, what it found.

Unknown values fail closed here, once for every check: the reason names the input and how to make it resolvable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List

from trailguard.findings import FAILED, PASSED, Finding, Reason
from trailguard.model import Resource, is_unknown
from trailguard.rules.reasons import UNRESOLVED


@dataclass
class Outcome:
    """Reasons collected while checking one resource; no reasons means it passed."""

    reasons: List[Reason] = field(default_factory=list)
    details: List[Reason] = field(default_factory=list)

    def fail(self, reason: Reason) -> None:
        self.reasons.append(reason)

    def require_known(self, value: object, what: str) -> bool:
        """Fail closed on an unknown value; True when the value is known."""
        if is_unknown(value):
            self.fail(UNRESOLVED(what=what, unknown=value.describe()))
            return False
        return True

    def finding(self, check_id: str, resource: Resource) -> Finding:
        return Finding(check_id, resource, FAILED if self.reasons else PASSED, tuple(self.reasons),
                       tuple(self.details))
