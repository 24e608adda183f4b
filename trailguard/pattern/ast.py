"""The abstract syntax of CloudWatch Logs filter patterns.

Every node is a small frozen dataclass, so a parsed pattern can be hashed, compared and shared between the
evaluator and the judge without anyone mutating it. Parentheses leave no trace: `(a && (b && c))` and `a && b && c`
produce the same tree, which is what makes "redundant parentheses never change a verdict" true by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple, Union


@dataclass(frozen=True)
class Wildcard:
    """A wildcard selector step: `[*]` (any array element) or `.*` (any field of an object).

    AWS: "You can use the JSON wildcard to select any array element or any JSON object field." Both read any
    child; `written` keeps the user's spelling for messages.
    """

    written: str = "[*]"

    def __repr__(self) -> str:
        return self.written


ANY_INDEX = Wildcard("[*]")
ANY_FIELD = Wildcard(".*")

PathStep = Union[str, int, Wildcard]


@dataclass(frozen=True)
class Selector:
    """A JSON selector such as `$.userIdentity.type` or `$.resources[0].ARN`."""

    steps: Tuple[PathStep, ...]

    def __str__(self) -> str:
        text = "$"
        for step in self.steps:
            if isinstance(step, Wildcard):
                text += step.written
            elif isinstance(step, int):
                text += f"[{step}]"
            elif step.replace("_", "a").isalnum():
                text += f".{step}"
            else:
                text += ".['" + step + "']"
        return text


@dataclass(frozen=True)
class StringMatch:
    """`$.f = "v"` or `$.f != "v"`: an anchored, case-sensitive glob where `*` matches any run of characters."""

    selector: Selector
    glob: str
    negated: bool = False

    @property
    def is_exact(self) -> bool:
        """True when the value has no wildcard, so the comparison pins one exact string."""
        return "*" not in self.glob


@dataclass(frozen=True)
class RegexMatch:
    """`$.f = %re%` or `$.f != %re%`: a regular expression searched anywhere in a string field."""

    selector: Selector
    regex: str
    negated: bool = False


@dataclass(frozen=True)
class NumberCompare:
    """`$.f > 5` and friends: true only when the field holds a JSON number that satisfies the comparison."""

    selector: Selector
    op: str
    number: float


@dataclass(frozen=True)
class IsValue:
    """`$.f IS TRUE`, `IS FALSE` or `IS NULL`: the field holds exactly that JSON literal."""

    selector: Selector
    value: Union[bool, None]


@dataclass(frozen=True)
class NotExists:
    """`$.f NOT EXISTS`: the only comparison that is true for an absent field."""

    selector: Selector


Comparison = Union[StringMatch, RegexMatch, NumberCompare, IsValue, NotExists]


@dataclass(frozen=True)
class And:
    """All operands hold. Always has two or more operands, none of which is itself an `And`."""

    operands: Tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    """At least one operand holds. Always has two or more operands, none of which is itself an `Or`."""

    operands: Tuple[Expr, ...]


Expr = Union[Comparison, And, Or]


@dataclass(frozen=True)
class JsonPattern:
    """`{ expr }`: a pattern over the fields of a JSON log event. A non-JSON event never matches it."""

    expr: Expr


@dataclass(frozen=True)
class Term:
    """One word or quoted phrase of a term pattern, or a `%regex%` term, searched in the raw event text."""

    text: str
    is_regex: bool = False


@dataclass(frozen=True)
class TermPattern:
    """A term pattern such as `ERROR -Exiting` or `?ERROR ?WARN`.

    AWS's rule: the event matches when it contains every required term and none of the excluded `-` terms;
    `?` terms (any one suffices) count only when the pattern has nothing else, and are ignored otherwise.
    """

    required: Tuple[Term, ...]
    optional: Tuple[Term, ...]
    excluded: Tuple[Term, ...]


@dataclass(frozen=True)
class SpaceField:
    """One position of a space-delimited pattern: a name, optionally with a condition, or `...`.

    The condition reuses the JSON comparison nodes with a one-step selector naming this field, so
    `status=4* || status=5*` is an `Or` of two `StringMatch`es on `$.status`: one comparison semantics, not two.
    """

    name: str
    condition: Optional[Expr] = None
    is_ellipsis: bool = False


@dataclass(frozen=True)
class SpaceDelimitedPattern:
    """`[ip, user, ..., status=4*]`: fields are read by position from the space-separated event text."""

    fields: Tuple[SpaceField, ...]


@dataclass(frozen=True)
class MatchAll:
    """The empty pattern: AWS counts every log event."""


Pattern = Union[JsonPattern, TermPattern, SpaceDelimitedPattern, MatchAll]
