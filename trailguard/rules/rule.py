"""What a check's rule module tells the runner: which resources of a unit it judges, and how.

Each rule module ends with `RULE = Rule(...)`, and the catalog names the module (`Check.rule`), so `analysis.analyse`
runs every check the catalog declares without a list of its own: adding a check is its rule module and its catalog
entry. One module may serve several checks (the chain module serves one check per control): the `Context` says which
check runs and under which CIS version's texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, List

from trailguard.catalog import Check
from trailguard.controls import by_slug
from trailguard.controls.control import Control
from trailguard.findings import Finding
from trailguard.model import Model, Resource, Trail


@dataclass(frozen=True)
class Context:
    """The check being run and the CIS version whose texts it judges by (docs/rules.md, "CIS version")."""

    check: Check
    cis_version: str

    @property
    def control(self) -> Control:
        """The control whose chain the check proves (only for a chain check)."""
        slug = self.check.chain_control
        if slug is None:
            raise ValueError(f"{self.check.id} is not a chain check")
        return by_slug(slug)


@dataclass(frozen=True)
class Rule:
    subjects: Callable[[Model, Context], Iterable[Resource]]
    check: Callable[[Model, Any, Context], Finding]


def trails(model: Model, context: Context) -> List[Trail]:
    """The subjects of the checks attached to each trail."""
    return list(model.trails.values())
