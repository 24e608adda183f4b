"""What a monitoring pattern must count, as data: the target events of one control.

The judge is a search for events that break a target; it knows nothing about unauthorized calls itself. A target
says which events must be counted, which may go either way, which fields may pin a narrow exclusion, and how to
name the kinds of events that must not be counted. Issue 11 adds the other CIS monitoring controls as more
`Target` values; only this module changes for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

from trailguard.pattern import ast
from trailguard.pattern.compiled import glob_matches
from trailguard.pattern.parser import parse


def _expr(text: str) -> ast.Expr:
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
    """The events a control's metric filter must count (`must`), may count (`dont_care`, a subset of `must`'s
    domain), and must not count (every event outside `must`), with the fields that may pin narrow exclusions."""

    title: str
    must: ast.Expr
    dont_care: ast.Expr
    noise: Tuple[NoiseKind, ...]
    pins: Tuple[PinRule, ...]

    def may_pin(self, path: Tuple[object, ...]) -> bool:
        """Whether some exact value of this field may pin a narrow exclusion."""
        return any(rule.reads(path) for rule in self.pins)

    def pins_field(self, path: Tuple[object, ...], value: str) -> bool:
        """Whether `path = value` may pin a narrow exclusion."""
        return any(rule.admits(path, value) for rule in self.pins)


_UNAUTH = '$.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied*"'

UNAUTHORIZED_CALLS = Target(
    title="unauthorized API calls",
    must=_expr("{ " + _UNAUTH + " }"),
    # CIS v1.4+ exclude S3 HeadBucket probes and the log-delivery service: counting them or not is both right.
    dont_care=_expr("{ (" + _UNAUTH + ') && ($.eventName = "HeadBucket" || '
                    '$.sourceIPAddress = "delivery.logs.amazonaws.com") }'),
    noise=(
        NoiseKind("succeeded", _expr("{ $.errorCode NOT EXISTS }"),
                  "it counts calls that were not denied (a call that succeeded matches: the OR bug or a match-all), "
                  "so the alarm fires on ordinary traffic; for example this call, which succeeded (no errorCode), "
                  "matches"),
        NoiseKind("not a denial", _expr('{ $.errorCode = "*" }'),
                  "it counts failed calls that are not denials (an error code such as ThrottlingException, "
                  "UnauthorizedAccess or a lower-case typo matches), so the alarm fires on ordinary errors; for "
                  "example this call, which failed with an error that is not a denial, matches"),
    ),
    pins=(PinRule(("eventName",)), PinRule(("eventSource",)), PinRule(("userIdentity", "*")),
          PinRule(("sourceIPAddress",), "*.amazonaws.com")),
)
