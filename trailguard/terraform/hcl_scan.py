"""Terraform text at the level of characters: where blocks, strings, heredocs and attributes begin and end.

Lark parsing is most of what reading Terraform costs. This scanner finds a file's top-level blocks without it (so
blocks trailguard never reads are never parsed), and splits a block's body into its attributes and nested blocks, so
that each attribute's expression is parsed on its own: the same expressions recur in every account of a monorepo,
and `hcl.parse_expression` parses each distinct one once. Anything the scanner is not sure of it leaves to lark.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Iterator, List, Optional, Tuple, Union


class HclError(Exception):
    """A file Terraform could not read either; the message names the file and, when known, the line."""


_SPACE = re.compile(r"(?:\s+|#[^\n]*|//[^\n]*|/\*.*?\*/)+", re.DOTALL)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_LABEL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_BODY_EVENT = re.compile(r'["{}#]|//|/\*|<<-?[A-Za-z][A-Za-z0-9._-]*\r?\n')
_STRING_EVENT = re.compile(r'["\\\n]|[$%]\{')
_INTERPOLATION_EVENT = re.compile(r'["{}]')


def split_blocks(text: str, file: str = "") -> Iterator[Tuple[str, Tuple[str, ...], int, int]]:
    """(type, labels, start, end) of every top-level block, checking that strings and braces close.

    This is also the guard against unclosed quotes, which would send lark's lexer into catastrophic backtracking
    (it is what `hcl2.loads` checks before parsing, at the price of a full second parse).
    """
    index = 0
    while True:
        space = _SPACE.match(text, index)
        index = space.end() if space else index
        if index >= len(text):
            return
        start = index
        kind = _IDENTIFIER.match(text, index)
        if not kind:
            raise HclError(f"{file}:{_line(text, index)}: not valid HCL (unexpected {text[index]!r})")
        index, labels = kind.end(), []
        while True:
            space = _SPACE.match(text, index)
            index = space.end() if space else index
            label = _LABEL.match(text, index) or _IDENTIFIER.match(text, index)
            if not label:
                break
            labels.append(label.group(1) if label.re is _LABEL else label.group(0))
            index = label.end()
        if index >= len(text) or text[index] != "{":
            raise HclError(f"{file}:{_line(text, start)}: not valid HCL (a top-level {kind.group(0)!r} is not a "
                           "block)")
        end = _body_end(text, index, file)
        yield kind.group(0), tuple(json.loads(f'"{label}"') if "\\" in label else label for label in labels), \
            start, end
        index = end


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _body_end(text: str, index: int, file: str) -> int:
    """The index just after the `}` that closes the `{` at `index`."""
    return _braces_end(text, index, file, _BODY_EVENT, 0, "a block")


def _braces_end(text: str, index: int, file: str, events: re.Pattern, depth: int, what: str) -> int:
    """The index just after the `}` that brings the brace depth (`depth` at `index`) back to zero, skipping the
    strings, comments and heredocs `events` finds; `what` names the opened thing in the error."""
    while True:
        event = events.search(text, index)
        if event is None:
            raise HclError(f"{file}:{_line(text, index)}: not valid HCL ({what} is never closed)")
        token, index = event.group(0), event.end()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return index
        else:
            index = _skip(text, token, index, file)


def _skip(text: str, token: str, index: int, file: str) -> int:
    """The index after the string, comment or heredoc whose opening `token` ends just before `index`."""
    if token == '"':
        return _string_end(text, index, file)
    if token in ("#", "//"):
        return _line_end(text, index)
    if token == "/*":
        close = text.find("*/", index)
        return len(text) if close < 0 else close + 2
    marker = token.lstrip("<-").strip()
    closing = re.compile(rf"^[ \t]*{re.escape(marker)}[ \t]*\r?$", re.MULTILINE).search(text, index)
    if closing is None:
        raise HclError(f"{file}:{_line(text, index)}: not valid HCL (heredoc {marker} is never closed)")
    return closing.end()


def _string_end(text: str, index: int, file: str) -> int:
    """The index just after the quote that closes a string opened just before `index`."""
    while True:
        event = _STRING_EVENT.search(text, index)
        if event is None or event.group(0) == "\n":
            raise HclError(f"{file}:{_line(text, index)}: not valid HCL (a quoted string is never closed)")
        token, index = event.group(0), event.end()
        if token == '"':
            return index
        if token == "\\":
            index += 1
        else:
            index = _interpolation_end(text, index, file)


def _interpolation_end(text: str, index: int, file: str) -> int:
    """The index just after the `}` that closes an interpolation opened just before `index`."""
    return _braces_end(text, index, file, _INTERPOLATION_EVENT, 1, "an interpolation")


# --- a block's body, item by item ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class AttributeText:
    """`name = expression`, with the expression exactly as written (without a comment after it)."""

    name: str
    expression: str
    start: int


@dataclass(frozen=True)
class BlockText:
    """A nested block: its type, labels, where it starts and ends, and its body's items."""

    type: str
    labels: Tuple[str, ...]
    start: int
    end: int
    items: List[Union[AttributeText, BlockText]]


