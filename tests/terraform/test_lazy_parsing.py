"""Only the blocks the model needs, and the blocks their expressions refer to, are parsed (issue 12, Performance).

A monorepo root is mostly resources trailguard never reads; building their lark trees dominated its time inside
Checkov. The parses are counted here, so a change that starts reading unrelated blocks again shows up as a test
failure, not as a slower scan nobody measures.
"""

from __future__ import annotations

from typing import List, Tuple

import pytest

from trailguard.terraform import hcl
from trailguard.terraform.builder import build_model
from trailguard.terraform.loader import forget_directories, load_root

ROOT = '''
variable "pattern" {
  default = "{ ($.errorCode = \\"*UnauthorizedOperation\\") || ($.errorCode = \\"AccessDenied*\\") }"
}

variable "unused" {
  default = "never read"
}

locals {
  namespace = "CISBenchmark"
}

resource "aws_s3_bucket" "named_by" {
  bucket = "unauthorized-api-calls"
}

resource "aws_cloudwatch_log_group" "trail" {
  name = "cloudtrail"
}

resource "aws_cloudwatch_log_metric_filter" "unauthorized" {
  name           = aws_s3_bucket.named_by.bucket
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = var.pattern
  metric_transformation {
    name      = "UnauthorizedAPICalls"
    namespace = local.namespace
    value     = "1"
  }
}

resource "aws_s3_bucket" "data" {
  count  = 3
  bucket = "data-${count.index}"
}

resource "aws_iam_role" "app" {
  for_each = toset(["a", "b"])
  name     = each.key
}

resource "aws_security_group" "app" {
  name = "app"
  ingress {
    from_port = 443
    to_port   = 443
    protocol  = "tcp"
  }
}
'''


@pytest.fixture
def parsed_blocks(monkeypatch: pytest.MonkeyPatch) -> List[Tuple[str, int]]:
    """(file name, line) of every top-level block parsed while the test runs."""
    parsed: List[Tuple[str, int]] = []
    original = hcl._parse_block

    def counting(source: str, file: str, line: int) -> hcl.Block:
        parsed.append((file.rsplit("/", 1)[-1], line))
        return original(source, file, line)

    monkeypatch.setattr(hcl, "_parse_block", counting)
    return parsed


def _line_of(text: str, header: str) -> int:
    return text[:text.index(header)].count("\n") + 1


def test_unrelated_resources_stay_unparsed(tmp_path, parsed_blocks):
    forget_directories()
    (tmp_path / "main.tf").write_text(ROOT)
    module = load_root(tmp_path)
    model = build_model(list(module.instances()), str(tmp_path), module.notes)

    assert model.filters["aws_cloudwatch_log_metric_filter.unauthorized"].name == "unauthorized-api-calls"
    needed = ['variable "pattern"', "locals {", 'resource "aws_s3_bucket" "named_by"',
              'resource "aws_cloudwatch_log_group" "trail"', 'resource "aws_cloudwatch_log_metric_filter"']
    assert sorted(parsed_blocks) == sorted(("main.tf", _line_of(ROOT, header)) for header in needed)


def test_a_monorepo_root_parses_the_same_blocks_however_many_unrelated_resources_it_holds(tmp_path, parsed_blocks):
    forget_directories()
    unrelated = "".join(f'resource "aws_s3_bucket" "extra_{n}" {{\n  count  = {n}\n  bucket = "x{n}"\n}}\n'
                        for n in range(50))
    (tmp_path / "main.tf").write_text(ROOT + unrelated)
    module = load_root(tmp_path)
    build_model(list(module.instances()), str(tmp_path), module.notes)

    assert len(parsed_blocks) == 5
