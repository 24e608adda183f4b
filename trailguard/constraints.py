"""Does an input's constraint admit nothing but SNS topic ARNs? Decided on the constraint's meaning, never its text.

An alarm action that comes from an input with no value (a CloudFormation parameter without a Default, a Terraform
variable without one) counts as an SNS action only when trailguard proves that every value the input's constraint
admits starts with `arn:<partition>:sns:` (docs/rules.md, "Unknown values"). Finding `:sns:` in the text is no proof:
`^(?!arn:aws:sns:).*` contains it and forbids every SNS ARN.

CloudFormation's AllowedPattern "must match the entire parameter value" (each value of a CommaDelimitedList) and is
Java regex syntax (AWS CloudFormation User Guide, "Parameters" and "Using regular expressions in CloudFormation
templates"); Terraform's `regex()` searches (RE2 syntax). Both are read with Python's regex parser, whose syntax
covers what constraints use; what it cannot read proves nothing.

How a regular expression is decided: the prefix every admitted value must have is a small automaton (`_step`:
`arn:`, a partition without `:`, `:sns:`). The regex is parsed with Python's own regex parser and walked from the
left, tracking the set of automaton states that the text read so far can be in. A literal moves each state by one
character; a character class by every character it may hold (a class such as `\\w` or `[^x]` is taken to hold every
"other" character); an alternation is the union of its branches; a repetition is iterated to a fixed point.
Look-arounds, end anchors and back-references only remove strings from the language, so they are skipped (the walk
then describes a superset of what the input admits, which keeps a "yes" sound). The regex proves SNS when every state
the whole regex can end in has read the full prefix, or has read nothing at all: the empty value is let through
because an empty alarm action never deploys (CloudWatch rejects it, so the stack or apply fails rather than leaving
a silent gap), and "leave empty to create a topic" parameters (`^$|^arn:aws:sns:...`) are common; this holds only
where the regex must match the whole value (in a search, an empty match says nothing). Anything the walk cannot
read is "not proven", never an error.

Terraform's `validation` conditions are expressions, not regexes: a small reader accepts the conjunctions people
write (`can(regex(R, var.x))`, `startswith(var.x, "arn:aws:sns:")`, `length(regexall(R, var.x)) > 0`,
`contains([...], var.x)`, `alltrue([for a in var.x : ...])` for lists) and proves SNS when one conjunct does; an
`||`, a negation or anything else it does not know proves nothing.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from typing import Callable, FrozenSet, List, Optional, Sequence, Tuple

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.9, 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

from trailguard.arns import is_sns_topic_arn

# --- the prefix automaton: "arn:" partition ":sns:" -------------------------------------------------------------
# States 0-3 read "arn:", 4 has read at least nothing of the partition, 5 at least one partition character, 6-9 read
# ":sns" after it, ACCEPTED has read the whole prefix (and stays there), DEAD can never become an SNS ARN.
_ARN = "arn:"
_SNS = ":sns:"
PARTITION, IN_PARTITION = 4, 5
ACCEPTED, DEAD = 10, 11
_INTERESTING = frozenset("arn:s")  # characters the automaton tells apart
_OTHER = "x"  # stands for every other character: they all act alike
_EVERY = frozenset(_INTERESTING | {_OTHER})


def _step(state: int, char: str) -> int:
    if state in (ACCEPTED, DEAD):
        return state
    if state < PARTITION:
        return state + 1 if char == _ARN[state] else DEAD
    if state == PARTITION:
        return DEAD if char == ":" else IN_PARTITION
    if state == IN_PARTITION:
        return 6 if char == ":" else IN_PARTITION
    # states 6..9 have read ":", ":s", ":sn", ":sns" of ":sns:"
    expected = _SNS[state - 5]
    if char == expected:
        return ACCEPTED if state == 9 else state + 1
    return DEAD  # the service field is not "sns" (a partition cannot hold ":")


States = FrozenSet[int]
ALL_STATES: States = frozenset(range(DEAD + 1))


class _Unreadable(Exception):
    """A construct the walk does not know; the regex proves nothing."""


def _op(item: Tuple[object, object]) -> str:
    return str(item[0])


def _class_chars(items: Sequence[Tuple[object, object]]) -> FrozenSet[str]:
    """Which of the automaton's characters (and "other") a character class may hold; never fewer than it holds."""
    negate = any(_op(item) == "NEGATE" for item in items)
    held = set()
    for item in items:
        kind, value = _op(item), item[1]
        if kind == "LITERAL":
            held.add(chr(value) if chr(value) in _INTERESTING else _OTHER)
        elif kind == "RANGE":
            low, high = value
            inside = {c for c in _INTERESTING if low <= ord(c) <= high}
            held.update(inside | ({_OTHER} if high - low + 1 > len(inside) else set()))
        elif kind == "CATEGORY":
            if negate:
                return _EVERY  # the complement of an over-approximated category would be too small
            held.update(_EVERY)
        elif kind != "NEGATE":
            raise _Unreadable(kind)
    if negate:
        # Listed characters of the automaton are exact; a class never lists every "other" character.
        return frozenset((set(_INTERESTING) - held) | {_OTHER})
    return frozenset(held)


