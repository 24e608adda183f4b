"""Where a Terraform root module or plan file deploys: its default `provider "aws"` block.

The account comes from `allowed_account_ids` (one id, or the one its `assume_role` ARN names) or from the
`assume_role { role_arn }` ARN's account; the region from `region`. Each may be a literal or a variable with a value
(a default, a tfvars file; in a plan, the plan's variables). Aliased providers are not followed per resource: a unit
whose aliased aws providers state another account or region has no single target, so nothing is proven by it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Dict, FrozenSet, List, Optional

from trailguard.terraform.expressions import Evaluator
from trailguard.terraform.hcl import Block
from trailguard.terraform.loader import load_root
from trailguard.units.target import NOWHERE, Target, account_id

# One provider configuration: its attribute values by name (None when not set or not known).
Provider = Callable[[str], Any]


def _role_account(arn: Any) -> Optional[str]:
    """The account of an `arn:aws:iam::ACCOUNT:role/NAME` ARN."""
    fields = arn.split(":") if isinstance(arn, str) else []
    return account_id(fields[4]) if len(fields) > 5 and fields[0] == "arn" and fields[2] == "iam" else None


def _role_arns(value: Any) -> List[Any]:
    """`assume_role` as a block list, a map (`.tf.json`) or a list of maps."""
    items = value if isinstance(value, list) else [value]
    return [item.get("role_arn") for item in items if isinstance(item, dict)]


def provider_target(provider: Provider) -> Target:
    """The target one provider configuration states (NOWHERE for what it does not)."""
    allowed = provider("allowed_account_ids")
    allowed_ids = frozenset(filter(None, (account_id(item) for item in allowed))) if isinstance(
        allowed, list) else frozenset()
    roles = frozenset(filter(None, (_role_account(arn) for arn in _role_arns(provider("assume_role")))))
    accounts: FrozenSet[str] = frozenset()
    account_by = ""
    if roles and allowed_ids:
        accounts = roles & allowed_ids
        account_by = "provider allowed_account_ids and assume_role role_arn" if accounts else ""
    elif allowed_ids:
        accounts, account_by = allowed_ids, "provider allowed_account_ids"
    elif roles:
        accounts, account_by = roles, "provider assume_role role_arn"
    region = provider("region")
    regions = frozenset([region]) if isinstance(region, str) and region else frozenset()
    return Target(accounts, regions, account_by, "provider region" if regions else "")


def _single(targets: Dict[Optional[str], Target]) -> Target:
    """The default provider's target, when every aliased one states no other account or region."""
    default = targets.get(None)
    if default is None:
        return NOWHERE
    for alias, target in targets.items():
        if alias is not None and (target.accounts - default.accounts or target.regions - default.regions):
            return NOWHERE
    return default


# --- a root module ------------------------------------------------------------------------------------------------

def _block_provider(block: Block, evaluate: Callable[[Any], Any]) -> Provider:
    def value(name: str) -> Any:
        if name == "assume_role" and block.nested(name):
            return [{key: evaluate(expression) for key, expression in nested.attributes.items()}
                    for nested in block.nested(name)]
        return evaluate(block.attributes[name]) if name in block.attributes else None
    return value


def root_target(directory: Path) -> Target:
    """Where the root module in `directory` deploys, by its `provider "aws"` blocks."""
    module = load_root(directory.resolve())
    evaluator = Evaluator(module)
    targets: Dict[Optional[str], Target] = {}
    for block in module.directory.blocks:
        if block.type == "provider" and block.labels == ("aws",):
            provider = _block_provider(block, evaluator.evaluate)
            alias = provider("alias")
            targets[alias if isinstance(alias, str) else None] = provider_target(provider)
    return _single(targets)


# --- a plan file ----------------------------------------------------------------------------------------------------

def _plan_value(expression: Any, variables: Dict[str, Any]) -> Any:
    """An expression of the plan's configuration: its constant, or the value of the one variable it reads."""
    if isinstance(expression, list):
        return [_plan_value(item, variables) for item in expression]
    if not isinstance(expression, dict):
        return None
    if "constant_value" in expression:
        return expression["constant_value"]
    references = expression.get("references")
    if isinstance(references, list) and references and str(references[0]).startswith("var."):
        return (variables.get(str(references[0])[4:]) or {}).get("value")
    if "references" not in expression:  # a nested block (assume_role) is a map of expressions
        return {key: _plan_value(item, variables) for key, item in expression.items()}
    return None


def _plan_provider(expressions: Dict[str, Any], variables: Dict[str, Any]) -> Provider:
    def value(name: str) -> Any:
        return _plan_value(expressions.get(name), variables)
    return value


def plan_target(path: Path) -> Target:
    """Where a plan file (`terraform show -json`) deploys, by its configuration's aws providers."""
    plan = json.loads(path.read_text(encoding="utf-8"))
    variables = plan.get("variables") or {}
    targets: Dict[Optional[str], Target] = {}
    for config in ((plan.get("configuration") or {}).get("provider_config") or {}).values():
        if not isinstance(config, dict) or config.get("name") != "aws" or config.get("module_address"):
            continue
        targets[config.get("alias")] = provider_target(_plan_provider(config.get("expressions") or {}, variables))
    return _single(targets)
