"""Read Terraform files (`.tf` and `.tf.json`) into blocks whose attributes are unevaluated expressions.

Why not Checkov's rendered values: Checkov evaluates strings while rendering, and a CloudWatch filter pattern such as
`{ ($.errorCode = "x") || ... }` comes out mangled. This reader keeps every expression as written, using the lark
parser of the `hcl2` module Checkov already ships (never python-hcl2, which would break Checkov), so the pattern
Terraform would deploy can be evaluated faithfully.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

from lark import Token, Tree

# Nested blocks (not attributes) of the resource types trailguard reads; in `.tf.json` an object is a block only
# when its name is one of these.
NESTED_BLOCKS = {"event_selector", "advanced_event_selector", "field_selector", "data_resource", "insight_selector",
                 "metric_transformation", "metric_query", "metric", "validation", "dynamic", "content"}


class HclError(Exception):
    """A file Terraform could not read either; the message names the file and, when known, the line."""


@dataclass(frozen=True)
class JsonExpression:
    """An attribute value of a `.tf.json` file: JSON, whose strings are Terraform templates."""

    value: Any


Expression = Union[Tree, Token, JsonExpression]


class Block:
    """A block (`resource "type" "name" { ... }`) with its attributes unevaluated and its nested blocks in order.

    Top-level blocks of `.tf` files are parsed on first access: trailguard reads a handful of resource types, and
    a monorepo is mostly other resources, which are never parsed unless an expression refers to them (the loader
    expands only the modelled types; `tests/terraform/test_lazy_parsing.py` counts the parses).
    """

    def __init__(self, type: str, labels: Tuple[str, ...], attributes: Optional[Dict[str, Expression]] = None,
                 blocks: Optional[List[Block]] = None, file: str = "", line: int = 0, end_line: int = 0,
                 source: Optional[str] = None) -> None:
        self.type, self.labels = type, labels
        self.file, self.line, self.end_line = file, line, end_line
        self._attributes = attributes if attributes is not None else ({} if source is None else None)
        self._blocks = blocks if blocks is not None else ([] if source is None else None)
        self._source = source

    def _parse(self) -> None:
        parsed = _parse_block(self._source or "", self.file, self.line)
        self._attributes, self._blocks, self._source = parsed._attributes, parsed._blocks, None

    @property
    def attributes(self) -> Dict[str, Expression]:
        if self._attributes is None:
            self._parse()
        return self._attributes

    @property
    def blocks(self) -> List[Block]:
        if self._blocks is None:
            self._parse()
        return self._blocks

    def nested(self, name: str) -> List[Block]:
        return [block for block in self.blocks if block.type == name]


def _lark_parser() -> Any:
    from hcl2.parser import hcl2

    return hcl2.lark_parser


def read_file(path: Path) -> List[Block]:
    """The top-level blocks of one Terraform file; `HclError` when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise HclError(f"{path}: cannot be read ({error})") from None
    if path.name.endswith(".tf.json") or path.suffix == ".json":
        return read_json(text, str(path))
    return read_hcl(text, str(path))


def read_hcl(text: str, file: str = "") -> List[Block]:
    """The top-level blocks of HCL text, each parsed when first read; `HclError` for text that is not HCL."""
    newlines = [index for index, char in enumerate(text) if char == "\n"]
    blocks = []
    for kind, labels, start, end in split_blocks(text, file):
        line = bisect.bisect_right(newlines, start - 1) + 1
        end_line = bisect.bisect_right(newlines, end - 1) + 1
        blocks.append(Block(kind, labels, file=file, line=line, end_line=end_line, source=text[start:end]))
    return blocks


def _parse_block(source: str, file: str, line: int) -> Block:
    try:
        tree = _lark_parser().parse("\n" * (line - 1) + source + "\n")
    except Exception as error:  # noqa: BLE001 - any parser failure is the file's problem, reported as such
        raise HclError(f"{file}:{line}: not valid HCL ({_first_line(error)})") from None
    body = tree.children[0]
    return next(_block(child, file) for child in body.children if isinstance(child, Tree) and child.data == "block")


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