def _move(states: States, chars: FrozenSet[str]) -> States:
    return frozenset(_step(state, char) for state in states for char in chars)


def _walk(items: Sequence[Tuple[object, object]], states: States) -> States:
    for item in items:
        states = _walk_item(item, states)
    return states


def _walk_item(item: Tuple[object, object], states: States) -> States:
    kind, value = _op(item), item[1]
    chars = _chars_read(kind, value)
    if chars is not None:
        return _move(states, chars)
    if kind in ("AT", "ASSERT", "ASSERT_NOT"):
        return _zero_width(kind, value, states)
    return _walk_group(kind, value, states)


def _chars_read(kind: str, value: object) -> Optional[FrozenSet[str]]:
    """The characters a single-character item reads; None for every other kind of item."""
    if kind == "LITERAL":
        char = chr(value)
        return frozenset([char if char in _INTERESTING else _OTHER])
    if kind == "NOT_LITERAL":
        return _EVERY - {chr(value)} | {_OTHER}
    if kind == "IN":
        return _class_chars(value)
    if kind == "ANY":
        return _EVERY
    return None


def _zero_width(kind: str, value: object, states: States) -> States:
    """Anchors, word boundaries and look-arounds read nothing and only remove strings; a start anchor keeps only the
    empty text read so far."""
    if kind == "AT" and str(value) in ("AT_BEGINNING", "AT_BEGINNING_STRING"):
        return states & {0}
    return states


def _walk_group(kind: str, value: object, states: States) -> States:
    """Groups, alternatives, repetitions and back references: the items inside them, walked."""
    if kind == "SUBPATTERN":
        if value[1] & re.IGNORECASE:  # (?i:...) also admits upper case, which no ARN prefix has
            raise _Unreadable("case-insensitive group")
        return _walk(value[-1], states)
    if kind == "ATOMIC_GROUP":
        return _walk(value, states)
    if kind == "BRANCH":
        result: States = frozenset()
        for branch in value[1]:
            result |= _walk(branch, states)
        return result
    if kind in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _high, body = value
        for _ in range(low):
            states = _walk(body, states)
        return _closure(states, lambda reached: _walk(body, reached))
    if kind in ("GROUPREF", "GROUPREF_EXISTS"):
        return _anything_after(states)
    raise _Unreadable(kind)


def _closure(states: States, step: Callable[[States], States]) -> States:
    """The states reached by repeating `step` any number of times (a fixed point: there are only twelve states)."""
    reached = states
    while True:
        grown = reached | step(reached)
        if grown == reached:
            return reached
        reached = grown


def _anything_after(states: States) -> States:
    return _closure(states, lambda reached: _move(reached, _EVERY))


def regex_admits_only_sns(regex: str, *, whole_value: bool) -> bool:
    """Whether every non-empty string the regex admits starts with an SNS topic ARN's `arn:<partition>:sns:`.

    `whole_value`: the regex must match the whole value (CloudFormation's AllowedPattern); otherwise it is searched
    anywhere in it (Terraform's `regex`), so only a `^`/`\\A` anchor pins the start.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "possible nested set" and other hints about the user's regex
            parsed = sre_parse.parse(regex)
        if parsed.state.flags & re.IGNORECASE:
            return False
        start = frozenset([0]) if whole_value else _anything_after(frozenset([0]))
        return _walk(list(parsed), start) <= ({ACCEPTED, 0} if whole_value else {ACCEPTED})
    except (_Unreadable, sre_constants.error, RecursionError, OverflowError, ValueError, TypeError):
        return False


def allowed_pattern_requires_sns(allowed_pattern: object) -> bool:
    """A CloudFormation parameter's AllowedPattern (matched against the whole value) admits only SNS topic ARNs."""
    return isinstance(allowed_pattern, str) and bool(allowed_pattern) and \
        regex_admits_only_sns(allowed_pattern, whole_value=True)


# --- Terraform validation conditions ------------------------------------------------------------------------------

_TOKEN = re.compile(r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<number>\d+)|(?P<name>[A-Za-z_][\w.\-]*(?:\[\d+\])?)'
                    r'|(?P<op>&&|\|\||==|!=|>=|<=|[!()\[\],:<>?]))')


def _tokens(text: str) -> List[str]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise _Unreadable(text[position:position + 20])
        tokens.append(match.group().strip())
        position = match.end()
    return tokens


def _string(token: str) -> Optional[str]:
    if len(token) >= 2 and token[0] == token[-1] == '"':
        # HCL string escapes (\\, \", \n ...); `${`/`%{` templates are not literals.
        body = token[1:-1]
        if "${" in body or "%{" in body:
            return None
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), body)
    return None


