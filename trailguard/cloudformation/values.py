"""What resolving an intrinsic function can produce, besides plain JSON values.

A template refers to things only known at deploy time: other resources (`Ref`, `Fn::GetAtt`), pseudo parameters
(`AWS::Region`), imports. Those stay symbolic so that links can still be followed (a log group ARN built from
`${AWS::Region}` still names its log group) and two spellings of the same expression still compare equal, while a
value that decides a verdict on its own (a filter pattern, a boolean) becomes `Unknown` and fails closed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, FrozenSet, Iterable, Optional, Union

from trailguard.model import Unknown, is_unknown

# The keys Checkov's CloudFormation parser adds to every mapping; they are not part of the template.
PARSER_KEYS = frozenset({"__file__", "__startline__", "__endline__"})

_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")


@dataclass(frozen=True)
class ResourceRef:
    """`Ref: X` or `Fn::GetAtt: [X, attribute]` on a resource of the template."""

    logical_id: str
    attribute: Optional[str] = None

    def placeholder(self) -> str:
        return "${" + self.logical_id + (f".{self.attribute}" if self.attribute else "") + "}"


class Text(str):
    """A string with deploy-time parts written as `${Name}` placeholders (resources, pseudo parameters).

    Equal expressions compare equal, which is right within one stack (`${AWS::StackName}` is the same everywhere).
    `symbols` names every placeholder, so a verdict that depends on the exact text can say what is unknown.
    """

    symbols: FrozenSet[str]

    def __new__(cls, value: str, symbols: Iterable[str]) -> Text:
        text = super().__new__(cls, value)
        text.symbols = frozenset(symbols)
        return text

    def references(self) -> FrozenSet[str]:
        """The logical ids of the resources this text refers to."""
        return frozenset(symbol.split(".", 1)[0] for symbol in self.symbols if "AWS::" not in symbol)


class _NoValue:
    """`Ref: AWS::NoValue`: the property is removed."""

    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()

Value = Union[None, str, int, float, bool, list, dict, ResourceRef, Unknown, _NoValue]


def text_of(value: Any) -> Union[str, Unknown]:
    """A value used inside a string (`Fn::Join`, `Fn::Sub`): resources become placeholders, lists are rejected."""
    if is_unknown(value):
        return value
    if isinstance(value, ResourceRef):
        return Text(value.placeholder(), [value.placeholder()[2:-1]])
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    return Unknown(f"the value {value!r}", "is not a string", "write a string here")


def concatenate(parts: Iterable[str]) -> str:
    """Join strings, keeping the result symbolic when any part is."""
    parts = list(parts)
    joined = "".join(parts)
    symbols = frozenset().union(*(part.symbols for part in parts if isinstance(part, Text)))
    return Text(joined, symbols) if symbols else joined


def symbols_in(text: Any) -> FrozenSet[str]:
    return text.symbols if isinstance(text, Text) else frozenset()


def placeholder_target(text: str) -> Optional[str]:
    """The symbol when the whole text is one placeholder (`${Topic}`), else None."""
    match = _PLACEHOLDER.fullmatch(text)
    return match.group(1) if match and isinstance(text, Text) else None
