"""What a monitoring pattern must count, as data: the target events of one control.

The judge is a search for events that break a target; it knows nothing about any control itself. A target says
which events must be counted, which may go either way, which fields may pin a narrow exclusion, how to name the
kinds of events that must not be counted, and the words a report uses for the events it misses. The CIS controls'
targets are data in `trailguard.controls` (one module per control), which imports this package, never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Dict, Optional, Tuple

from trailguard.pattern import ast
from trailguard.pattern.compiled import glob_matches
from trailguard.pattern.parser import parse


def expr(text: str) -> ast.Expr:
    """A target formula, written as a JSON pattern (the same language, the same meaning)."""
    parsed = parse(text)
    if not isinstance(parsed, ast.JsonPattern):
        raise TypeError(f"a target is written as a JSON pattern: {text}")
    return parsed.expr


@dataclass(frozen=True)
class NoiseKind:
    """One kind of event that must not be counted: a formula over the event, and how a report names it."""

    name: str
    condition: ast.Expr
    sentence: str


@dataclass(frozen=True)
class PinRule:
    """A field whose exact value may pin a narrow exclusion; `values`, when set, is a glob the value must match
    (a `sourceIPAddress` pins only when it is an AWS service name)."""

    path: Tuple[str, ...]
    values: Optional[str] = None

    def reads(self, path: Tuple[object, ...]) -> bool:
        """Whether the rule is about this field (`*` standing for any one field name)."""
        if self.path[-1] == "*":
            return len(path) == len(self.path) and path[:-1] == self.path[:-1]
        return path == self.path

    def admits(self, path: Tuple[object, ...], value: str) -> bool:
        """Whether an exact value of a field pins an exclusion under this rule."""
        return self.reads(path) and (self.values is None or glob_matches(self.values, value))


@dataclass(frozen=True)
class Target:
    """The events a control's metric filter must count (`must`), may count (`dont_care`, a subset of `must`), and
    must not count (every event outside `must`; the noise kinds together cover them), with the fields that may pin
    narrow exclusions.

    `missed` names the events a miss leaves out and `example` one of them ("it misses unauthorized calls; for
    example this denied call is not counted"); `samples` are ordinary events of the control that a raw-text pattern
    is tried on; `complete_records` fills every field CloudTrail always writes into a counterexample.
    """

    title: str
    must: ast.Expr
    dont_care: ast.Expr
    noise: Tuple[NoiseKind, ...]
    pins: Tuple[PinRule, ...]
    missed: str = "unauthorized calls"
    example: str = "denied call"
    samples: Tuple[Dict[str, Any], ...] = field(default=(), compare=False)
    raw_text_advice: str = "use a JSON pattern that compares $.errorCode"
    complete_records: bool = False

    def __hash__(self) -> int:
        """Computed once: a target keys the verdict caches, hashed at every lookup, and its event trees are deep."""
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(tuple(getattr(self, f.name) for f in fields(self) if f.compare))
            object.__setattr__(self, "_hash", cached)
        return cached

    @property
    def missed_sentence(self) -> str:
        """What a missed event proves."""
        return f"it misses {self.missed}; for example this {self.example} is not counted"

    def may_pin(self, path: Tuple[object, ...]) -> bool:
        """Whether some exact value of this field may pin a narrow exclusion."""
        return any(rule.reads(path) for rule in self.pins)

    def pins_field(self, path: Tuple[object, ...], value: str) -> bool:
        """Whether `path = value` may pin a narrow exclusion."""
        return any(rule.admits(path, value) for rule in self.pins)
