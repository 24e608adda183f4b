"""Every check on one deployment unit: the one entry point both scanner adapters call.

An exception inside a check becomes a FAILED finding that says "internal error" (and is logged with its traceback),
never a silent pass. The CIS version judged is the caller's, else the `TRAILGUARD_CIS_VERSION` environment variable
(how the plain Checkov and cfn-lint paths are configured), else the newest; a version trailguard does not know fails
every check with the list of known versions, rather than judging by the wrong text.
"""

from __future__ import annotations

import importlib
import logging
import os
from typing import Callable, List, Optional

from trailguard.catalog import CHECKS
from trailguard.controls.control import NEWEST, UnknownVersion, check_version
from trailguard.findings import FAILED, Finding
from trailguard.model import Model, Resource
from trailguard.rules.reasons import INTERNAL_ERROR, UNKNOWN_CIS_VERSION
from trailguard.rules.rule import Context, Rule

LOG = logging.getLogger("trailguard")
CIS_VERSION_VARIABLE = "TRAILGUARD_CIS_VERSION"


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


def configured_cis_version() -> Optional[str]:
    """The version the environment asks for (None: the newest)."""
    return os.environ.get(CIS_VERSION_VARIABLE, "").strip() or None


def analyse(model: Model, cis_version: Optional[str] = None) -> List[Finding]:
    """Every finding of every check the catalog declares, for one deployment unit, in catalog order."""
    try:
        version = check_version(cis_version or configured_cis_version())
    except UnknownVersion as error:
        # Nobody can judge by a version that does not exist: every subject fails, saying which versions do.
        reason = UNKNOWN_CIS_VERSION(error=error, variable=CIS_VERSION_VARIABLE)
        return [Finding(found.check_id, found.resource, FAILED, (reason,)) for found in _findings(model, NEWEST)]
    return _findings(model, version)


def _findings(model: Model, version: str) -> List[Finding]:
    findings: List[Finding] = []
    for check_id, check in CHECKS.items():
        rule = rule_of(check_id)
        context = Context(check, version)
        for subject in rule.subjects(model, context):
            findings.append(_guarded(check_id, subject, lambda s=subject, r=rule, c=context: r.check(model, s, c)))
    return findings
