"""Turn Checkov's vertices into deployment units: a trailguard model plus the vertex of each of its resources.

Terraform HCL and plan JSON are modelled from their source files (Checkov's rendering mangles filter patterns), and
CloudFormation from its template; the vertices only say which files are in scope and where results attach.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from trailguard.model import Model

Vertex = Dict[str, Any]


@dataclass
class Unit:
    """One deployment unit: its model (None when it could not be built) and the vertices its results attach to."""

    name: str
    model: Optional[Model]
    vertices: Dict[str, Vertex] = field(default_factory=dict)
    error: Optional[str] = None

    def vertex_for(self, resource_id: str) -> Tuple[Optional[Vertex], bool]:
        """The vertex a resource's result attaches to, and whether it is the resource's own.

        Checkov leaves a `count`/`for_each` resource unexpanded when it cannot evaluate the collection (a map of
        filter patterns, which its rendering mangles); then every instance's result attaches to that one vertex.
        """
        if resource_id in self.vertices:
            return self.vertices[resource_id], True
        for candidate in (_INSTANCE_KEY_AT_END.sub("", resource_id), _INSTANCE_KEYS.sub("", resource_id)):
            if candidate in self.vertices:
                return self.vertices[candidate], False
        return None, False


_INSTANCE_KEY_AT_END = re.compile(r"\[[^\]]*\]$")
_INSTANCE_KEYS = re.compile(r"\[[^\]]*\]")


def is_resource(vertex: Vertex) -> bool:
    return vertex.get("block_type_") == "resource"


def _kind(vertex: Vertex) -> str:
    if vertex.get("source_") == "CloudFormation":
        return "cloudformation"
    if str(vertex.get("file_path_", "")).endswith(".json") and "__change_actions__" in vertex:
        return "terraform_plan"
    return "terraform"


# Each framework's builder is imported only when its files are scanned, so a fault in one adapter never fails the
# resources of another.
_BUILDERS = {
    "terraform": ("trailguard.integrations.checkov.terraform_units", "terraform_units"),
    "terraform_plan": ("trailguard.integrations.checkov.terraform_units", "plan_units"),
    "cloudformation": ("trailguard.integrations.checkov.cloudformation_units", "cloudformation_units"),
}


def build_units(all_vertices: List[Vertex]) -> List[Unit]:
    """Every deployment unit among the vertices, each built independently so one bad file spoils nothing else."""
    by_kind: Dict[str, List[Vertex]] = {}
    for vertex in all_vertices:
        by_kind.setdefault(_kind(vertex), []).append(vertex)
    units: List[Unit] = []
    for kind, (module, name) in _BUILDERS.items():
        if by_kind.get(kind):
            builder: Callable[[List[Vertex]], List[Unit]] = getattr(importlib.import_module(module), name)
            units.extend(builder(by_kind[kind]))
    return units
