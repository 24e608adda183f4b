"""`--format json`: the report as one JSON object, for scripts (the same units, links and reasons as the text)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Dict, Sequence

from trailguard.scan.chain import Unit
from trailguard.scan.findings import FAILED, ScannerError


def to_json(units: Sequence[Unit], errors: Sequence[ScannerError]) -> Dict[str, Any]:
    return {
        "units": [{"name": unit.name, "kind": unit.kind, "result": unit.status,
                   "links": [{"link": link.name, "check_id": link.check_id, "result": link.status or None,
                              "results": [asdict(result) for result in link.results]} for link in unit.links]}
                  for unit in units],
        "errors": [asdict(error) for error in errors],
        "summary": {"units": len(units), "failing_units": sum(unit.status == FAILED for unit in units),
                    "failed_results": sum(result.failed for unit in units for result in unit.results)},
    }
