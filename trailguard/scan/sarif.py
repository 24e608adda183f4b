"""`--format sarif`: a SARIF 2.1.0 log of the failed (and skipped) results, for code scanning.

Each rule carries its severity as GitHub code scanning reads it (`properties.security-severity`, a number: HIGH 8.0,
MEDIUM 5.5, LOW 3.0) and a `help` text with its documentation page; there is a rule for every check of the catalog.
There is one result per finding: a control's chain result (TG_AWS_4, TG_AWS_6 ... TG_AWS_19) says only what no link
result says (as the text report does), so a broken link is reported once, on its own check. The run's properties name
the CIS version judged and each selected control's verdict over the scan.

Built here rather than taken from Checkov, whose SARIF puts the reasons in `attachments[].description` as a bare
string (not valid SARIF 2.1.0, and not shown by code scanning); here the reason is the result's `message.text`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

from trailguard.catalog import CHECKS
from trailguard.controls.control import NEWEST
from trailguard.scan.chain import UnitChain, distinct_reasons, own_reasons
from trailguard.scan.coverage import control_statuses, unproven
from trailguard.scan.report import summary
from trailguard.scan.results import FAILED, SKIPPED, Result, ScannerError
from trailguard.version import installed_version

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/trailguard/trailguard"
_RULE_IDS = list(CHECKS)
# GitHub's bands: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
SECURITY_SEVERITY = {"HIGH": "8.0", "MEDIUM": "5.5", "LOW": "3.0"}


def _level(check_id: str) -> str:
    return "warning" if CHECKS[check_id].severity == "LOW" else "error"


def _rules() -> List[Dict[str, Any]]:
    return [{"id": check.id, "name": check.id.replace("_", ""),
             "shortDescription": {"text": check.title},
             "fullDescription": {"text": f"{check.title} (cfn-lint {check.cfn_lint_id}; attached to each "
                                         f"{check.attached_to})"},
             "helpUri": check.guideline, "defaultConfiguration": {"level": _level(check.id)},
             "help": {"text": f"{check.title}. How to fix it, and how to skip it with a reason: {check.guideline}",
                      "markdown": f"{check.title}. [How to fix it, and how to skip it with a reason]"
                                  f"({check.guideline})"},
             "properties": {"tags": ["security", "cis-aws", "cloudtrail"], "cfn-lint-id": check.cfn_lint_id,
                            "severity": check.severity,
                            "security-severity": SECURITY_SEVERITY[check.severity]}}
            for check in CHECKS.values()]


def _uri(file: str) -> Dict[str, str]:
    path = Path(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": path.as_posix(), "uriBaseId": "%SRCROOT%"}


def _reasons(result: Result, unit: Optional[UnitChain]) -> List[str]:
    """The chain result's own reasons only (the causes other results report are not repeated)."""
    if unit is not None and CHECKS[result.check_id].chain_control and result.failed:
        return own_reasons(result, unit)
    return distinct_reasons(result)


def _result(result: Result, unit: Optional[UnitChain]) -> Dict[str, Any]:
    physical: Dict[str, Any] = {"artifactLocation": _uri(result.file)}
    if result.line >= 1:
        physical["region"] = {"startLine": result.line}
    text = "; ".join(_reasons(result, unit)) or "the check failed without a reason (please report it)"
    sarif: Dict[str, Any] = {
        "ruleId": result.check_id, "ruleIndex": _RULE_IDS.index(result.check_id), "level": _level(result.check_id),
        "message": {"text": f"{result.resource}: {text}"},
        "locations": [{"physicalLocation": physical,
                       "logicalLocations": [{"name": result.resource, "kind": "resource"}]}],
        "properties": {"unit": result.unit, "scanners": result.scanners,
                       "security-severity": SECURITY_SEVERITY[CHECKS[result.check_id].severity]},
    }
    if result.result == SKIPPED:
        sarif["suppressions"] = [{"kind": "external" if result.baseline else "inSource",
                                  "justification": result.skip_reason or "no reason given"}]
    return sarif


def _unique(results: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """One result per finding: the same rule, place and message (a resource two units share) is one result."""
    seen, unique = set(), []
    for result in results:
        key = json.dumps([result["ruleId"], result["locations"], result["message"]], sort_keys=True)
        if key not in seen:
            seen.add(key)
            unique.append(result)
    return unique


def _notifications(errors: Sequence[ScannerError], units: Sequence[UnitChain]) -> List[Dict[str, Any]]:
    """Scanner errors, and a warning when for some control no trail in the scan proves it: code scanning shows no
    result for a monitoring-only unit, so the run itself must say what it did not prove (exit 3)."""
    notes = [{"level": "error", "message": {"text": f"{e.scanner}: {e.message}"}} for e in errors]
    if unproven(units):
        notes.append({"level": "warning", "message": {"text": summary(units, errors)}})
    return notes


def to_sarif(results: Sequence[Result], errors: Sequence[ScannerError], units: Sequence[UnitChain] = (),
             run: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """The log; `run` holds the settings that judged it (its `cis_version` goes into the run's properties)."""
    by_name = {unit.name: unit for unit in units}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "trailguard", "version": installed_version(), "informationUri": INFORMATION_URI,
                                "rules": _rules()}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
            "invocations": [{
                "executionSuccessful": not errors,
                "toolExecutionNotifications": _notifications(errors, units),
            }],
            "results": _unique([_result(result, by_name.get(result.unit)) for result in results
                                if result.result in (FAILED, SKIPPED)]),
            "properties": {"cis-version": (run or {}).get("cis_version") or NEWEST,
                           "controls": control_statuses(units)},
        }],
    }
