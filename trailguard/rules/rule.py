"""What a check's rule module tells the runner: which resources of a unit it judges, and how.

Each rule module ends with `RULE = Rule(...)`, and the catalog names the module (`Check.rule`), so `analysis.analyse`
runs every check the catalog declares without a list of its own: adding a check is its rule module and its catalog
entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, List

from trailguard.findings import Finding
from trailguard.model import Model, Resource, Trail


@dataclass(frozen=True)
class Rule:
    subjects: Callable[[Model], Iterable[Resource]]
    check: Callable[[Model, Any], Finding]


def trails(model: Model) -> List[Trail]:
    """The subjects of the checks attached to each trail."""
    return list(model.trails.values())
