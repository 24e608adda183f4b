"""The judge's answer: PASS, FAIL with concrete events, CANNOT DECIDE with the construct that stopped it, or INVALID.

The answers are kept apart on purpose: a user acts differently on each (leave it, fix it with the event in hand,
rewrite the construct, fix the syntax), so "does not count exactly the unauthorized calls" is only ever said with an
event that shows it. Reasons are rendered from the counterexamples here, in one place, for the CLI and the checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

PASS = "PASS"
FAIL = "FAIL"
CANNOT_DECIDE = "CANNOT_DECIDE"
INVALID = "INVALID"

# Kinds of counterexample. Noise kinds come from the target (`NoiseKind.name`); these two are misses.
MISSED = "missed"
ABSENT_FIELD = "absent field"
MISS_KINDS = (MISSED, ABSENT_FIELD)


@dataclass(frozen=True)
class Counterexample:
    """One CloudTrail event that proves a failure, its kind, and the sentence that says what it proves."""

    kind: str
    event: Dict[str, Any]
    sentence: str
    fix: Optional[str] = None

    def reason(self) -> str:
        """The sentence and, last, its event (reports set the event apart; the fix is a reason of its own)."""
        return f"{self.sentence}: {compact(self.event)}"

    def to_json(self) -> Dict[str, Any]:
        found: Dict[str, Any] = {"kind": self.kind, "event": self.event, "says": self.sentence}
        if self.fix:
            found["fix"] = self.fix
        return found


@dataclass(frozen=True)
class Verdict:
    """The judgement of one pattern. `reasons()` are the sentences the checks report; `exclusions` the narrow
    exclusions of a passing pattern, each written as the set of events it leaves out."""

    status: str
    counterexamples: Tuple[Counterexample, ...] = ()
    exclusions: Tuple[str, ...] = ()
    error: Optional[str] = None
    hints: Tuple[str, ...] = field(default=(), compare=False)

    @property
    def valid(self) -> bool:
        """Whether AWS would accept the pattern."""
        return self.status != INVALID

    @property
    def ok(self) -> bool:
        return self.status == PASS

    @property
    def undecided(self) -> bool:
        return self.status == CANNOT_DECIDE

    @property
    def misses(self) -> Tuple[Dict[str, Any], ...]:
        """Events of the control the pattern does not count."""
        return tuple(found.event for found in self.counterexamples if found.kind in MISS_KINDS)

    @property
    def noise(self) -> Tuple[Dict[str, Any], ...]:
        """Events the pattern counts that are not the control's."""
        return tuple(found.event for found in self.counterexamples if found.kind not in MISS_KINDS)

    def to_json(self) -> Dict[str, Any]:
        return {"status": self.status, "valid": self.valid, "ok": self.ok, "misses": list(self.misses),
                "noise": list(self.noise), "counterexamples": [found.to_json() for found in self.counterexamples],
                "exclusions": list(self.exclusions), "error": self.error, "hints": list(self.hints)}

    def reasons(self) -> List[str]:
        """Sentences that say what is wrong and show the event that proves it."""
        found: List[str] = []
        if self.status == INVALID:
            found.append(f"AWS would not accept this pattern: {self.error}")
        elif self.error:
            found.append(self.error)
        for example in self.counterexamples:
            found.append(example.reason())
            if example.fix and example.fix not in found:
                found.append(example.fix)
        found.extend(self.hints)
        return found


def compact(event: Dict[str, Any]) -> str:
    return json.dumps(event, separators=(", ", ": "), ensure_ascii=False)
