"""A plan file (`terraform show -json plan.out`) -> resource views for the builder.

The plan is the most faithful input: Terraform has already resolved variables, modules, count and for_each, and the
pattern is exactly what will be deployed. What Terraform itself does not know before apply (an ARN, a value read
from a data source) is either a reference to another resource, recovered from the configuration's `references`, or
`Unknown`, so it is never mistaken for an empty value.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

from trailguard.model import Location, Unknown
from trailguard.terraform.expressions import Reference

FIX_PLAN = "reference a resource in the same configuration, or write the value literally"
# `aws_sns_topic.alerts.arn`, `aws_sns_topic.t[0].arn`, `data.aws_sns_topic.x.arn` -> (address, type, attribute)
_RESOURCE_REFERENCE = re.compile(r"^((?:data\.)?([a-z0-9_]+)\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?)(?:\.(.+))?$")
_MODULE_PREFIX = re.compile(r"^(?:module\.[^.\[]+(?:\[[^\]]*\])?\.)*")
_MODULE_SEGMENT_AT_END = re.compile(r"module\.[^.\[]+(?:\[[^\]]*\])?\.$")


class _Config:
    """The configuration part of the plan: each resource's expressions, and module calls' arguments."""

    def __init__(self, plan: Dict[str, Any]) -> None:
        self.resources: Dict[str, Dict[str, Any]] = {}
        self.module_arguments: Dict[str, Dict[str, Any]] = {}
        self._walk(plan.get("configuration", {}).get("root_module", {}), "")

    def _walk(self, module: Dict[str, Any], prefix: str) -> None:
        for resource in module.get("resources", []) or []:
            self.resources[prefix + str(resource.get("address", ""))] = resource.get("expressions", {}) or {}
        for name, call in (module.get("module_calls", {}) or {}).items():
            child = f"{prefix}module.{name}."
            self.module_arguments[child] = call.get("expressions", {}) or {}
            self._walk(call.get("module", {}) or {}, child)

    def references(self, prefix: str, expressions: Dict[str, Any], name: str, depth: int = 0) -> List[Reference]:
        """Resources an attribute's expression refers to, following `var.x` up through module calls.

        `prefix` is the module instance's address prefix (`module.a["x"].`), which the references take.
        """
        expression = expressions.get(name)
        found: List[Reference] = []
        for text in expression.get("references", []) if isinstance(expression, dict) else []:
            if text.startswith("var.") and prefix and depth < 16:
                parent = _MODULE_SEGMENT_AT_END.sub("", prefix)
                arguments = self.module_arguments.get(_without_keys(prefix), {})
                found.extend(self.references(parent, arguments, text[4:], depth + 1))
                break
            match = _RESOURCE_REFERENCE.match(text)
            if match and match.group(3) and not text.startswith(("local.", "each.", "count.", "path.", "module.")):
                found.append(Reference(prefix + match.group(1), match.group(2), tuple(match.group(3).split(".")),
                                       self._data_name(prefix, match.group(1))))
                break
        return found

    def _data_name(self, prefix: str, address: str) -> Any:
        """A data source's `name` argument as configured (docs/rules.md: its literal arguments are its values)."""
        if not address.startswith("data."):
            return None
        name = self.resources.get(_without_keys(prefix + address), {}).get("name")
        if isinstance(name, dict) and isinstance(name.get("constant_value"), str):
            return name["constant_value"]
        return Unknown(f"{prefix}{address}.name", "is known only after apply", FIX_PLAN)


def _without_keys(address: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", address)


class PlanView:
    """One planned resource, or one of its nested blocks, with the builder's `get`/`nested` interface."""

    def __init__(self, address: str, resource_type: str, values: Dict[str, Any], unknown: Any, config: _Config,
                 expressions: Dict[str, Any], prefix: str, location: Location) -> None:
        self.address, self.type = address, resource_type
        self.values, self.unknown = values or {}, unknown if isinstance(unknown, dict) else {}
        self.config, self.expressions, self.prefix = config, expressions, prefix
        self.location = location
        self.existence: Optional[Unknown] = None

    def get(self, name: str) -> Any:
        value = self.values.get(name)
        if value == "":
            value = None  # the provider plans "" for optional attributes left unset (default_value, unit, ...)
        if value is not None and not self.unknown.get(name):
            return value
        references = self.config.references(self.prefix, self.expressions, name)
        if references:
            return references if isinstance(value, list) or _is_list(self.unknown.get(name)) else references[0]
        if self.unknown.get(name):
            return Unknown(f"{self.address}.{name}", "is known only after apply", FIX_PLAN)
        return None

    def nested(self, name: str) -> List[PlanView]:
        blocks = self.values.get(name) or []
        unknowns = self.unknown.get(name) if isinstance(self.unknown.get(name), list) else []
        nested_expressions = self.expressions.get(name)
        views = []
        for position, block in enumerate(blocks if isinstance(blocks, list) else [blocks]):
            if not isinstance(block, dict):
                continue
            unknown = unknowns[position] if position < len(unknowns) else {}
            expressions = nested_expressions[position] if isinstance(nested_expressions, list) and position < len(
                nested_expressions) else {}
            views.append(PlanView(self.address, self.type, block, unknown, self.config, expressions or {},
                                  self.prefix, self.location))
        return views


def _is_list(value: Any) -> bool:
    return isinstance(value, list)


def _resources(module: Dict[str, Any]) -> Iterator[Dict[str, Any]]:
    yield from module.get("resources", []) or []
    for child in module.get("child_modules", []) or []:
        yield from _resources(child)


def load_plan(path: Path) -> List[PlanView]:
    """The managed resources a plan file will create or keep (a resource being deleted satisfies nothing)."""
    plan = json.loads(path.read_text(encoding="utf-8"))
    config = _Config(plan)
    changes = plan.get("resource_changes", []) or []
    unknown = {c.get("address"): (c.get("change", {}) or {}).get("after_unknown", {}) for c in changes}
    deleted = {c.get("address") for c in changes if (c.get("change", {}) or {}).get("actions") == ["delete"]}
    views = []
    for resource in _resources(plan.get("planned_values", {}).get("root_module", {}) or {}):
        address = str(resource.get("address", ""))
        if resource.get("mode", "managed") != "managed" or address in deleted:
            continue
        prefix = _MODULE_PREFIX.match(address).group(0)
        expressions = config.resources.get(_without_keys(prefix) + f'{resource.get("type")}.{resource.get("name")}',
                                           {})
        views.append(PlanView(address, str(resource.get("type", "")), resource.get("values", {}) or {},
                              unknown.get(address, {}), config, expressions, prefix, Location(str(path), 0, 0)))
    return views
