"""The Checkov adapter in-process: how findings of the instances sharing one unexpanded vertex are reported.

Checkov leaves a `for_each` resource unexpanded when it cannot evaluate the collection, so every instance's finding
attaches to one vertex. Failing instances must each be named; passing ones summarised with a count, so a `for_each`
over thousands of instances does not print thousands of "passed" lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

from trailguard.integrations.checkov import details as reasons
from trailguard.integrations.checkov.graph_check import _evaluate

CIS = '{ ($.errorCode = \\"*UnauthorizedOperation\\") || ($.errorCode = \\"AccessDenied*\\") }'
OR_BUG = CIS[:-2] + ' || ($.eventName != \\"HeadBucket\\") }'

ROOT_MODULE = """
locals {
  accounts = {
%s
  }
}

resource "aws_cloudwatch_log_group" "trail" {
  name = "cloudtrail"
}

resource "aws_cloudwatch_log_metric_filter" "unauthorized" {
  for_each = local.accounts

  name           = "unauthorized-api-calls-${each.key}"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = each.value

  metric_transformation {
    name      = "UnauthorizedAPICalls-${each.key}"
    namespace = "CISBenchmark"
    value     = "1"
  }
}
"""
ADDRESS = "aws_cloudwatch_log_metric_filter.unauthorized"


def _vertex(file: Path, address: str, resource_type: str) -> Dict[str, str]:
    return {"block_type_": "resource", "file_path_": str(file), "__address__": address,
            "resource_type": resource_type}


def _pattern_lines(tmp_path: Path, patterns: Dict[str, str]) -> List[str]:
    entries = "\n".join(f'    {key} = "{pattern}"' for key, pattern in patterns.items())
    main = tmp_path / "main.tf"
    main.write_text(ROOT_MODULE % entries)
    vertex = _vertex(main, ADDRESS, "aws_cloudwatch_log_metric_filter")
    passed, failed = _evaluate([vertex, _vertex(main, "aws_cloudwatch_log_group.trail", "aws_cloudwatch_log_group")])[
        "TG_AWS_2"]
    assert [id(v) for v in passed + failed] == [id(vertex)]
    return reasons._REASONS[reasons.vertex_key("TG_AWS_2", vertex)]


def test_many_passing_instances_are_counted_not_listed(tmp_path):
    lines = _pattern_lines(tmp_path, {f"account_{index:04d}": CIS for index in range(400)})
    assert lines == [f'400 instances passed: {ADDRESS}["account_0000"], {ADDRESS}["account_0001"], '
                     f'{ADDRESS}["account_0002"] and 397 more']


def test_failing_instances_are_each_named_beside_the_count_of_passing_ones(tmp_path):
    patterns = {f"account_{index:04d}": CIS for index in range(10)}
    patterns.update(account_0003=OR_BUG, account_0007=OR_BUG)
    lines = _pattern_lines(tmp_path, patterns)
    failing = [line for line in lines if "it counts calls that were not denied" in line]
    assert [line.split(": ", 1)[0] for line in failing] == [f'{ADDRESS}["account_0003"]', f'{ADDRESS}["account_0007"]']
    assert lines[-1].startswith(f'8 instances passed: {ADDRESS}["account_0000"]') and lines[-1].endswith("and 5 more")


def test_a_few_passing_instances_are_each_named_with_their_details(tmp_path):
    lines = _pattern_lines(tmp_path, {"prod": CIS, "dev": CIS})
    named = [line.split(": ", 1) for line in lines]
    assert [address for address, _ in named] == [f'{ADDRESS}["prod"]'] * 2 + [f'{ADDRESS}["dev"]'] * 2  # as written
    assert all(said.startswith("judged as the filter of unauthorized-api-calls") for said in [named[0][1], named[2][1]])
    assert all("Security Hub CloudWatch.2" in said for said in [named[1][1], named[3][1]])