class _Reader:
    """Recursive descent over the few condition shapes that can prove an input holds SNS topic ARNs."""

    def __init__(self, tokens: List[str], subject: str) -> None:
        self.tokens, self.position, self.subject = tokens, 0, subject

    def peek(self, offset: int = 0) -> str:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else ""

    def take(self, expected: Optional[str] = None) -> str:
        token = self.peek()
        if not token or (expected is not None and token != expected):
            raise _Unreadable(f"expected {expected!r}, found {token!r}")
        self.position += 1
        return token

    def conjunction(self) -> bool:
        """`a && b && c` up to the closing bracket: proven when one conjunct proves it. A conjunct the reader does not
        know only narrows the values further, so it is passed over; a top-level `||` or `?:` proves nothing."""
        end = self._closing()
        conjuncts, start, depth = [], self.position, 0
        for index in range(self.position, end):
            token = self.tokens[index]
            depth += (token in ("(", "[")) - (token in (")", "]"))
            if depth == 0 and token in ("||", "?"):
                raise _Unreadable(token)
            if depth == 0 and token == "&&":
                conjuncts.append((start, index))
                start = index + 1
        conjuncts.append((start, end))
        proven = False
        for first, last in conjuncts:
            self.position = first
            with contextlib.suppress(_Unreadable):
                proven = (self.conjunct() and self.position == last) or proven
        self.position = end
        return proven

    def _closing(self) -> int:
        """The index of the bracket that closes the current level (or the end of the tokens)."""
        depth = 0
        for index in range(self.position, len(self.tokens)):
            token = self.tokens[index]
            if token in ("(", "["):
                depth += 1
            elif token in (")", "]"):
                if depth == 0:
                    return index
                depth -= 1
        return len(self.tokens)

    def conjunct(self) -> bool:
        if self.peek() == "(":
            self.take("(")
            proven = self.conjunction()
            self.take(")")
            return proven
        name = self.take()
        readers = {"can": self._can, "startswith": self._startswith, "length": self._length,
                   "contains": self._contains, "alltrue": self._alltrue}
        if name not in readers:
            raise _Unreadable(name)
        return readers[name]()

    def _is_subject(self) -> bool:
        return self.take() == self.subject

    def _can(self) -> bool:
        return self._wrapped_search("regex")

    def _wrapped_search(self, function: str) -> bool:
        """`(F(R, subject))` after `can` or `length`: whether the search of R in the subject proves SNS."""
        self.take("(")
        if self.take() != function:
            raise _Unreadable(f"something other than {function}() inside")
        self.take("(")
        pattern = _string(self.take())
        self.take(",")
        subject = self._is_subject()
        self.take(")")
        self.take(")")
        return pattern is not None and subject and regex_admits_only_sns(pattern, whole_value=False)

    def _startswith(self) -> bool:
        self.take("(")
        subject = self._is_subject()
        self.take(",")
        prefix = _string(self.take())
        self.take(")")
        return subject and prefix is not None and regex_admits_only_sns(re.escape(prefix) + ".*", whole_value=True)

    def _length(self) -> bool:
        proven = self._wrapped_search("regexall")
        operator, number = self.take(), self.take()
        at_least_one = (operator == ">" and number == "0") or (operator in (">=", "==") and number == "1") or (
            operator == "!=" and number == "0")
        return proven and at_least_one

    def _contains(self) -> bool:
        self.take("(")
        self.take("[")
        values: List[Optional[str]] = []
        while self.peek() != "]":
            values.append(_string(self.take()))
            if self.peek() == ",":
                self.take(",")
        self.take("]")
        self.take(",")
        subject = self._is_subject()
        self.take(")")
        return subject and bool(values) and all(v is not None and is_sns_topic_arn(v) for v in values)

    def _alltrue(self) -> bool:
        """`alltrue([for a in var.x : COND(a)])`: every element of a list input is proven by COND."""
        self.take("(")
        self.take("[")
        self.take("for")
        element = self.take()
        self.take("in")
        subject = self._is_subject()
        self.take(":")
        inner = _Reader(self.tokens, element)
        inner.position = self.position
        proven = inner.conjunction()
        self.position = inner.position
        self.take("]")
        self.take(")")
        return subject and proven


def validation_requires_sns(conditions: Sequence[str], variable: str) -> bool:
    """Whether a Terraform variable's `validation` conditions (all must hold) admit only SNS topic ARNs."""
    return any(_condition_proves(condition, f"var.{variable}") for condition in conditions)


def _condition_proves(condition: str, subject: str) -> bool:
    try:
        reader = _Reader(_tokens(condition), subject)
        proven = reader.conjunction()
        return proven and reader.position == len(reader.tokens)
    except (_Unreadable, RecursionError):
        return False

