"""Hostile values through the pure functions (no scanner): the Terraform reader and the CloudFormation builder feed
the analysis, which must fail the affected filter saying what is wrong and still judge every other resource.

Bound: each case well under a second; the assertion allows 10 s so only a hang trips it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from cfnlint.decode.cfn_yaml import load as load_template
from hypothesis import given
from hypothesis import strategies as st

from tests.robustness.hostile import (
    CLOUDFORMATION_CASES,
    MINIMAL_TF,
    MINIMAL_TF_REASONS,
    MISSING,
    PATTERNS,
    ROOT,
    TERRAFORM_CASES,
    terraform_case,
    write_module_cycle,
)
from trailguard.findings import finding_lines
from trailguard.integrations.cfn_lint.matches import template_problems
from trailguard.model import MetricFilter, Model
from trailguard.rules.analysis import analyse
from trailguard.terraform.builder import build_model
from trailguard.terraform.loader import forget_directories, load_root

HANG = 10.0
TF_FILTER = "aws_cloudwatch_log_metric_filter.unauthorized_api_calls"


def terraform_results(directory: Path) -> Dict[Tuple[str, str], Tuple[str, List[str]]]:
    forget_directories()
    module = load_root(directory)
    model = build_model(list(module.instances()), str(directory), module.notes)
    return {(f.check_id, f.resource.id): (f.result, finding_lines(model, f)) for f in analyse(model)}


@pytest.mark.parametrize("name", TERRAFORM_CASES)
def test_terraform_hostile_pattern_fails_the_filter_and_nothing_else(tmp_path, name):
    (tmp_path / "main.tf").write_text(terraform_case(name))
    started = time.monotonic()
    results = terraform_results(tmp_path)
    assert time.monotonic() - started < HANG
    result, reasons = results[("TG_AWS_2", TF_FILTER)]
    assert result == "FAILED" and PATTERNS[name].reason in " ".join(reasons), reasons
    assert "internal error" not in " ".join(reasons)
    assert results[("TG_AWS_1", "aws_cloudtrail.main")][0] == "PASSED"  # the trail is still judged, on its merits
    assert results[("TG_AWS_4", "aws_cloudtrail.main")][0] == "FAILED"  # and the chain through the bad filter fails


@pytest.mark.parametrize("name", CLOUDFORMATION_CASES)
def test_cloudformation_hostile_pattern_fails_the_filter(name):
    template = json.loads(json.dumps(PLAIN_CHAIN))  # a deep copy
    properties = template["Resources"]["UnauthorizedApiCallsFilter"]["Properties"]
    if PATTERNS[name].cloudformation is MISSING:
        del properties["FilterPattern"]
    else:
        properties["FilterPattern"] = PATTERNS[name].cloudformation
    started = time.monotonic()
    problems = template_problems(template, f"{name}.yaml")
    assert time.monotonic() - started < HANG
    messages = {(p.check_id, p.logical_id): p.message for p in problems}
    assert PATTERNS[name].cloudformation_reason in messages[("TG_AWS_2", "UnauthorizedApiCallsFilter")], messages
    assert ("TG_AWS_4", "Trail") in messages
    assert not any("internal error" in message for message in messages.values())


PLAIN_CHAIN = load_template(str(ROOT / "examples" / "cloudformation" / "compliant" / "plain_chain.yaml"))

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text() | st.binary(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)


@given(JSON_VALUES)
def test_any_value_as_a_pattern_is_judged_never_passed_silently(value):
    """For every value a template can hold, the filter gets a TG_AWS_2 finding, never an internal error, and a
    value that is not a string always fails."""
    metric_filter = MetricFilter("f", "aws_cloudwatch_log_metric_filter", name="unauthorized-api-calls",
                                 pattern=value)
    model = Model("terraform")
    model.add(metric_filter)
    findings = {f.check_id: f for f in analyse(model)}
    assert set(findings) == {"TG_AWS_2", "TG_AWS_3"}
    assert not any("internal error" in f.message() for f in findings.values())
    if not isinstance(value, str):
        assert not findings["TG_AWS_2"].passed and findings["TG_AWS_2"].reasons


@pytest.mark.parametrize("text", ["\udcff", "{ $.errorCode = \"\udcffAccessDenied*\" }", "\ufeff{ $.a = 1 }",
                                  "{ $.errorCode = \"AccessDenied*\" }".encode("utf-16"), b"\xff\xfe{"])
def test_invalid_utf8_as_a_pattern_fails_cleanly(text):
    """Lone surrogates (what Python makes of invalid UTF-8 with surrogateescape), a BOM, and raw bytes."""
    metric_filter = MetricFilter("f", "aws_cloudwatch_log_metric_filter", name="unauthorized-api-calls",
                                 pattern=text)
    model = Model("terraform")
    model.add(metric_filter)
    finding = next(f for f in analyse(model) if f.check_id == "TG_AWS_2")
    assert not finding.passed and "internal error" not in finding.message()


def test_a_reference_cycle_between_modules_fails_the_filter_saying_so(tmp_path):
    write_module_cycle(tmp_path)
    results = terraform_results(tmp_path)
    result, reasons = results[("TG_AWS_2", TF_FILTER)]
    assert result == "FAILED" and 'module "a" depends on itself through its inputs' in reasons[0]
    assert results[("TG_AWS_1", "aws_cloudtrail.main")][0] == "PASSED"


def test_resources_missing_every_optional_attribute_fail_saying_what_is_missing(tmp_path):
    (tmp_path / "main.tf").write_text(MINIMAL_TF)
    results = terraform_results(tmp_path)
    for key, reason in MINIMAL_TF_REASONS.items():
        assert results[key][0] == "FAILED" and reason in " ".join(results[key][1]), (key, results[key])
    assert results[("TG_AWS_2", "aws_cloudwatch_log_metric_filter.minimal")][0] == "PASSED"
