"""Which CIS monitoring control a metric filter belongs to: decided from its pattern first, its names second.

A filter belongs to a control when its pattern compares a field the control is about with one of the control's
values (`Signal`s: eventName with one of its calls, errorCode with a denial code, userIdentity.type with Root, ...).
A comparison that counts (`=`) weighs more than one that excludes (`!=`), so an unauthorized-calls filter that
excludes root is still an unauthorized-calls filter. Only a pattern that says nothing decides by the filter's or the
metric's name (`IAMPolicyChanges`, `root-usage`, ...); the longest matching word wins, and a tie belongs to no
control. A filter that belongs to none is reported as such, never silently ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from trailguard.controls import CONTROLS
from trailguard.controls.control import Control
from trailguard.pattern import ast
from trailguard.pattern.errors import PatternError
from trailguard.pattern.parser import iter_nodes, parse

COUNTING_WEIGHT = 2
EXCLUDING_WEIGHT = 1


@dataclass(frozen=True)
class Classification:
    """The control a filter belongs to (None: none), and why, in words."""

    control: Optional[Control]
    reasons: Tuple[str, ...]
    # When the pattern is as much about several controls and the names do not settle it: those controls.
    tied: Tuple[Control, ...] = ()


def classify(pattern: object, filter_name: str = "", metric_name: str = "") -> Classification:
    """The control a filter belongs to, by its pattern's comparisons, else (or between equal candidates) by its
    names."""
    candidates, said = _by_pattern(pattern) if isinstance(pattern, (str, type(None))) else _read_pattern(pattern)
    if len(candidates) == 1:
        return Classification(candidates[0], said)
    named = _by_names(filter_name or "", metric_name or "")
    if not candidates or named.control in candidates:
        return named
    return Classification(
        None,
        (
            f"its pattern is as much about {' as about '.join(c.slug for c in candidates)}, "
            "and its names do not say which: split it into one filter per control",
        ),
        candidates,
    )


def _comparisons(pattern: object) -> List[Tuple[Tuple[object, ...], str, bool]]:
    """(field, value as written, counts) for each string comparison of a JSON pattern."""
    try:
        parsed = pattern if isinstance(pattern, ast.JsonPattern) else parse(pattern)
    except (PatternError, TypeError):
        return _written_comparisons(pattern)
    if not isinstance(parsed, ast.JsonPattern):
        return []
    found = []
    for node in iter_nodes(parsed):
        if isinstance(node, ast.StringMatch):
            found.append((node.selector.steps, node.glob, not node.negated))
        elif isinstance(node, ast.RegexMatch):
            found.append((node.selector.steps, node.regex.strip("^$"), not node.negated))
    return found


# `$.a.b = "v"` or `$.a != v` as written: how an invalid pattern still says what it is about.
_WRITTEN = re.compile(r'\$\.([A-Za-z0-9_.]+)\s*(!?=)\s*(?:"([^"]*)"|([^\s()&|}]+))')


def _written_comparisons(pattern: object) -> List[Tuple[Tuple[object, ...], str, bool]]:
    """The comparisons of a pattern AWS would reject, read from its text (the judge reports it invalid)."""
    if not isinstance(pattern, str):
        return []
    return [
        (tuple(field.split(".")), quoted if bare is None or bare == "" else bare, op == "=")
        for field, op, quoted, bare in _WRITTEN.findall(pattern)
    ]


@lru_cache(maxsize=4096)
def _by_pattern(pattern: Optional[str]) -> Tuple[Tuple[Control, ...], Tuple[str, ...]]:
    """The pattern's part of the decision, once per pattern text: the same patterns recur in every account of a
    monorepo under other filter names."""
    return _read_pattern(pattern)


def _read_pattern(pattern: object) -> Tuple[Tuple[Control, ...], Tuple[str, ...]]:
    """The controls the pattern's comparisons are most about, and what it compares of the first."""
    scores: Dict[str, int] = {}
    said: Dict[str, List[str]] = {}
    for path, value, counts in dict.fromkeys(_comparisons(pattern)):
        for control in CONTROLS:
            if any(signal.said_by(path, value) for signal in control.signals):
                scores[control.slug] = scores.get(control.slug, 0) + (COUNTING_WEIGHT if counts else EXCLUDING_WEIGHT)
                said.setdefault(control.slug, []).append(
                    f"$.{'.'.join(map(str, path))} {'=' if counts else '!='} {value}"
                )
    if not scores:
        return (), ()
    best = max(scores.values())
    winners = tuple(control for control in CONTROLS if scores.get(control.slug) == best)
    shown = said[winners[0].slug]
    return winners, (
        f"its pattern compares {', '.join(shown[:4])}{', ...' if len(shown) > 4 else ''}, as "
        f"{winners[0].slug} does",
    )


def _by_names(filter_name: str, metric_name: str) -> Classification:
    matches: List[Tuple[int, str, Control]] = []
    for label, name in (("filter name", filter_name), ("metric name", metric_name)):
        normal = re.sub(r"[^a-z0-9]", "", name.lower())
        for control in CONTROLS:
            words = [word for word in control.name_words if word in normal]
            if words:
                matches.append((max(map(len, words)), f"its {label} {name!r} says {control.slug}", control))
    if not matches:
        return Classification(
            None,
            (
                "its pattern compares no field a CIS monitoring control is about, and its "
                "filter and metric names name none",
            ),
        )
    longest = max(length for length, _, _ in matches)
    best = {control.slug: (reason, control) for length, reason, control in matches if length == longest}
    if len(best) > 1:
        return Classification(None, (f"its names say {' and '.join(best)} alike",))
    reason, control = next(iter(best.values()))
    return Classification(control, (reason,))
