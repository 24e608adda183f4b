"""`trailguard scan` across units, as users run it: the console script in a subprocess over the real Checkov and
cfn-lint, on the split-layout and organization-trail examples and on variants written in a temporary directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

from tests.units.layouts import (
    CFN_SPLIT,
    CFN_TRAIL,
    EXAMPLES,
    LOG_GROUP,
    ORGANIZATION,
    ROOT,
    SPLIT,
    config,
    plan_pair,
    provider,
    split,
)
from trailguard.scan.command import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK

OTHER_ACCOUNT_TRAIL = EXAMPLES / "terraform" / "noncompliant" / "split_layout_other_account"
CFN_NO_TARGET = EXAMPLES / "cloudformation" / "noncompliant" / "split_layout_no_target.yaml"


def here(path: Path) -> str:
    return str(path.relative_to(ROOT))


def scan(*args: str, cwd: Path = ROOT) -> Tuple[int, Dict[str, Any], str]:
    """Exit code, the JSON report by unit name (relative to `cwd`), and standard error."""
    script = shutil.which("trailguard", path=str(Path(sys.executable).parent)) or "trailguard"
    done = subprocess.run([script, "scan", "--format", "json", *args], capture_output=True, text=True, timeout=900,
                          cwd=str(cwd), env=dict(os.environ))
    report = json.loads(done.stdout) if done.stdout.strip() else {"units": []}
    return done.returncode, {unit["name"]: unit for unit in report["units"]}, done.stderr


def chain_results(unit: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [result for link in unit["links"] if link["link"] == "chain" for result in link["results"]]


def test_a_terraform_split_layout_in_one_account_is_proven():
    code, units, stderr = scan(here(SPLIT))
    assert code == EXIT_OK, stderr
    trail = units["examples/terraform/compliant/split_layout"]
    assert trail["proven"] and {result["result"] for result in chain_results(trail)} == {"PASSED"}
    assert len(chain_results(trail)) == 15
    assert all(result["reasons"][0].startswith(
        f"linked across units: filters and alarms on log group {LOG_GROUP} in unit "
        "examples/terraform/compliant/split_layout/monitoring, same account 111122223333 and region eu-west-1")
        for result in chain_results(trail))


def test_a_trail_in_another_account_fails_closed_naming_the_candidate_and_the_declaration():
    code, units, _ = scan(here(OTHER_ACCOUNT_TRAIL), here(SPLIT / "monitoring"))
    assert code == EXIT_FINDINGS
    trail = units["examples/terraform/noncompliant/split_layout_other_account"]
    assert not trail["proven"] and {result["result"] for result in chain_results(trail)} == {"FAILED"}
    reason = chain_results(trail)[0]["reasons"][-1]
    assert f"a log group named {LOG_GROUP} is also in unit examples/terraform/compliant/split_layout/monitoring (the " \
           "trail's log group is in account 777788889999, region eu-west-1 (the trail's own log group, where its " \
           "unit deploys by provider allowed_account_ids and region), but it deploys to account 111122223333 by " \
           "provider allowed_account_ids, region eu-west-1 by provider region)" in reason
    assert "declare the link under `links:` in .trailguard.yaml (trail-unit: ., trail: aws_cloudtrail.main, " \
           f"monitoring-unit: ../../compliant/split_layout/monitoring, log-group: {LOG_GROUP}, with a reason)" in reason


def test_a_declared_link_proves_it(tmp_path):
    base = split(tmp_path / "layout", monitoring_provider=provider(None))
    config(base, {"links": [{"trail-unit": "trail", "trail": "aws_cloudtrail.main", "monitoring-unit": "monitoring",
                             "log-group": LOG_GROUP, "reason": "both deploy to the audit account (SEC-42)"}]})
    code, units, stderr = scan(".", cwd=base)
    assert code == EXIT_OK, stderr
    (result, *_) = chain_results(units["trail"])
    assert result["result"] == "PASSED" and result["reasons"][0] == (
        f"linked across units: filters and alarms on log group {LOG_GROUP} in unit monitoring, declared in "
        ".trailguard.yaml: both deploy to the audit account (SEC-42)")


def test_a_declaration_that_cannot_be_read_is_a_usage_error(tmp_path):
    base = split(tmp_path / "layout")
    config(base, {"organization": {"member-accounts": [222222222222]}})
    code, _, stderr = scan(".", cwd=base)
    assert code == EXIT_ERROR and "is not a quoted 12-digit account id" in stderr


def test_an_organization_trail_covers_the_member_account_roots():
    code, units, stderr = scan(here(ORGANIZATION))
    assert code == EXIT_OK, stderr
    for member in ("member_a", "member_b"):
        unit = units[f"examples/terraform/compliant/organization_trail/members/{member}"]
        assert unit["proven"] and len(chain_results(unit)) == 15
        assert {result["resource"] for result in chain_results(unit)} == {
            "covered by organization trail aws_cloudtrail.main (unit examples/terraform/compliant/organization_trail)"}


def test_a_cloudformation_split_layout_deployed_by_stack_sets_is_proven():
    code, units, stderr = scan(here(CFN_TRAIL), here(CFN_SPLIT))
    assert code == EXIT_OK, stderr
    trail = units["examples/cloudformation/compliant/split_layout_trail.yaml"]
    assert trail["proven"] and {result["result"] for result in chain_results(trail)} == {"PASSED"}
    assert "; unit examples/cloudformation/compliant/split_layout/monitoring.yaml: StackSet MonitoringStackSet in " \
           "stack_sets.yaml)" in chain_results(trail)[0]["reasons"][0]


def test_a_cloudformation_trail_without_a_target_fails_closed():
    code, units, _ = scan(here(CFN_NO_TARGET), here(CFN_SPLIT / "monitoring.yaml"))
    assert code == EXIT_FINDINGS
    trail = units["examples/cloudformation/noncompliant/split_layout_no_target.yaml"]
    reason = chain_results(trail)[0]["reasons"][-1]
    assert "is also in unit examples/cloudformation/compliant/split_layout/monitoring.yaml (nothing states the " \
           "account and region of the trail's log group" in reason


def test_plan_files_link_across_units(tmp_path):
    plan_pair(tmp_path / "plans")
    code, units, stderr = scan("--check", "unauthorized-api-calls", ".", cwd=tmp_path / "plans")
    assert code == EXIT_OK, stderr
    (result,) = chain_results(units["trail.json"])
    assert result["result"] == "PASSED" and "in unit monitoring.json" in result["reasons"][0]
