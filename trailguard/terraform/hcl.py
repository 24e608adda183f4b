"""Read Terraform files (`.tf` and `.tf.json`) into blocks whose attributes are unevaluated expressions.

Why not Checkov's rendered values: Checkov evaluates strings while rendering, and a CloudWatch filter pattern such as
`{ ($.errorCode = "x") || ... }` comes out mangled. This reader keeps every expression as written, using the lark
parser of the `hcl2` module Checkov already ships (never python-hcl2, which would break Checkov), so the pattern
Terraform would deploy can be evaluated faithfully.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

from lark import Token, Tree

from trailguard.terraform.hcl_scan import (
    AttributeText,
    BlockText,
    HclError,
    read_body,
    split_blocks,
    written_expression,
)

__all__ = ["Block", "Expression", "HclError", "JsonExpression", "parse_expression", "read_file", "read_hcl",
           "read_json"]

# Nested blocks (not attributes) of the resource types trailguard reads; in `.tf.json` an object is a block only
# when its name is one of these.
NESTED_BLOCKS = {"event_selector", "advanced_event_selector", "field_selector", "data_resource", "insight_selector",
                 "metric_transformation", "metric_query", "metric", "validation", "dynamic", "content"}


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
                 source: Optional[str] = None, written: Optional[Dict[str, str]] = None) -> None:
        self.type, self.labels = type, labels
        self.file, self.line, self.end_line = file, line, end_line
        self._attributes = attributes if attributes is not None else ({} if source is None else None)
        self._blocks = blocks if blocks is not None else ([] if source is None else None)
        self._written = written if written is not None else ({} if source is None else None)
        self._source = source

    def _parse(self) -> None:
        parsed = _parse_block(self._source or "", self.file, self.line)
        self._attributes, self._blocks, self._written = parsed._attributes, parsed._blocks, parsed._written
        self._source = None

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

    def written(self, name: str) -> Optional[str]:
        """An attribute's expression exactly as its file writes it (a validation condition, which
        `trailguard.constraints` reads by meaning); None when not known (`.tf.json`)."""
        if self._written is None:
            self._parse()
        return self._written.get(name)


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
    blocks = []
    line, counted = 1, 0
    for kind, labels, start, end in split_blocks(text, file):
        line += text.count("\n", counted, start)
        end_line = line + text.count("\n", start, end)
        blocks.append(Block(kind, labels, file=file, line=line, end_line=end_line, source=text[start:end]))
        counted = start
    return blocks


def _parse_block(source: str, file: str, line: int) -> Block:
    """A top-level block's text, read attribute by attribute where the scanner can, else by lark as a whole.
    Blocks nested deeper than Python's recursion goes (both readings walk them recursively) are the file's error."""
    try:
        return _scanned_block(source, file, line) or _lark_block(source, file, line)
    except RecursionError:
        raise HclError(f"{file}:{line}: not valid HCL for trailguard (blocks nest too deeply to be read)") from None


def _scanned_block(source: str, file: str, line: int) -> Optional[Block]:
    """The block split into items by `hcl_scan.read_body`, each expression parsed on its own (and once per
    distinct text); None where the scanner is unsure or lark rejects an expression (lark then reads it whole)."""
    opening = source.find("{")
    body = read_body(source, opening + 1) if opening >= 0 else None
    if body is None or source[body[1]:].strip():
        return None
    try:
        # The top-level block's own type and labels are the file scan's (`Block._parse` keeps them).
        return _block_from_text(source, body[0], file, line, ("", (), 0, len(source)))
    except RecursionError:
        raise
    except Exception:  # noqa: BLE001 - an expression lark rejects: lark reads the whole block and says why
        return None


def _lark_block(source: str, file: str, line: int) -> Block:
    padded = "\n" * (line - 1) + source + "\n"
    try:
        tree = _lark_parser().parse(padded)
    except Exception as error:  # noqa: BLE001 - any parser failure is the file's problem, reported as such
        raise HclError(f"{file}:{line}: not valid HCL ({_first_line(error)})") from None
    body = tree.children[0]
    return next(_block(child, file, padded) for child in body.children if isinstance(child, Tree) and
                child.data == "block")


def _block_from_text(source: str, items: List[Union[AttributeText, BlockText]], file: str, line: int,
                     header: Tuple[str, Tuple[str, ...], int, int]) -> Block:
    """The block the scanner split into items (`header`: its type, labels, start and end in `source`); each
    expression parsed once per distinct text."""
    kind, labels, start, end = header
    attributes: Dict[str, Expression] = {}
    written: Dict[str, str] = {}
    blocks: List[Block] = []
    for item in items:
        if isinstance(item, AttributeText):
            attributes[item.name] = parse_expression(item.expression)
            written[item.name] = item.expression
        else:
            blocks.append(_block_from_text(source, item.items, file, line,
                                           (item.type, item.labels, item.start, item.end)))
    first = line + source.count("\n", 0, start)
    return Block(kind, labels, attributes, blocks, file, first, first + source.count("\n", start, end), None,
                 written)


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


def _identifier(tree: Tree) -> str:
    return str(tree.children[0])


def _block(tree: Tree, file: str, text: str) -> Block:
    children = tree.children
    name = _identifier(children[0])
    labels = tuple(json.loads(str(c)) if isinstance(c, Token) else _identifier(c) for c in children[1:-1])
    attributes: Dict[str, Expression] = {}
    written: Dict[str, str] = {}
    blocks: List[Block] = []
    for child in children[-1].children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name_of, expression = _identifier(child.children[0]), child.children[1]
            attributes[name_of] = expression
            meta = getattr(expression, "meta", None) if isinstance(expression, Tree) else None
            if meta is not None and not meta.empty:
                written[name_of] = written_expression(text, meta.start_pos, meta.end_pos)
            elif isinstance(expression, Token):
                written[name_of] = str(expression)
        elif child.data == "block":
            blocks.append(_block(child, file, text))
    return Block(name, labels, attributes, blocks, file, tree.meta.line, tree.meta.end_line, None, written)


@lru_cache(maxsize=4096)
def parse_expression(text: str) -> Expression:
    """The expression tree of one HCL expression, e.g. the inside of a `${...}` interpolation.

    Cached: the same few interpolations (`${each.key}`, `${aws_x.y.arn}`) and attribute values recur in every
    account of a monorepo, and the evaluator only reads trees, so one tree serves every occurrence. Text that is
    more than one expression (`1 y = 2` would parse as two attributes) is an error, not its first expression.
    """
    body = _lark_parser().parse(f"__trailguard = {text}\n").children[0]
    if len(body.children) != 1:
        raise HclError(f"not one expression: {text[:80]!r}")
    return body.children[0].children[1]


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
