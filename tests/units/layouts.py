"""Split layouts for the cross-unit tests, written into a temporary directory from the bundled examples (the same
trail and monitoring roots, with the provider blocks and links each test needs)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any, Dict, Optional

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SPLIT = EXAMPLES / "terraform" / "compliant" / "split_layout"  # the trail's root; monitoring/ below it
ORGANIZATION = EXAMPLES / "terraform" / "compliant" / "organization_trail"
CFN_TRAIL = EXAMPLES / "cloudformation" / "compliant" / "split_layout_trail.yaml"
CFN_SPLIT = EXAMPLES / "cloudformation" / "compliant" / "split_layout"  # monitoring.yaml and stack_sets.yaml
PLAN = EXAMPLES / "terraform" / "compliant" / "plan_json" / "plan.json"
ACCOUNT, OTHER_ACCOUNT, REGION = "111122223333", "444455556666", "eu-west-1"
LOG_GROUP = "aws-cloudtrail-logs-111122223333"
_PROVIDER = re.compile(r'provider "aws" \{.*?\n\}\n', re.DOTALL)


def provider(account: Optional[str] = ACCOUNT, region: str = REGION, how: str = "allowed_account_ids") -> str:
    """A `provider "aws"` block stating the account (or not) and the region."""
    lines = [f'  region = "{region}"']
    if account and how == "allowed_account_ids":
        lines.append(f'  allowed_account_ids = ["{account}"]')
    elif account:
        role = f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
        lines.append(f'  assume_role {{\n    role_arn = "{role}"\n  }}')
    return 'provider "aws" {\n' + "\n".join(lines) + "\n}\n"


def root(target: Path, example: Path, provider_block: str, replacements: Optional[Dict[str, str]] = None) -> Path:
    """A copy of an example root module with its provider block replaced (and any text replaced)."""
    target.mkdir(parents=True, exist_ok=True)
    text = _PROVIDER.sub(lambda _: provider_block, (example / "main.tf").read_text(encoding="utf-8"), count=1)
    for old, new in (replacements or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    (target / "main.tf").write_text(text, encoding="utf-8")
    return target


# The trail names a log group of the monitoring root by its literal ARN, instead of creating its own.
LITERAL_ARN = {
    'cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.cloudtrail.arn}:*"':
        f'cloud_watch_logs_group_arn    = "arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{LOG_GROUP}:*"',
}


def split(base: Path, trail_provider: str = provider(), monitoring_provider: str = provider(),
          literal_arn: bool = False) -> Path:
    """trail/ and monitoring/ roots under `base` (the trail creates its log group unless `literal_arn`)."""
    root(base / "trail", SPLIT, trail_provider, LITERAL_ARN if literal_arn else None)
    root(base / "monitoring", SPLIT / "monitoring", monitoring_provider)
    return base


def config(base: Path, document: Dict[str, Any]) -> Path:
    """A .trailguard.yaml (JSON is YAML) in `base`."""
    path = base / ".trailguard.yaml"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def plan_pair(base: Path, account: str = ACCOUNT) -> Path:
    """The plan_json example split in two plan files, trail.json (log group and trail) and monitoring.json (filter,
    alarm, topic), each with an aws provider stating `account` (a variable for the region)."""
    plan = json.loads(PLAN.read_text(encoding="utf-8"))
    plan["variables"] = {**plan.get("variables", {}), "region": {"value": REGION}}
    plan["configuration"]["provider_config"] = {"aws": {"name": "aws", "expressions": {
        "region": {"references": ["var.region"]}, "allowed_account_ids": {"constant_value": [account]}}}}
    base.mkdir(parents=True, exist_ok=True)
    for name, kept in (("trail", ("aws_cloudwatch_log_group", "aws_cloudtrail")),
                       ("monitoring", ("aws_cloudwatch_log_metric_filter", "aws_cloudwatch_metric_alarm",
                                       "aws_sns_topic", "aws_sns_topic_subscription"))):
        part = json.loads(json.dumps(plan))
        module = part["planned_values"]["root_module"]
        module["resources"] = [r for r in module["resources"] if r["type"] in kept]
        part["resource_changes"] = [c for c in part["resource_changes"] if c["type"] in kept]
        (base / f"{name}.json").write_text(json.dumps(part, indent=1), encoding="utf-8")
    return base