_ATTRIBUTE_START = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=(?![=>])")
_BLOCK_START = re.compile(r'([A-Za-z_][A-Za-z0-9_-]*)((?:[ \t]+(?:"(?:[^"\\\n]|\\.)*"|[A-Za-z_][A-Za-z0-9_-]*)'
                          r'|[ \t]*"(?:[^"\\\n]|\\.)*")*)[ \t]*\{')
_BLOCK_LABEL = re.compile(r'"((?:[^"\\\n]|\\.)*)"|([A-Za-z_][A-Za-z0-9_-]*)')
_EXPRESSION_EVENT = re.compile(r'["(\[{}\])\n#]|//|/\*|<<-?[A-Za-z][A-Za-z0-9._-]*\r?\n')
_AFTER_BLOCK = re.compile(r"(?:[ \t]+|/\*.*?\*/)*(?:\r?\n|#[^\n]*\n|//[^\n]*\n)", re.DOTALL)
_OPENING = {"(": ")", "[": "]", "{": "}"}
_TRAILING_COMMENTS = re.compile(r"(?:\s*/\*(?:[^*]|\*(?!/))*\*/)+\s*$")  # not part of the expression's text


def read_body(text: str, index: int) -> Optional[Tuple[List[Union[AttributeText, BlockText]], int]]:
    """The items of the body whose `{` is just before `index`, and the index after its `}`.

    None when any line of it is not plainly an attribute or a nested block (an expression continued on the next
    line after an operator, a one-line block followed by more, anything unusual): the caller then parses the whole
    block with lark, which decides. So this reader can only ever agree with lark, never overrule it; a test holds
    the two to the same result on every bundled Terraform file.
    """
    items: List[Union[AttributeText, BlockText]] = []
    while True:
        space = _SPACE.match(text, index)
        index = space.end() if space else index
        if index >= len(text):
            return None
        if text[index] == "}":
            return items, index + 1
        attribute = _ATTRIBUTE_START.match(text, index)
        if attribute:
            found = _expression(text, attribute.end())
            if found is None:
                return None
            expression, start, index = found
            items.append(AttributeText(attribute.group(1), expression, start))
            continue
        header = _BLOCK_START.match(text, index)
        if not header:
            return None
        body = read_body(text, header.end())
        if body is None:
            return None
        nested, end = body
        if not _AFTER_BLOCK.match(text, end):
            return None  # lark wants a new line after a nested block
        labels = tuple(json.loads(f'"{label.group(1)}"') if label.group(1) is not None else label.group(2)
                       for label in _BLOCK_LABEL.finditer(header.group(2)))
        items.append(BlockText(header.group(1), labels, index, end, nested))
        index = end


def _expression(text: str, index: int) -> Optional[Tuple[str, int, int]]:
    """(the expression as written, where it starts, where the scan goes on) for an attribute whose `=` ends at
    `index`: the expression runs to the first new line (or the body's `}`) outside brackets, strings and
    heredocs."""
    closers: List[str] = []
    position, end = index, None
    try:
        while end is None:
            event = _EXPRESSION_EVENT.search(text, position)
            if event is None:
                return None
            token, position = event.group(0), event.end()
            if token in _OPENING:
                closers.append(_OPENING[token])
            elif token in ")]}":
                if not closers and token == "}":
                    end = position = event.start()
                elif not closers or closers.pop() != token:
                    return None
            elif token == "\n" or (token in ("#", "//") and not closers):
                end = None if closers else event.start()
                position = position if token == "\n" else _line_end(text, position)
            else:
                position = _skip(text, token, position, "")
    except HclError:
        return None
    written = text[index:end]
    written = _TRAILING_COMMENTS.sub("", written) if "*/" in written else written
    stripped = written.strip()
    if not stripped:
        return None
    return stripped, index + len(written) - len(written.lstrip()), position


def written_expression(text: str, start: int, end: int) -> str:
    """The expression lark found between `start` and `end` as written: lark's positions take in a comment after
    it, which is not part of the expression (the scanner's reading leaves it out)."""
    found = _expression(text, start)
    if found is not None:
        written, begin, _ = found
        rest = text[begin + len(written):end]
        if begin + len(written) <= end and (not rest or _SPACE.fullmatch(rest)):
            return written
    return text[start:end].strip()


def _line_end(text: str, index: int) -> int:
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline
