"""The hostile inputs, written once for both languages: each case puts one bad value where the compliant examples
have their filter pattern, and says what the affected result's reason must contain.

Everything else in a case stays compliant, so the tests also prove that the other resources are still judged.
CloudFormation values are Python values written into the template as JSON, which is YAML's flow syntax.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional

ROOT = Path(__file__).resolve().parents[2]
TF_BASIC = (ROOT / "examples" / "terraform" / "compliant" / "basic" / "main.tf").read_text()
CFN_PLAIN = (ROOT / "examples" / "cloudformation" / "compliant" / "plain_chain.yaml").read_text()

CIS = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'
TF_PATTERN = f"pattern        = {json.dumps(CIS)}"
CFN_PATTERN = f"      FilterPattern: '{CIS}'"
DEEP = 10_000
LONG_TAIL = ' && $.eventName != "x"' * 60  # about 1,500 characters in all: over AWS's 1,024
NOT_A_STRING = "AWS would not accept this pattern: a filter pattern must be a string, not"
CFN_NOT_A_STRING = "FilterPattern of UnauthorizedApiCallsFilter is not a string"
MISSING = object()  # the property or argument is left out
NOT_EXPRESSIBLE = object()  # the language has no such construct


def _hcl(text: str) -> str:
    return json.dumps(text)  # a JSON string is an HCL string, escapes included


def _nested_joins(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"Fn::Join": ["", [value]]}
    return value


@dataclass(frozen=True)
class Case:
    """One hostile value: the Terraform `pattern` line (None: left out), the CloudFormation FilterPattern value, and
    the words the failing TG_AWS_2 reason must contain (in CloudFormation too, unless `cfn_reason` says otherwise)."""

    terraform: Any
    cloudformation: Any
    reason: str
    cfn_reason: Optional[str] = None

    @property
    def cloudformation_reason(self) -> str:
        return self.cfn_reason or self.reason


PATTERNS: Dict[str, Case] = {
    "number": Case("pattern = 42", 42, f"{NOT_A_STRING} a number",
                   # CloudFormation turns a scalar into a string: 42 is the term pattern "42", matching any "42"
                   "it counts calls that were not denied"),
    "list": Case("pattern = [" + _hcl('{ $.errorCode = "AccessDenied*" }') + "]",
                 ['{ $.errorCode = "AccessDenied*" }'], f"{NOT_A_STRING} a list", CFN_NOT_A_STRING),
    "map": Case('pattern = { errorCode = "AccessDenied*" }', {"errorCode": "AccessDenied*"}, f"{NOT_A_STRING} a map",
                CFN_NOT_A_STRING),
    "null": Case("pattern = null", None, "the filter has no pattern", CFN_NOT_A_STRING),
    "missing": Case(MISSING, MISSING, "the filter has no pattern"),
    "empty": Case('pattern = ""', "", "it counts calls that were not denied"),
    "over_1024": Case("pattern = " + _hcl('{ $.errorCode = "AccessDenied*"' + LONG_TAIL + " }"),
                      '{ $.errorCode = "AccessDenied*"' + LONG_TAIL + " }", "AWS rejects filter patterns over 1024"),
    "deep_parentheses": Case(
        "pattern = " + _hcl("{ " + "(" * DEEP + '$.errorCode = "AccessDenied*"' + ")" * DEEP + " }"),
        "{ " + "(" * DEEP + '$.errorCode = "AccessDenied*"' + ")" * DEEP + " }",
        "AWS rejects filter patterns over 1024"),
    "deep_expression": Case("pattern = " + "(" * DEEP + _hcl('{ $.errorCode = "AccessDenied*" }') + ")" * DEEP,
                            NOT_EXPRESSIBLE, "nests more than 100 levels deep"),
    # 300 levels: deeper than trailguard's recursive walk of a template goes, shallow enough for the scanners' parsers.
    "deep_intrinsics": Case(NOT_EXPRESSIBLE, _nested_joins(300), "", "nest too deeply to be read"),
    "nul_byte": Case("pattern = " + _hcl('{ $.errorCode = "Access\x00Denied*" }'),
                     '{ $.errorCode = "Access\x00Denied*" }', "control character U+0000 is not allowed"),
    "backtracking_regex": Case("pattern = " + _hcl("{ $.errorCode = %(a+)+$% }"), "{ $.errorCode = %(a+)+$% }",
                               "does not allow parentheses in a filter-pattern regular expression"),
    "star_height_regex": Case("pattern = " + _hcl("{ $.errorCode = %" + "a*" * 20 + "b% }"),
                              "{ $.errorCode = %" + "a*" * 20 + "b% }", "it counts failed calls that are not denials"),
    "unresolvable_reference": Case("pattern = aws_ssm_parameter.does_not_exist.value",
                                   {"Fn::GetAtt": ["DoesNotExist", "Value"]},
                                   "aws_ssm_parameter.does_not_exist is not a resource of this module",
                                   "DoesNotExist"),
    "local_cycle": Case("pattern = local.pattern\n}\n\nlocals {\n"
                        '  pattern = "${local.prefix}"\n  prefix  = local.pattern',
                        NOT_EXPRESSIBLE, "refers to itself"),
}
TERRAFORM_CASES = sorted(name for name, case in PATTERNS.items() if case.terraform is not NOT_EXPRESSIBLE)
CLOUDFORMATION_CASES = sorted(name for name, case in PATTERNS.items() if case.cloudformation is not NOT_EXPRESSIBLE)


def terraform_case(name: str) -> str:
    """The compliant basic root with this case's pattern line."""
    value = PATTERNS[name].terraform
    assert TF_PATTERN in TF_BASIC
    return TF_BASIC.replace(TF_PATTERN, "" if value is MISSING else value)


