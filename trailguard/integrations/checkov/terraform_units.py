"""Checkov vertices -> deployment units, for Terraform HCL (one unit per root module) and plan JSON (per file)."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from trailguard.integrations.checkov.units import _INSTANCE_KEYS, Unit, Vertex
from trailguard.terraform.builder import build_model
from trailguard.terraform.hcl import HclError
from trailguard.terraform.roots import root_model
from trailguard.terraform.stack import SEPARATOR

LOG = logging.getLogger("trailguard")


def root_directory(vertex: Vertex) -> Path:
    """The root module a vertex belongs to: its own directory, or that of the outermost module call."""
    module: Any = vertex.get("source_module_object_")
    if module is None:
        return _directory_of(str(vertex.get("file_path_", "")))
    while getattr(module, "nested_tf_module", None) is not None:
        module = module.nested_tf_module
    return _directory_of(str(module.path))


@lru_cache(maxsize=4096)
def _directory_of(file: str) -> Path:
    """The resolved directory of a file (every resource of a root asks for the same few; resolving is syscalls)."""
    return Path(file).resolve().parent


class TerraformUnit(Unit):
    """A Terraform unit, where two kinds of resources have no Checkov resource of their own, and attach to another
    (each line naming the resource, so nothing in scope vanishes from Checkov's report): a resource of a
    CloudFormation stack's template (`<stack address>/<logical id>`) to the stack's; and a resource whose count or
    for_each trailguard could not compute, though Checkov expanded it (`x` against `x[0]`), to its first instance's.
    """

    def vertex_for(self, resource_id: str) -> Tuple[Optional[Vertex], bool]:
        vertex, own = super().vertex_for(resource_id)
        if vertex is None and SEPARATOR in resource_id:
            vertex, _ = super().vertex_for(resource_id.split(SEPARATOR, 1)[0])
        if vertex is None:
            vertex = next((self.vertices[address] for address in sorted(self.vertices)
                           if _INSTANCE_KEYS.sub("", address) == resource_id), None)
        return vertex, own


def _address(vertex: Vertex) -> str:
    return str(vertex.get("__address__") or vertex.get("id_") or vertex.get("block_name_"))


def terraform_units(vertices: List[Vertex]) -> List[Unit]:
    """One unit per root module: links are followed within a root and its children, never across roots. A root's
    model is built once per process and reused by every runner and graph that scans it (`terraform.roots`)."""
    by_root: Dict[Path, Dict[str, Vertex]] = {}
    for vertex in vertices:
        by_root.setdefault(root_directory(vertex), {})[_address(vertex)] = vertex
    units = []
    for root, root_vertices in sorted(by_root.items()):
        try:
            units.append(TerraformUnit(str(root), root_model(root), root_vertices))
        except HclError as error:  # a block trailguard needs is not valid HCL: the whole root fails, saying where
            units.append(Unit(str(root), None, root_vertices, str(error)))
        except Exception as error:  # the unit fails visibly; other roots are still judged
            LOG.exception("trailguard internal error reading %s", root)
            units.append(Unit(str(root), None, root_vertices, f"internal error ({type(error).__name__}: {error})"))
    return units


def plan_units(vertices: List[Vertex]) -> List[Unit]:
    from trailguard.terraform.plan import load_plan

    by_file: Dict[Path, Dict[str, Vertex]] = {}
    for vertex in vertices:
        by_file.setdefault(Path(str(vertex.get("file_path_", ""))).resolve(), {})[_address(vertex)] = vertex
    units = []
    for file, file_vertices in sorted(by_file.items()):
        try:
            views = load_plan(file)
            units.append(TerraformUnit(str(file), build_model(views, str(file), []), file_vertices))
        except Exception as error:
            LOG.exception("trailguard internal error reading %s", file)
            units.append(Unit(str(file), None, file_vertices, f"internal error ({type(error).__name__}: {error})"))
    return units
