"""`trailguard account` gives the verdicts `trailguard scan` gives on the same infrastructure (issue 13, "Done when"):
each bundled example below is loaded as the CloudFormation loader loads it, created in moto from that model, read
back from the account, and every check's result on every resource must equal `analyse` on the file's model.

Resources are matched by the name they were created under (a trail's, a filter's, a topic's; the account names them
by ARN). The examples left out hold a value only a deployment decides (an input without a default, an import), a topic
the file only names by ARN in another account, or condition branches.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Dict, Tuple
from typing import Counter as CounterType

import pytest

from tests.account.conftest import account, example_model, rows
from tests.account.deploy import Deployment, deployed_name, session
from trailguard.findings import FAILED
from trailguard.model import Model
from trailguard.rules.analysis import analyse

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


def test_a_unit_without_a_trail_is_judged_alike_but_the_account_itself_fails(aws):
    """A monitoring-only template proves its filters and alarms only ("not proven here"); an account that sees no
    trail at all is a finding of its own (TG_AWS_1), the one deliberate difference."""
    model = example_model("compliant/separate_accounts_monitoring.yaml")
    Deployment(model, session()).deploy()
    _, report = account()
    no_trail: Verdict = ("TG_AWS_1", "account 123456789012", FAILED)
    assert account_verdicts(report) == file_verdicts(model) + Counter([no_trail])
