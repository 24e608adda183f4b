"""`--format json`: the report as one JSON object, for scripts (the same units, links and reasons as the text).

Each unit's `result` is the worst result of the checks that ran (an advisory failure the scan does not fail on is
`WARNING`); `proven` says whether a trail of the unit proves the control (TG_AWS_4 passed), and `note` what it leaves
unproven ("not proven here: no trail in this unit").
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Dict, Mapping, Optional, Sequence

from trailguard.catalog import CHECKS
from trailguard.scan.chain import UnitChain, blocks, distinct_reasons
from trailguard.scan.report import summary
from trailguard.scan.results import FAILED, Result, ScannerError


def _result(result: Result) -> Dict[str, Any]:
    """A result as the text report shows it: a message that only joins other reasons (cfn-lint's) is left out; with
    its check's severity."""
    check = CHECKS.get(result.check_id)
    return {**asdict(result), "reasons": distinct_reasons(result), "severity": check.severity if check else None}


def to_json(units: Sequence[UnitChain], errors: Sequence[ScannerError],
            run: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """The report; `run` holds the settings that judged it (`fail_on`, ...), which `trailguard merge` reuses."""
    document = {
        "units": [{"name": unit.name, "kind": unit.kind, "result": unit.status, "proven": unit.proven,
                   "note": unit.note() or None,
                   "declared": unit.declared.counts if unit.declared else None,
                   "links": [{"link": link.name, "check_id": link.check_id, "result": link.status or None,
                              "results": [_result(result) for result in link.results]} for link in unit.links]}
                  for unit in units],
        "errors": [asdict(error) for error in errors],
        "summary": {"units": len(units), "failing_units": sum(unit.status == FAILED for unit in units),
                    "failed_results": sum(blocks(result, unit.fail_on) for unit in units for result in unit.results),
                    "proven_units": sum(unit.proven for unit in units),
                    "control_proven": any(unit.proven for unit in units),
                    "text": summary(units, errors)},
    }
    if run is not None:
        document["run"] = dict(run)
    return document
