"""`--format json`: the report as one JSON object, for scripts (the same units, links and reasons as the text).

The document names the CIS version judged (`cis_version`) and the controls the scan must prove (`controls`). Each
unit's `result` is the worst result of the checks that ran (an advisory failure the scan does not fail on is
`WARNING`); `controls` maps each selected control to PROVEN (a trail of the unit passed its chain check), FAILED,
SKIPPED or NOT PROVEN; `proven` says whether the unit proves every one of them, and `note` what it leaves unproven
("not proven here: no trail in this unit"). The summary maps each control to its verdict over the whole scan.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Dict, Mapping, Optional, Sequence

from trailguard.catalog import CHECKS
from trailguard.scan.chain import UnitChain, blocks, distinct_reasons
from trailguard.scan.coverage import control_statuses, unproven
from trailguard.scan.report import summary
from trailguard.scan.results import FAILED, Result, ScannerError


def _result(result: Result) -> Dict[str, Any]:
    """A result as the text report shows it: a message that only joins other reasons (cfn-lint's) is left out; with
    its check's severity."""
    check = CHECKS.get(result.check_id)
    return {**asdict(result), "reasons": distinct_reasons(result), "severity": check.severity if check else None}


def _unit(unit: UnitChain) -> Dict[str, Any]:
    return {"name": unit.name, "kind": unit.kind, "result": unit.status, "proven": unit.proven,
            "controls": {control: unit.control_status(control) for control in unit.controls},
            "note": unit.note() or None,
            "declared": unit.declared.counts if unit.declared else None,
            "links": [{"link": link.name, "check_ids": list(link.check_ids), "result": link.status or None,
                       "results": [_result(result) for result in link.results]} for link in unit.links]}


def to_json(units: Sequence[UnitChain], errors: Sequence[ScannerError],
            run: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """The report; `run` holds the settings that judged it (`fail_on`, `cis_version`, `controls`, ...), which
    `trailguard merge` reuses."""
    missing = unproven(units)
    document: Dict[str, Any] = {
        "cis_version": run.get("cis_version") if run else None,
        "controls": list(run["controls"]) if run and "controls" in run else None,
        "units": [_unit(unit) for unit in units],
        "errors": [asdict(error) for error in errors],
        "summary": {"units": len(units), "failing_units": sum(unit.status == FAILED for unit in units),
                    "failed_results": sum(blocks(result, unit.fail_on) for unit in units for result in unit.results),
                    "proven_units": sum(unit.proven for unit in units),
                    "controls": control_statuses(units),
                    "unproven_controls": missing,
                    "all_controls_proven": not missing,
                    "text": summary(units, errors)},
    }
    if run is not None:
        document["run"] = dict(run)
    return document
