"""Read Terraform files (`.tf` and `.tf.json`) into blocks whose attributes are unevaluated expressions.

Why not Checkov's rendered values: Checkov evaluates strings while rendering, and a CloudWatch filter pattern such as
`{ ($.errorCode = "x") || ... }` comes out mangled. This reader keeps every expression as written, using the lark
parser of the `hcl2` module Checkov already ships (never python-hcl2, which would break Checkov), so the pattern
Terraform would deploy can be evaluated faithfully.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Tuple, Union

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


@dataclass
class Block:
    """A block (`resource "type" "name" { ... }`) with its attributes unevaluated and its nested blocks in order."""

    type: str
    labels: Tuple[str, ...]
    attributes: Dict[str, Expression] = field(default_factory=dict)
    blocks: List[Block] = field(default_factory=list)
    file: str = ""
    line: int = 0
    end_line: int = 0

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
    import hcl2

    try:
        # hcl2.loads refuses unclosed quotes before parsing, which would otherwise send lark's lexer into
        # catastrophic backtracking; it is the same guard Checkov relies on.
        hcl2.loads(text)
        tree = _lark_parser().parse(text + "\n")
    except Exception as error:  # noqa: BLE001 - any parser failure is the file's problem, reported as such
        raise HclError(f"{file}: not valid HCL ({_first_line(error)})") from None
    body = tree.children[0]
    return [_block(child, file) for child in body.children if isinstance(child, Tree) and child.data == "block"]


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


def _identifier(tree: Tree) -> str:
    return str(tree.children[0])


def _block(tree: Tree, file: str) -> Block:
    children = tree.children
    name = _identifier(children[0])
    labels = tuple(json.loads(str(c)) if isinstance(c, Token) else _identifier(c) for c in children[1:-1])
    block = Block(name, labels, file=file, line=tree.meta.line, end_line=tree.meta.end_line)
    for child in children[-1].children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            block.attributes[_identifier(child.children[0])] = child.children[1]
        elif child.data == "block":
            block.blocks.append(_block(child, file))
    return block


def parse_expression(text: str) -> Expression:
    """The expression tree of one HCL expression, e.g. the inside of a `${...}` interpolation."""
    tree = _lark_parser().parse(f"__trailguard = {text}\n")
    return tree.children[0].children[0].children[1]


def read_json(text: str, file: str = "") -> List[Block]:
    """`.tf.json`: the same blocks, from JSON (Terraform's JSON configuration syntax)."""
    try:
        document = json.loads(text)
    except ValueError as error:
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
    block = Block(block_type, labels, file=file)
    for key, value in body.items():
        if key in NESTED_BLOCKS and isinstance(value, (dict, list)):
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    block.blocks.append(_json_block(key, (), item, file))
        else:
            block.attributes[key] = JsonExpression(value)
    return block
