"""Skips in CloudFormation, written in either scanner's form, honoured for both.

A user who accepts a risk writes one skip: Checkov's (`Metadata: checkov: skip: [{id: TG_AWS_2, comment: ...}]`, or
a `# checkov:skip=TG_AWS_2:...` comment) or cfn-lint's (`Metadata: cfn-lint: config: ignore_checks: [E9102]`, on the
resource or for the whole template). Each scanner honours only its own form, so the other one still fails the check.
`trailguard scan` reads both forms from the template and shows the check as skipped with the reason the user gave
(Checkov's comment) or the Metadata that says so (cfn-lint's ignore has no comment). Checkov's own skips also come
through its report, so its comment forms need no reading here (`Result.absorb` lets a skip win).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from trailguard.catalog import CHECKS
from trailguard.scan.parse import CHECK_OF_RULE, display
from trailguard.scan.results import CFN_TEMPLATE, SKIPPED, Result

Skips = Dict[Tuple[Optional[str], str], str]  # (logical id, or None for the whole template; check id) -> reason


@cache
def _loader() -> Any:
    """PyYAML's safe loader, accepting CloudFormation's short-form intrinsic tags (`!Ref x` read as `x`)."""
    import yaml  # PyYAML comes with both scanners; trailguard's core does not need it

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        """Safe loading that reads a tagged node as the plain node it tags."""

    def untagged(loader: Any, suffix: str, node: Any) -> Any:
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node)
        return loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else loader.construct_scalar(node)

    Loader.add_multi_constructor("!", untagged)
    return Loader


def _load(path: Path) -> Any:
    """The template as plain data, or None when it does not parse (the scanners report that themselves)."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            return yaml.load(text, Loader=_loader())
        except yaml.YAMLError:
            return json.loads(text)  # tab-indented JSON, which PyYAML rejects
    except (OSError, ValueError):
        return None


def _mapping(value: Any, *keys: str) -> Dict[str, Any]:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> List[Any]:
    return value if isinstance(value, list) else []


def _resource_skips(logical_id: str, metadata: Dict[str, Any]) -> Skips:
    skips: Skips = {}
    for key in ("checkov", "bridgecrew"):
        for skip in _list(_mapping(metadata, key).get("skip")):
            if isinstance(skip, dict) and skip.get("id") in CHECKS:
                skips[(logical_id, skip["id"])] = str(skip.get("comment") or "no comment given")
    for rule in _list(_mapping(metadata, "cfn-lint", "config").get("ignore_checks")):
        if rule in CHECK_OF_RULE:  # cfn-lint matches a resource's ignore_checks by the exact rule id
            skips.setdefault((logical_id, CHECK_OF_RULE[rule]),
                             f"cfn-lint ignore_checks {rule} in the Metadata of {logical_id}")
    return skips


def template_skips(path: Path) -> Skips:
    """Every skip a template declares, in either scanner's form."""
    template = _load(path)
    skips: Skips = {}
    for logical_id, resource in _mapping(template, "Resources").items():
        skips.update(_resource_skips(str(logical_id), _mapping(resource, "Metadata")))
    for prefix in _list(_mapping(template, "Metadata", "cfn-lint", "config").get("ignore_checks")):
        # The template's own ignore_checks match by prefix, as cfn-lint's configuration does ("E91" ignores E9101).
        for rule, check_id in CHECK_OF_RULE.items():
            if isinstance(prefix, str) and prefix and rule.startswith(prefix):
                skips[(None, check_id)] = f"cfn-lint ignore_checks {prefix} in the template's Metadata"
    return skips


def apply_skips(results: List[Result], templates: Sequence[Path]) -> List[Result]:
    """Mark each CloudFormation result that a skip of either form covers as skipped, with its reason."""
    by_unit = {display(template): template_skips(template) for template in templates}
    for result in results:
        skips = by_unit.get(result.unit) if result.kind == CFN_TEMPLATE else None
        if not skips:
            continue
        reason = skips.get((result.resource, result.check_id)) or skips.get((None, result.check_id))
        if reason and result.result != SKIPPED:
            result.result, result.skip_reason = SKIPPED, reason
    return results
