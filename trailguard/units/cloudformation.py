"""Where CloudFormation templates deploy, from the StackSets that deploy them.

An `AWS::CloudFormation::StackSet` whose `TemplateURL` is a local file (as `aws cloudformation package` expects)
deploys that template to the accounts and regions of its `StackInstancesGroup`. Only literal account ids count:
organizational units (`OrganizationalUnitIds`) name no account a link could be proven by.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping

from trailguard.terraform.stack import read_template_file
from trailguard.units.target import Target, account_id

STACK_SET = "AWS::CloudFormation::StackSet"
_REMOTE = ("http://", "https://", "s3://")


def _strings(value: Any) -> List[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _target(logical_id: str, template: Path, properties: Mapping[str, Any]) -> Target:
    groups = properties.get("StackInstancesGroup")
    accounts, regions = set(), set()
    for group in groups if isinstance(groups, list) else []:
        if not isinstance(group, Mapping):
            continue
        deployment = group.get("DeploymentTargets")
        if isinstance(deployment, Mapping):
            accounts.update(filter(None, (account_id(item) for item in _strings(deployment.get("Accounts")))))
        regions.update(_strings(group.get("Regions")))
    by = f"StackSet {logical_id} in {template.name}"
    return Target(frozenset(accounts), frozenset(regions), by, by)


def stack_set_targets(templates: Iterable[Path]) -> Dict[Path, Target]:
    """The target of every local template a StackSet in `templates` deploys, by the template's resolved path."""
    found: Dict[Path, Target] = {}
    for template in templates:
        text = template.read_text(encoding="utf-8", errors="replace") if template.is_file() else ""
        if STACK_SET not in text:
            continue
        try:
            body = read_template_file(str(template))
        except Exception:  # noqa: BLE001 - an unreadable template deploys nothing trailguard can prove by
            continue
        resources = body.get("Resources") if isinstance(body, Mapping) else None
        for logical_id, resource in (resources or {}).items():
            if not isinstance(resource, Mapping) or resource.get("Type") != STACK_SET:
                continue
            properties = resource.get("Properties") if isinstance(resource.get("Properties"), Mapping) else {}
            url = properties.get("TemplateURL")
            if isinstance(url, str) and not url.startswith(_REMOTE):
                found[(template.parent / url).resolve()] = _target(str(logical_id), template, properties)
    return found
