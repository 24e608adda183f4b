"""`trailguard account` gives the verdicts `trailguard scan` gives on the same infrastructure (issue 13, "Done when"):
each bundled example below is loaded as the CloudFormation or Terraform loader loads it, created in moto from that
model, read back from the account, and every check's result on every resource must equal `analyse` on the file's
model.

Resources are matched by the name they were created under (a trail's, a filter's, a topic's; the account names them
by ARN). The examples left out hold a value only a deployment decides (an input without a default, an import), a topic
the file only names by ARN in another account, or condition branches.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Dict, Tuple
from typing import Counter as CounterType

import pytest

from tests.account.conftest import account, example_model, rows
from tests.account.deploy import Deployment, deployed_name, session
from trailguard.findings import FAILED
from trailguard.model import Model
from trailguard.rules.analysis import analyse
from trailguard.terraform.roots import root_model

TERRAFORM = Path(__file__).resolve().parents[2] / "examples" / "terraform"

EXAMPLES = [
    "compliant/plain_chain.yaml",
    "compliant/cis_controls.yaml",
    "compliant/cis_controls_split_iam.yaml",
    "compliant/advanced_selectors_string_booleans.yaml",
    "compliant/narrow_exclusion.yaml",
    "noncompliant/or_bug.yaml",
    "noncompliant/cis_wrong_patterns.yaml",
    "noncompliant/cis_published_traps.yaml",
    "noncompliant/cis_alarm_on_other_control_metric.yaml",
    "noncompliant/filter_other_log_group.yaml",
    "noncompliant/alarm_on_filter_name.yaml",
    "noncompliant/average_threshold_5.yaml",
    "noncompliant/no_management_events.yaml",
    "noncompliant/topic_without_subscription.yaml",
]
TERRAFORM_EXAMPLES = [
    "compliant/advanced_event_selectors", "compliant/alarm_on_metric_query", "compliant/basic",
    "compliant/catalog_for_each", "compliant/catalog_module", "compliant/cis_alarms_module",
    "compliant/cis_controls_for_each", "compliant/cis_controls_per_resource", "compliant/cis_controls_split_iam",
    "compliant/cis_v14_grouped_pattern", "compliant/cis_v2_pattern", "compliant/cloudformation_stack_alarms",
    "compliant/count_one", "compliant/heredoc_trim", "compliant/interpolation_only_strings", "compliant/module_chain",
    "compliant/narrow_exclusion", "compliant/organization_trail", "compliant/pattern_from_join_format",
    "compliant/split_layout", "compliant/tf011_string_count", "compliant/tf_json", "compliant/tf_json_mixed",
    "compliant/tfvars_values", "noncompliant/actions_disabled", "noncompliant/alarm_on_filter_name",
    "noncompliant/alarm_on_metric_math", "noncompliant/average_threshold_5", "noncompliant/catalog_or_bug",
    "noncompliant/cis_alarm_on_other_control_metric", "noncompliant/cis_alarms_module_disabled_control",
    "noncompliant/cis_controls_published_traps", "noncompliant/cis_controls_wrong_patterns",
    "noncompliant/cis_split_filter_without_alarm", "noncompliant/cloudformation_stack_or_bug",
    "noncompliant/cloudformation_stack_remote_template", "noncompliant/count_zero",
    "noncompliant/datapoints_to_alarm_3", "noncompliant/decrypt_invoked_by_trap", "noncompliant/dimensions_on_filter",
    "noncompliant/exact_values_pattern", "noncompliant/filter_on_other_log_group", "noncompliant/lambda_action",
    "noncompliant/logging_disabled", "noncompliant/namespace_mismatch", "noncompliant/no_cloudwatch_logs",
    "noncompliant/no_management_events", "noncompliant/only_ok_actions", "noncompliant/optional_field_exclusion",
    "noncompliant/or_bug_pattern", "noncompliant/read_only_management_events", "noncompliant/registry_module",
    "noncompliant/separate_trail_account", "noncompliant/single_region", "noncompliant/split_layout_other_account",
    "noncompliant/topic_without_subscription", "noncompliant/typo_pattern", "noncompliant/wildcard_exclusion",
]
# Left out: inputs without a value (log_group_name_input, log_groups_for_each, filter_on_sibling_log_group,
# sns_variable_validated, validation_forbids_sns, variable_without_default, tf011_count_unknown), data sources and
# literal ARNs of resources another deployment owns (landing_zone_data_sources, literal_arns,
# separate_monitoring_account), plan files (plan_json, plan_json_or_bug: the loader reads a plan, not a root), and
# no_global_service_events, which AWS refuses to create ("Multi-Region trail must include global service events").
Verdict = Tuple[str, str, str]  # (check id, resource name, PASSED/FAILED)


def _name_in_account(resource: str) -> str:
    """The name in an ARN (or a metric filter's id) as the deployment gave it."""
    for marker in (":metric-filter:", ":trail/"):
        if marker in resource:
            return resource.split(marker, 1)[1]
    return resource.rsplit(":", 1)[-1]


def file_verdicts(model: Model) -> CounterType[Verdict]:
    return Counter((f.check_id, deployed_name(f.resource), f.result) for f in analyse(model))


def account_verdicts(report: Dict[str, Any]) -> CounterType[Verdict]:
    return Counter((row["check_id"], _name_in_account(row["resource"]), row["result"]) for row in rows(report))


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_account_gives_the_files_verdicts(aws, example):
    model = example_model(example)
    Deployment(model, session()).deploy()
    _, report = account()
    assert account_verdicts(report) == file_verdicts(model)


@pytest.mark.parametrize("example", TERRAFORM_EXAMPLES)
def test_the_account_gives_the_terraform_roots_verdicts(aws, example):
    model = root_model(TERRAFORM / example)
    Deployment(model, session()).deploy()
    _, report = account()
    assert account_verdicts(report) == file_verdicts(model)


def test_a_unit_without_a_trail_is_judged_alike_but_the_account_itself_fails(aws):
    """A monitoring-only template proves its filters and alarms only ("not proven here"); an account that sees no
    trail at all is a finding of its own (TG_AWS_1), the one deliberate difference."""
    model = example_model("compliant/separate_accounts_monitoring.yaml")
    Deployment(model, session()).deploy()
    _, report = account()
    no_trail: Verdict = ("TG_AWS_1", "account 123456789012", FAILED)
    assert account_verdicts(report) == file_verdicts(model) + Counter([no_trail])
