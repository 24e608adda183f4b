"""Which of the selected controls a whole scan proves, for the summary, the exit code and every report format.

A control is proven in the scan when some trail in it passes the control's chain check (in whichever unit); it is
FAILED when a chain check of it fails anywhere (that unit fails the scan anyway), else PROVEN, else SKIPPED when its
chain checks were only skipped, else NOT PROVEN: no trail in the scan proves it (exit 3 unless `--allow-unproven`).
"""

from __future__ import annotations

from typing import Dict, List, Sequence, Tuple

from trailguard.scan.chain import NOT_PROVEN, PROVEN, UnitChain
from trailguard.scan.results import FAILED, SKIPPED


def selected(units: Sequence[UnitChain]) -> Tuple[str, ...]:
    """The controls the scan must prove (every unit holds the same selection)."""
    return units[0].controls if units else ()


def control_statuses(units: Sequence[UnitChain]) -> Dict[str, str]:
    """Each selected control's verdict over the whole scan, in CIS order."""
    statuses: Dict[str, str] = {}
    for control in selected(units):
        found = {unit.control_status(control) for unit in units}
        proven = any(unit.proves(control) for unit in units)
        statuses[control] = (FAILED if FAILED in found else PROVEN if proven else SKIPPED if SKIPPED in found
                             else NOT_PROVEN)
    return statuses


def unproven(units: Sequence[UnitChain]) -> List[str]:
    """The selected controls no trail in the scan proves."""
    return [control for control in selected(units) if not any(unit.proves(control) for unit in units)]