def cloudformation_case(name: str) -> str:
    """The compliant plain-chain template with this case's FilterPattern."""
    value = PATTERNS[name].cloudformation
    assert CFN_PATTERN in CFN_PLAIN
    return CFN_PLAIN.replace(CFN_PATTERN, "" if value is MISSING else f"      FilterPattern: {json.dumps(value)}")


def write_module_cycle(directory: Path) -> None:
    """A root whose filter pattern comes from module a, whose input comes from module b, whose input comes from a."""
    (directory / "a").mkdir(parents=True)
    (directory / "b").mkdir()
    calls = "".join(f'\nmodule "{name}" {{\n  source  = "./{name}"\n  pattern = module.{other}.pattern\n}}\n'
                    for name, other in (("a", "b"), ("b", "a")))
    (directory / "main.tf").write_text(TF_BASIC.replace(TF_PATTERN, "pattern        = module.a.pattern") + calls)
    for name in "ab":
        (directory / name / "main.tf").write_text(
            'variable "pattern" {\n  type = string\n}\n\noutput "pattern" {\n  value = var.pattern\n}\n')


# Every optional attribute left out (and, for the trail, the required ones too): each must fail, saying what is missing.
MINIMAL_TF = """
resource "aws_cloudtrail" "bare" {
}

resource "aws_cloudtrail" "minimal" {
  name           = "minimal"
  s3_bucket_name = "example-trail-bucket"
}

resource "aws_cloudwatch_log_metric_filter" "minimal" {
  name           = "unauthorized-api-calls"
  pattern        = "{ ($.errorCode = \\"*UnauthorizedOperation\\") || ($.errorCode = \\"AccessDenied*\\") }"
  log_group_name = "cloudtrail"

  metric_transformation {
    name      = "UnauthorizedAPICalls"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "minimal" {
  alarm_name          = "minimal"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
}

resource "aws_sns_topic" "minimal" {
}
"""
MINIMAL_TF_REASONS = {
    ("TG_AWS_1", "aws_cloudtrail.bare"): "the trail records only its own region",
    ("TG_AWS_1", "aws_cloudtrail.minimal"): "does not deliver to CloudWatch Logs",
    ("TG_AWS_4", "aws_cloudtrail.minimal"): "trail: ",
    ("TG_AWS_3", "aws_cloudwatch_log_metric_filter.minimal"): "no alarm watches the filter's metric",
}
