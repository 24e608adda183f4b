"""AWS's restricted regular-expression dialect for `%...%` in filter patterns, compiled to an NFA.

The dialect (AWS, "Supported regular expressions (regex) syntax"): characters, `.`, the classes `\\d \\D \\w \\W \\s
\\S`, bracket classes with ranges and `^` negation, the quantifiers `* + ? {m} {m,} {m,n}`, alternation `|`, the
anchors `^` and `$`, and no parentheses. A regex is searched for anywhere in the value unless anchored.
"""

from __future__ import annotations

import string
from typing import List, Optional, Tuple

from trailguard.pattern.automaton import ALL, Nfa, concat, literal_symbol, mask_of
from trailguard.pattern.errors import PatternError

MAX_REPEAT = 1000

_DIGITS = mask_of(string.digits)
_WORD = mask_of(string.ascii_letters + string.digits + "_")
_SPACE = mask_of(" \t\n\r\f\v")
_CLASS_ESCAPES = {"d": _DIGITS, "D": ALL & ~_DIGITS, "w": _WORD, "W": ALL & ~_WORD, "s": _SPACE, "S": ALL & ~_SPACE}
_CONTROL_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v"}

Piece = Tuple[int, Optional[int], int]

# AWS: letters, digits, the symbols `: _ # = @ / ; , -`, the operators `^ $ ? [ ] { } | \ * + .`; and the space,
# which the list omits but AWS's own examples use (`%^starting|^initializing|^shutting down%`).
_ALLOWED = frozenset(string.ascii_letters + string.digits + ":_#=@/;,-" + "^$?[]{}|\\*+." + " " + "()")


def compile_regex(body: str) -> Nfa:
    """Compile the body of a `%...%` value into an NFA that accepts the strings in which the regex is found."""
    if not body:
        raise PatternError("a regular expression cannot be empty")
    for char in body:
        if char not in _ALLOWED:
            raise PatternError(f"AWS does not accept {char!r} in a regular expression (write it as \\x{ord(char):02X})"
                               if ord(char) < 128 else f"AWS does not accept the multi-byte character {char!r}")
    if "(" in body or ")" in body:
        raise PatternError("AWS does not allow parentheses in a filter-pattern regular expression")
    nfa = Nfa()
    start = nfa.add_state()
    accept = nfa.add_state()
    nfa.accept = accept
    for alternative in _split_alternatives(body):
        anchored_start, pieces, anchored_end = _parse_sequence(alternative)
        if not anchored_start:
            pieces.insert(0, (ALL, None, 0))
        if not anchored_end:
            pieces.append((ALL, None, 0))
        branch = nfa.add_state()
        nfa.empty[start].append(branch)
        nfa.empty[concat(nfa, pieces, branch)].append(accept)
    return nfa


def _split_alternatives(body: str) -> List[str]:
    parts, current, index, in_class = [], "", 0, False
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            current += body[index:index + 2]
            index += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        if char == "|" and not in_class:
            parts.append(current)
            current = ""
        else:
            current += char
        index += 1
    parts.append(current)
    if any(part in ("", "^", "$", "^$") for part in parts) and len(parts) > 1:
        raise PatternError("an alternative of the regular expression is empty")
    return parts


def _parse_sequence(text: str) -> Tuple[bool, List[Piece], bool]:
    anchored_start = text.startswith("^")
    index = 1 if anchored_start else 0
    anchored_end = False
    pieces: List[Piece] = []
    while index < len(text):
        char = text[index]
        if char == "$" and index == len(text) - 1:
            anchored_end = True
            break
        if char in "*+?{":
            if char == "{" and not pieces:
                mask, index = mask_of("{"), index + 1
                pieces.append((mask, 1, 1))
                continue
            if not pieces:
                raise PatternError(f"'{char}' has nothing to repeat")
            least, most, index = _quantifier(text, index)
            mask = pieces.pop()[0]
            pieces.append((mask, most, least))
            continue
        mask, index = _atom(text, index)
        pieces.append((mask, 1, 1))
    return anchored_start, pieces, anchored_end


def _quantifier(text: str, index: int) -> Tuple[int, Optional[int], int]:
    char = text[index]
    if char == "*":
        return 0, None, index + 1
    if char == "+":
        return 1, None, index + 1
    if char == "?":
        return 0, 1, index + 1
    end = text.find("}", index)
    if end == -1:
        raise PatternError("'{' opens a repetition that is never closed")
    inside = text[index + 1:end]
    low, comma, high = inside.partition(",")
    if not low.isdigit() or (high and not high.isdigit()):
        raise PatternError(f"'{{{inside}}}' is not a repetition count")
    least = int(low)
    most = None if comma and not high else int(high) if high else least
    if (most is not None and most < least) or max(least, most or 0) > MAX_REPEAT:
        raise PatternError(f"'{{{inside}}}' is not a usable repetition count")
    return least, most, end + 1


def _atom(text: str, index: int) -> Tuple[int, int]:
    char = text[index]
    if char == ".":
        return ALL & ~mask_of("\n"), index + 1
    if char == "\\":
        return _escape(text, index)
    if char == "[":
        return _bracket(text, index)
    if char in "^$":
        raise PatternError(f"'{char}' may only anchor the start or end of the regular expression")
    return 1 << literal_symbol(char), index + 1


def _escape(text: str, index: int) -> Tuple[int, int]:
    if index + 1 >= len(text):
        raise PatternError("the regular expression ends with a lone backslash")
    char = text[index + 1]
    if char in _CLASS_ESCAPES:
        return _CLASS_ESCAPES[char], index + 2
    if char in _CONTROL_ESCAPES:
        return mask_of(_CONTROL_ESCAPES[char]), index + 2
    if char == "x":
        digits = text[index + 2:index + 4]
        if len(digits) != 2 or any(d not in string.hexdigits for d in digits):
            raise PatternError("'\\x' must be followed by two hexadecimal digits")
        return 1 << literal_symbol(chr(int(digits, 16))), index + 4
    if char.isalnum():
        raise PatternError(f"'\\{char}' is not an escape AWS supports")
    return 1 << literal_symbol(char), index + 2


def _bracket(text: str, index: int) -> Tuple[int, int]:
    index += 1
    negate = index < len(text) and text[index] == "^"
    if negate:
        index += 1
    mask = 0
    first = True
    while True:
        if index >= len(text):
            raise PatternError("'[' opens a character class that is never closed")
        char = text[index]
        if char == "]" and not first:
            index += 1
            break
        first = False
        if char == "\\":
            item, index = _escape(text, index)
            mask |= item
            continue
        if index + 2 < len(text) and text[index + 1] == "-" and text[index + 2] != "]":
            low, high = literal_symbol(char), literal_symbol(text[index + 2])
            if high < low:
                raise PatternError(f"'{char}-{text[index + 2]}' is a reversed range")
            for code in range(low, high + 1):
                mask |= 1 << code
            index += 3
            continue
        mask |= 1 << literal_symbol(char)
        index += 1
    return (ALL & ~mask) if negate else mask, index
