"""`--format sarif`: a SARIF 2.1.0 log of the failed (and skipped) results, for code scanning.

Built here rather than taken from Checkov, whose SARIF puts the reasons in `attachments[].description` as a bare
string (not valid SARIF 2.1.0, and not shown by code scanning); here the reason is the result's `message.text`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Sequence

from trailguard.catalog import CHECKS
from trailguard.scan.chain import UnitChain, distinct_reasons
from trailguard.scan.report import summary
from trailguard.scan.results import FAILED, SKIPPED, Result, ScannerError

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/trailguard/trailguard"
_RULE_IDS = list(CHECKS)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("trailguard")
    except PackageNotFoundError:
        return "0+unknown"


def _level(check_id: str) -> str:
    return "warning" if CHECKS[check_id].severity == "LOW" else "error"


def _rules() -> List[Dict[str, Any]]:
    return [{"id": check.id, "name": check.id.replace("_", ""),
             "shortDescription": {"text": check.title},
             "fullDescription": {"text": f"{check.title} (cfn-lint {check.cfn_lint_id}; attached to each "
                                         f"{check.attached_to})"},
             "helpUri": check.guideline, "defaultConfiguration": {"level": _level(check.id)},
             "properties": {"tags": ["security", "cis-aws", "cloudtrail"], "cfn-lint-id": check.cfn_lint_id}}
            for check in CHECKS.values()]


def _uri(file: str) -> Dict[str, str]:
    path = Path(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": path.as_posix(), "uriBaseId": "%SRCROOT%"}


def _result(result: Result) -> Dict[str, Any]:
    physical: Dict[str, Any] = {"artifactLocation": _uri(result.file)}
    if result.line >= 1:
        physical["region"] = {"startLine": result.line}
    text = "; ".join(distinct_reasons(result)) or "the check failed without a reason (please report it)"
    sarif: Dict[str, Any] = {
        "ruleId": result.check_id, "ruleIndex": _RULE_IDS.index(result.check_id), "level": _level(result.check_id),
        "message": {"text": f"{result.resource}: {text}"},
        "locations": [{"physicalLocation": physical,
                       "logicalLocations": [{"name": result.resource, "kind": "resource"}]}],
        "properties": {"unit": result.unit, "scanners": result.scanners},
    }
    if result.result == SKIPPED:
        sarif["suppressions"] = [{"kind": "inSource", "justification": result.skip_reason or "no reason given"}]
    return sarif


def _notifications(errors: Sequence[ScannerError], units: Sequence[UnitChain]) -> List[Dict[str, Any]]:
    """Scanner errors, and a warning when no trail in the scan proves the control: code scanning shows no result
    for a monitoring-only unit, so the run itself must say it proved nothing (exit 3)."""
    notes = [{"level": "error", "message": {"text": f"{e.scanner}: {e.message}"}} for e in errors]
    if units and not any(unit.proven for unit in units):
        notes.append({"level": "warning", "message": {"text": summary(units, errors)}})
    return notes


def to_sarif(results: Sequence[Result], errors: Sequence[ScannerError],
             units: Sequence[UnitChain] = ()) -> Dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "trailguard", "version": _version(), "informationUri": INFORMATION_URI,
                                "rules": _rules()}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
            "invocations": [{
                "executionSuccessful": not errors,
                "toolExecutionNotifications": _notifications(errors, units),
            }],
            "results": [_result(result) for result in results if result.result in (FAILED, SKIPPED)],
        }],
    }
