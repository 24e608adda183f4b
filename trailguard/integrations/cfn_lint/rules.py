"""trailguard's five checks as cfn-lint rules (E9101-E9104, W9105): thin adapters over `trailguard.rules`.

All five rules see the same template in one run, so the template is modelled and analysed once and each rule picks
its own matches. Each match points at the failing resource (and property, when the finding names one), so
cfn-lint shows the line and resource-level `Metadata: cfn-lint: config: ignore_checks` applies.
"""

from __future__ import annotations

import threading
from typing import Any, Dict, List, Tuple, Type

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from trailguard.catalog import CHECKS, Check
from trailguard.integrations.cfn_lint.matches import TemplateMatch, matches_for, template_problems

_CACHE: List[Tuple[Any, List[TemplateMatch]]] = []
_CACHE_LOCK = threading.Lock()


def _matches(cfn: Any) -> List[TemplateMatch]:
    """The template's problems, computed once per template object (the cached entry keeps it alive, so its id
    cannot be reused by another template while cached)."""
    with _CACHE_LOCK:
        for template, problems in _CACHE:
            if template is cfn.template:
                return problems
        problems = template_problems(cfn.template, str(getattr(cfn, "filename", "") or ""), _load)
        _CACHE[:] = _CACHE[-3:] + [(cfn.template, problems)]
        return problems


def _load(path: str) -> Any:
    """A nested stack's template, read by cfn-lint's own decoder (it knows the YAML short tags)."""
    from cfnlint.decode import decode

    template, matches = decode(path)
    if template is None:
        raise ValueError("; ".join(str(match.message) for match in matches or []) or "not a template")
    return template


class _TrailguardRule(CloudFormationLintRule):
    """What the five rules share; `check_id` says which trailguard check a subclass reports. Not exported, and its
    empty id keeps cfn-lint from registering it should it ever be."""

    id = ""
    check_id = ""
    tags = ["trailguard", "cis", "cloudtrail", "cloudwatch"]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        check = CHECKS[cls.check_id]
        cls.id = check.cfn_lint_id
        cls.shortdesc = check.title
        cls.description = f"{check.title} ({check.id}; attached to each {check.attached_to})"
        cls.source_url = check.guideline

    def match(self, cfn: Any) -> List[RuleMatch]:
        return [RuleMatch(list(problem.path), problem.message) for problem in matches_for(_matches(cfn),
                                                                                          self.check_id)]


def _rule_class(check: Check) -> Type[_TrailguardRule]:
    """The cfn-lint rule of one check, named and described by its catalog entry."""
    return type(check.cfn_lint_rule, (_TrailguardRule,),
                {"check_id": check.id, "__module__": __name__, "__doc__": f"{check.cfn_lint_id}: {check.title}"})


# One rule class per check of the catalog, by class name; `trailguard.cfn_lint_rules` and a clone's plugins/ make
# them members of the module cfn-lint loads.
RULES: Dict[str, Type[_TrailguardRule]] = {check.cfn_lint_rule: _rule_class(check) for check in CHECKS.values()}
