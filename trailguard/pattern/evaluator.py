"""Does a filter pattern match a log event? The offline equivalent of `aws logs test-metric-filter`.

The semantics are AWS's, including the ones that surprise people and that the judge relies on: `=` and `!=` on an
absent field, or on one that holds an object or array, are both false (only `NOT EXISTS` sees an absent field);
string values are anchored case-sensitive globs; `%regex%` is searched anywhere; numbers compare only with numbers.
"""

from __future__ import annotations

import json
import operator
from typing import Any, Callable, Dict, List, Optional, Union

from trailguard.pattern import ast
from trailguard.pattern.compiled import glob_matches, regex_searches
from trailguard.pattern.parser import parse

Event = Union[Dict[str, Any], str]

_ABSENT: List[Any] = []
_NUMBER_OPS: Dict[str, Callable[[float, float], bool]] = {
    "=": operator.eq, "!=": operator.ne, "<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge,
}


def matches(pattern: Union[str, ast.Pattern], event: Event) -> bool:
    """Whether AWS would count `event` (a parsed JSON event, or the raw text of a log event) under `pattern`.

    Raises `PatternError` when the pattern is not valid.
    """
    parsed = parse(pattern) if isinstance(pattern, str) else pattern
    if isinstance(parsed, ast.MatchAll):
        return True
    if isinstance(parsed, ast.JsonPattern):
        document = _as_json(event)
        return document is not None and evaluate(parsed.expr, document)
    text = event if isinstance(event, str) else json.dumps(event, separators=(",", ":"))
    if isinstance(parsed, ast.TermPattern):
        return _terms_match(parsed, text)
    return _space_delimited_match(parsed, text)


def _as_json(event: Event) -> Optional[Dict[str, Any]]:
    if isinstance(event, dict):
        return event
    try:
        document = json.loads(event)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def select(document: Any, selector: ast.Selector) -> List[Any]:
    """The values a selector reaches: none when the field is absent, several through `[*]`."""
    values = [document]
    for step in selector.steps:
        reached: List[Any] = []
        for value in values:
            if isinstance(step, str):
                if isinstance(value, dict) and step in value:
                    reached.append(value[step])
            elif isinstance(step, int):
                if isinstance(value, list) and step < len(value):
                    reached.append(value[step])
            elif isinstance(value, list):
                reached.extend(value)
            elif isinstance(value, dict):
                reached.extend(value.values())
        if not reached:
            return _ABSENT
        values = reached
    return values


def compare(comparison: ast.Comparison, value: Any, numbers_from_text: bool = False) -> bool:
    """One comparison against one present value.

    `numbers_from_text` reads a numeric-looking string as a number, as space-delimited fields (always text) need.
    """
    if isinstance(comparison, ast.StringMatch):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and "*" in comparison.glob:
            value = json.dumps(value)  # AWS: "Use the asterisk as a wild card to match numbers" (`$.latency = *`)
        return isinstance(value, str) and glob_matches(comparison.glob, value) != comparison.negated
    if isinstance(comparison, ast.RegexMatch):
        return isinstance(value, str) and regex_searches(comparison.regex, value) != comparison.negated
    if isinstance(comparison, ast.NumberCompare):
        number = _as_number(value, numbers_from_text)
        return number is not None and _NUMBER_OPS[comparison.op](number, comparison.number)
    if isinstance(comparison, ast.IsValue):
        return value is comparison.value
    raise TypeError(f"not a value comparison: {comparison!r}")


def _as_number(value: Any, numbers_from_text: bool) -> Optional[float]:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if numbers_from_text and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def evaluate(expr: ast.Expr, document: Any, numbers_from_text: bool = False) -> bool:
    """Evaluate a JSON-pattern expression on a parsed event (recursion is bounded by the parser's nesting cap)."""
    if isinstance(expr, ast.And):
        return all(evaluate(operand, document, numbers_from_text) for operand in expr.operands)
    if isinstance(expr, ast.Or):
        return any(evaluate(operand, document, numbers_from_text) for operand in expr.operands)
    values = select(document, expr.selector)
    if isinstance(expr, ast.NotExists):
        return not values
    return any(compare(expr, value, numbers_from_text) for value in values)


def _term_found(term: ast.Term, text: str) -> bool:
    return regex_searches(term.text, text) if term.is_regex else term.text in text


def _terms_match(pattern: ast.TermPattern, text: str) -> bool:
    """AWS: plain terms must all appear, `-` terms must not; `?` terms (any one suffices) count only when they are
    the whole pattern: "If you combine '?' with other filter patterns, all question mark terms will be ignored"."""
    if pattern.required or pattern.excluded:
        return (all(_term_found(term, text) for term in pattern.required)
                and not any(_term_found(term, text) for term in pattern.excluded))
    return any(_term_found(term, text) for term in pattern.optional)


def split_fields(text: str) -> List[str]:
    """Split a log line into space-delimited fields; "quoted" and [bracketed] runs are one field each."""
    fields: List[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
            continue
        closer = {'"': '"', "[": "]"}.get(char)
        if closer:
            end = text.find(closer, index + 1)
            end = len(text) if end == -1 else end
            fields.append(text[index + 1:end])
            index = end + 1
            continue
        end = index
        while end < len(text) and not text[end].isspace():
            end += 1
        fields.append(text[index:end])
        index = end
    return fields


def _field_matches(field: ast.SpaceField, value: str) -> bool:
    return field.condition is None or evaluate(field.condition, {field.name: value}, numbers_from_text=True)


def _space_delimited_match(pattern: ast.SpaceDelimitedPattern, text: str) -> bool:
    """Positional match with `...` standing for any number of fields, by dynamic programming (no backtracking).

    The last field takes the rest of the line, which is how AWS's current page reads (`[w1=ERROR, w2]` matches a
    7-word line) while `[..., status_code, bytes]` still reads the last two fields; an older revision implied the
    counts must be equal.
    """
    values = split_fields(text)
    if not pattern.fields:
        return not values
    *leading, last = pattern.fields
    # reachable[j]: the fields so far can consume exactly the first j values.
    reachable = [True] + [False] * len(values)
    for field in leading:
        step = [False] * (len(values) + 1)
        if field.is_ellipsis:
            seen = False
            for j in range(len(values) + 1):
                seen = seen or reachable[j]
                step[j] = seen
        else:
            for j in range(len(values)):
                if reachable[j] and _field_matches(field, values[j]):
                    step[j + 1] = True
        reachable = step
    if last.is_ellipsis:
        return any(reachable)
    return any(reachable[j] and _field_matches(last, " ".join(values[j:])) for j in range(len(values)))
