"""The Terraform loader and evaluator on small configurations: values come out as Terraform would compute them."""

from __future__ import annotations

from trailguard.model import Unknown
from trailguard.terraform.loader import forget_directories, load_root

CIS_V2 = ('{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && '
          '($.eventName != "HeadBucket") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") }')


def load(tmp_path, main, **files):
    forget_directories()
    (tmp_path / "main.tf").write_text(main)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return load_root(tmp_path)


def local(tmp_path, expression, **files):
    return load(tmp_path, f"locals {{\n  value = {expression}\n}}\n", **files).local("value")


# --- operator precedence: the parser nests binary chains to the right, Terraform does not ---------------------

def test_arithmetic_follows_terraform_precedence(tmp_path):
    assert local(tmp_path, "2 * 3 + 1") == 7
    assert local(tmp_path, "10 - 2 - 3") == 5
    assert local(tmp_path, "8 / 2 / 2") == 2


def test_a_comparison_before_a_conditional_is_its_condition(tmp_path):
    module = load(tmp_path, '''
variable "environment" {
  default = "prod"
}

locals {
  enabled = var.environment == "prod" ? 1 : 0
  both    = var.environment == "prod" && true ? "a" : "b"
  nested  = var.environment == "dev" ? 1 : var.environment == "prod" ? 2 : 3
}
''')
    assert module.local("enabled") == 1
    assert module.local("both") == "a"
    assert module.local("nested") == 2


def test_count_from_a_comparison_creates_the_resource(tmp_path):
    module = load(tmp_path, '''
variable "environment" {
  default = "prod"
}

resource "aws_cloudwatch_metric_alarm" "unauthorized" {
  count      = var.environment == "prod" ? 1 : 0
  alarm_name = "cis-unauthorized-api-calls"
}
''')
    assert [instance.address for instance in module.instances()] == ["aws_cloudwatch_metric_alarm.unauthorized[0]"]


def test_arithmetic_converts_strings_to_numbers(tmp_path):
    assert local(tmp_path, '"3" + 1') == 4


# --- iteration order: Terraform iterates maps by key and sets of strings in lexical order ---------------------

def test_a_for_expression_over_a_map_iterates_by_key(tmp_path):
    module = load(tmp_path, '''
locals {
  exclusions = {
    "$.sourceIPAddress" = "delivery.logs.amazonaws.com"
    "$.eventName"       = "HeadBucket"
  }
  clauses = [for field, value in local.exclusions : format("(%s != %q)", field, value)]
  pattern = format("{ %s }", join(" && ", concat(
    [join(" || ", [for code in ["*UnauthorizedOperation", "AccessDenied*"] : format("($.errorCode = %q)", code)])],
    local.clauses)))
}
''')
    assert module.local("pattern") == CIS_V2


def test_toset_orders_strings(tmp_path):
    assert local(tmp_path, 'join(",", toset(["b", "a", "b"]))') == "a,b"


# --- functions --------------------------------------------------------------------------------------------------

def test_format_honours_flags_and_width(tmp_path):
    assert local(tmp_path, 'format("%-5s|%03d|%.1f", "ab", 7, 2)') == "ab   |007|2.0"


def test_replace_with_slashes_is_a_regular_expression(tmp_path):
    assert local(tmp_path, 'replace("unauthorized_api_calls", "/_(\\\\w)/", "-$1")') == "unauthorized-api-calls"
    assert local(tmp_path, 'replace("a.b", ".", "-")') == "a-b"


def test_common_collection_functions(tmp_path):
    assert local(tmp_path, 'split(",", "a,b")') == ["a", "b"]
    assert local(tmp_path, 'flatten([["a"], ["b", ["c"]]])') == ["a", "b", "c"]
    assert local(tmp_path, 'compact(["a", "", "b"])') == ["a", "b"]
    assert local(tmp_path, 'contains(["a"], "a")') is True
    assert local(tmp_path, 'substr("unauthorized", 0, 5)') == "unaut"


def test_an_unsupported_function_is_unknown_naming_it(tmp_path):
    value = local(tmp_path, 'templatefile("pattern.tpl", {})')
    assert isinstance(value, Unknown) and "templatefile" in value.source


# --- strings ----------------------------------------------------------------------------------------------------

def test_heredocs_keep_the_pattern_as_written(tmp_path):
    module = load(tmp_path, '''
locals {
  plain = <<EOT
{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }
EOT
  trimmed = <<-EOT
    {
      ($.errorCode = "*UnauthorizedOperation") ||
      ($.errorCode = "AccessDenied*")
    }
  EOT
}
''')
    assert module.local("plain") == '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }\n'
    assert module.local("trimmed") == ('{\n  ($.errorCode = "*UnauthorizedOperation") ||\n'
                                       '  ($.errorCode = "AccessDenied*")\n}\n')


def test_auto_tfvars_override_terraform_tfvars(tmp_path):
    module = load(tmp_path, 'variable "namespace" {}\n', **{
        "terraform.tfvars": 'namespace = "Default"\n', "security.auto.tfvars": 'namespace = "CISBenchmark"\n'})
    assert module.variable("namespace") == "CISBenchmark"
