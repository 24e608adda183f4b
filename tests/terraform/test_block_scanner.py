"""The block scanner (`hcl_scan.read_body`) reads a block exactly as lark does, or leaves it to lark.

It exists for speed (issue 12): each attribute's expression is parsed on its own, once per distinct text, instead of
lark parsing every block whole. It may decline any block; it must never read one differently. So every block of
every bundled Terraform file, the shapes known to be tricky, and generated blocks are read both ways and compared:
the same attributes (the same trees), the same nested blocks with the same lines, the same written text.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailguard.terraform import hcl

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _lark(source: str, line: int = 1) -> Optional[hcl.Block]:
    """Lark's reading, where the file scan lets lark see the block at all (it keeps unclosed strings from lark,
    whose string pattern backtracks catastrophically on them)."""
    try:
        list(hcl.split_blocks(source))
        return hcl._lark_block(source, "main.tf", line)
    except hcl.HclError:
        return None


def assert_same(scanned: hcl.Block, parsed: hcl.Block, where: str) -> None:
    assert (scanned.line, scanned.end_line) == (parsed.line, parsed.end_line), where
    assert list(scanned.attributes) == list(parsed.attributes), where
    for name, expression in scanned.attributes.items():
        assert expression == parsed.attributes[name], f"{where}: {name}"
        assert scanned.written(name) == parsed.written(name), f"{where}: {name}"
    assert [(b.type, b.labels) for b in scanned.blocks] == [(b.type, b.labels) for b in parsed.blocks], where
    for inner, other in zip(scanned.blocks, parsed.blocks):
        assert_same(inner, other, f"{where} > {inner.type}")


def _top_level_blocks() -> List[tuple]:
    found = []
    for path in sorted(EXAMPLES.rglob("*.tf")):
        text = path.read_text(encoding="utf-8")
        for _, _, start, end in hcl.split_blocks(text, str(path)):
            found.append((path, text.count("\n", 0, start) + 1, text[start:end]))
    return found


def test_every_bundled_block_reads_the_same_both_ways():
    blocks = _top_level_blocks()
    declined = []
    for path, line, source in blocks:
        scanned = hcl._scanned_block(source, str(path), line)
        parsed = hcl._lark_block(source, str(path), line)
        if scanned is None:
            declined.append(f"{path}:{line}")
            continue
        assert_same(scanned, parsed, f"{path.relative_to(EXAMPLES)}:{line}")
    assert len(blocks) > 700
    assert declined == []  # the bundled shapes are the common ones: the scanner must read them all


# Each: a block, and whether the scanner reads it (True) or leaves it to lark (False).
SHAPES = [
    ('resource "a" "b" {\n  x = 1\n}', True),
    ('resource "a" "b" {}', True),
    ('locals { a = 1 }', True),
    ('resource "a" "b" {\n  tags = {\n    Name = "x" # a comment\n    "k" = "}"\n  }\n}', True),
    ('resource "a" "b" {\n  list = [\n    "a",\n    "b", // trailing\n  ]\n}', True),
    ('resource "a" "b" {\n  p = <<EOT\n{ $.x = "}" }\nEOT\n  q = 2\n}', True),
    ('resource "a" "b" {\n  p = <<-EOT\n    a = 1\n    EOT\n}', True),
    ('resource "a" "b" {\n  p = trimspace(<<EOT\nx\nEOT\n  )\n}', True),
    ('resource "a" "b" {\n  s = "a${b["c"]}d%{ if x }y%{ endif }"\n}', True),
    ('resource "a" "b" {\n  x = 1 /* note */\n}', True),
    ('resource "a" "b" {\n  dynamic "event_selector" {\n    for_each = var.s\n    content {\n'
     '      read_write_type = event_selector.value\n    }\n  }\n}', True),
    ('resource "a" "b" {\n  m { n = "x" }\n}', True),
    ('resource "a" "b" {\n  v = [for k, v in var.m : k if v != ""]\n}', True),
    ('resource "a" "b" {\n  v = { for k, v in var.m : k => v... }\n}', True),
    ('resource "a" "b" {\n  v = var.a ? "x" : "y"\n}', True),
    ('resource "a" "b" {\r\n  x = "y"\r\n  n {\r\n    z = 1\r\n  }\r\n}', True),
    # Left to lark: an expression continued on the next line, a nested block not followed by a new line.
    ('resource "a" "b" {\n  v = var.a ?\n    "x" : "y"\n}', False),
    ('resource "a" "b" {\n  v = var.a\n    || var.b\n}', False),
    ('resource "a" "b" {\n  v = var.a ||\n    var.b\n}', False),
    ('resource "a" "b" {\n  n {\n  }}', False),
    ('resource "a" "b" {\n  x = 1 y = 2\n}', False),
    ('resource "a" "b" {\n  x =\n  1\n}', False),
    ('resource "a" "b" {\n  "x" = 1\n}', False),
    ('resource "a" "b" {\n  x = (1\n}', False),
]


@pytest.mark.parametrize("source, scanned", SHAPES)
def test_tricky_shapes(source: str, scanned: bool):
    result = hcl._scanned_block(source, "main.tf", 3)
    assert (result is not None) == scanned
    parsed = _lark(source, 3)
    if result is not None:
        assert parsed is not None, "the scanner read a block lark rejects"
        assert_same(result, parsed, source)


def test_a_validation_condition_keeps_its_written_text():
    source = ('variable "topic" {\n  type = string\n  validation {\n    condition     = can(regex("^arn:aws:sns:",'
              ' var.topic)) # SNS only\n    error_message = "An SNS topic ARN."\n  }\n}')
    block = hcl._parse_block(source, "variables.tf", 10)
    assert block.nested("validation")[0].written("condition") == 'can(regex("^arn:aws:sns:", var.topic))'
    assert block.nested("validation")[0].line == 12


def test_lark_keeps_each_attributes_own_text_where_the_scanner_declines():
    block = hcl._lark_block('resource "a" "b" {\n  x = 1 y = "2" # note\n}', "main.tf", 1)
    assert (block.written("x"), block.written("y")) == ("1", '"2"')


def test_blocks_nested_too_deep_to_read_are_the_files_error_not_a_crash():
    depth = 1_200
    source = ('resource "aws_cloudwatch_log_metric_filter" "f" {\n' + "  a {\n" * depth + "  x = 1\n"
              + "  }\n" * depth + "}\n")
    block = hcl.read_hcl(source, "main.tf")[0]
    with pytest.raises(hcl.HclError, match="main.tf:1: .*nest too deeply"):
        block.written("x")  # the first read of a block parses it


EXPRESSIONS = st.sampled_from([
    '1', '300', '1.5', 'true', 'null', '"x"', '"a\\"b"', '"${var.a}-x"', '"%{ if var.a }y%{ endif }"',
    'var.a', 'aws_sns_topic.t.arn', 'each.value.pattern', 'local.cis["x"].pattern', 'var.list[0]',
    'aws_x.y[*].id', '-1', '!var.a', 'var.a == "b"', 'var.a ? 1 : 2', '(var.a)', 'length(var.a) > 0',
    'format("%s-%s", var.a, "b")', '[]', '["a", "b"]', '{}', '{ a = 1, b = "}" }',
    '[\n    "a",\n    "b",\n  ]', '{\n    a = 1 # c\n    b = 2\n  }', 'merge(\n    var.a,\n    { b = 1 },\n  )',
    '<<EOT\n{ $.eventName = "x" }\nEOT', '<<-EOT\n    y = "}"\n    EOT', '[for v in var.l : upper(v)]',
    '{ for k, v in var.m : k => v if v != null }', 'var.a ?\n    1 : 2', 'var.a\n    || var.b',
    '1 /* c */', '"unclosed', '(1', 'a b', '"a" "b"',
])
NAMES = st.sampled_from(["name", "pattern", "alarm_actions", "for_each", "count", "x-y", "_z"])
SPACE = st.sampled_from(["", "\n", "\n\n", "  # note\n", "  // note\n", "  /* note */\n", "\r\n"])


@st.composite
def bodies(draw: st.DrawFn, depth: int = 0) -> str:
    items = []
    for _ in range(draw(st.integers(0, 4))):
        items.append(draw(SPACE))
        if depth < 2 and draw(st.integers(0, 3)) == 0:
            labels = draw(st.sampled_from(["", ' "l"', " l", ' "a" "b"']))
            one_line = draw(st.booleans())
            inner = draw(bodies(depth + 1)) if not one_line else f" {draw(NAMES)} = {draw(EXPRESSIONS)} "
            items.append(f"  {draw(NAMES)}{labels} {{{'' if one_line else chr(10)}{inner}}}"
                         f"{draw(st.sampled_from(['', ' # c']))}\n")
        else:
            items.append(f"  {draw(NAMES)} = {draw(EXPRESSIONS)}{draw(st.sampled_from(['', ' # c', ' // c']))}\n")
    return "".join(items)


@settings(max_examples=300, deadline=None)
@given(bodies(), st.integers(1, 40))
def test_generated_blocks_read_the_same_or_are_left_to_lark(body: str, line: int):
    source = f'resource "aws_cloudwatch_log_metric_filter" "f" {{\n{body}}}'
    parsed = _lark(source, line)
    scanned = hcl._scanned_block(source, "main.tf", line)
    if scanned is not None:
        assert parsed is not None, "the scanner read a block lark rejects"
        assert_same(scanned, parsed, source)