def _identifier(tree: Tree) -> str:
    return str(tree.children[0])


def _block(tree: Tree, file: str) -> Block:
    children = tree.children
    name = _identifier(children[0])
    labels = tuple(json.loads(str(c)) if isinstance(c, Token) else _identifier(c) for c in children[1:-1])
    attributes: Dict[str, Expression] = {}
    blocks: List[Block] = []
    for child in children[-1].children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            attributes[_identifier(child.children[0])] = child.children[1]
        elif child.data == "block":
            blocks.append(_block(child, file))
    return Block(name, labels, attributes, blocks, file, tree.meta.line, tree.meta.end_line)


@lru_cache(maxsize=4096)
def parse_expression(text: str) -> Expression:
    """The expression tree of one HCL expression, e.g. the inside of a `${...}` interpolation.

    Cached: the same few interpolations (`${each.key}`, `${aws_x.y.arn}`) recur in every account of a monorepo, and
    the evaluator only reads trees, so one tree serves every occurrence.
    """
    tree = _lark_parser().parse(f"__trailguard = {text}\n")
    return tree.children[0].children[0].children[1]


def read_json(text: str, file: str = "") -> List[Block]:
    """`.tf.json`: the same blocks, from JSON (Terraform's JSON configuration syntax)."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:  # JSON nested deeper than Python's parser goes is unreadable too
        raise HclError(f"{file}: not valid JSON ({error})") from None
    if not isinstance(document, dict):
        raise HclError(f"{file}: a .tf.json file must hold a JSON object")
    blocks: List[Block] = []
    for block_type, content in document.items():
        label_count = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1}.get(
            block_type, 0)
        for labels, body in _json_labelled(content, label_count):
            blocks.append(_json_block(block_type, labels, body, file))
    return blocks


def _json_labelled(content: Any, depth: int) -> List[Tuple[Tuple[str, ...], Dict[str, Any]]]:
    if depth == 0:
        items = content if isinstance(content, list) else [content]
        return [((), item) for item in items if isinstance(item, dict)]
    if not isinstance(content, dict):
        return []
    found = []
    for label, inner in content.items():
        found.extend(((label,) + labels, body) for labels, body in _json_labelled(inner, depth - 1))
    return found


def _json_block(block_type: str, labels: Tuple[str, ...], body: Dict[str, Any], file: str) -> Block:
    attributes: Dict[str, Expression] = {}
    blocks: List[Block] = []
    for key, value in body.items():
        if key in NESTED_BLOCKS and isinstance(value, (dict, list)):
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    blocks.append(_json_block(key, (), item, file))
        else:
            attributes[key] = JsonExpression(value)
    return Block(block_type, labels, attributes, blocks, file)


# --- the top-level scanner -----------------------------------------------------------------------------------------

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
    depth = 0
    while True:
        event = _BODY_EVENT.search(text, index)
        if event is None:
            raise HclError(f"{file}:{_line(text, index)}: not valid HCL (a block is never closed)")
        token, index = event.group(0), event.end()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return index
        elif token == '"':
            index = _string_end(text, index, file)
        elif token in ("#", "//"):
            newline = text.find("\n", index)
            index = len(text) if newline < 0 else newline
        elif token == "/*":
            close = text.find("*/", index)
            index = len(text) if close < 0 else close + 2
        else:
            marker = token.lstrip("<-").strip()
            closing = re.compile(rf"^[ \t]*{re.escape(marker)}[ \t]*\r?$", re.MULTILINE).search(text, index)
            if closing is None:
                raise HclError(f"{file}:{_line(text, index)}: not valid HCL (heredoc {marker} is never closed)")
            index = closing.end()


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
    depth = 1
    while True:
        event = _INTERPOLATION_EVENT.search(text, index)
        if event is None:
            raise HclError(f"{file}:{_line(text, index)}: not valid HCL (an interpolation is never closed)")
        token, index = event.group(0), event.end()
        if token == '"':
            index = _string_end(text, index, file)
        elif token == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return index
