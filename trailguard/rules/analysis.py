"""Every check on one deployment unit: the one entry point both scanner adapters call.

An exception inside a check becomes a FAILED finding that says "internal error" (and is logged with its traceback),
never a silent pass.
"""

from __future__ import annotations

import importlib
import logging
from typing import Callable, List

from trailguard.catalog import CHECKS
from trailguard.findings import FAILED, Finding
from trailguard.model import Model, Resource
from trailguard.rules.reasons import INTERNAL_ERROR
from trailguard.rules.rule import Rule

LOG = logging.getLogger("trailguard")


def _guarded(check_id: str, resource: Resource, run: Callable[[], Finding]) -> Finding:
    """Never a silent pass: an exception inside a check is a FAILED finding saying "internal error", and logged."""
    try:
        return run()
    except Exception as error:  # every failure must become a visible result
        LOG.exception("trailguard internal error in %s on %s", check_id, resource.id)
        return Finding(check_id, resource, FAILED, (INTERNAL_ERROR(error_type=type(error).__name__, error=error),))


def rule_of(check_id: str) -> Rule:
    """The rule the catalog names for a check (`Check.rule`, a module of `trailguard.rules` ending in `RULE`)."""
    return importlib.import_module(f"trailguard.rules.{CHECKS[check_id].rule}").RULE


def analyse(model: Model) -> List[Finding]:
    """Every finding of every check the catalog declares, for one deployment unit, in catalog order."""
    findings: List[Finding] = []
    for check_id in CHECKS:
        rule = rule_of(check_id)
        for subject in rule.subjects(model):
            findings.append(_guarded(check_id, subject, lambda s=subject, r=rule: r.check(model, s)))
    return findings
