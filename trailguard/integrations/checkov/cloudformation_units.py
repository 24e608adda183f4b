"""CloudFormation vertices of Checkov's graph -> deployment units (one per template and condition branch).

Checkov's vertices carry partly rendered values (parameter defaults, but not `Fn::Join`, `Fn::If` or pseudo
parameters), so each template is re-read with Checkov's own CloudFormation parser (it knows the YAML short tags)
and modelled by `builder`; the vertices only say which templates are in scope and where results attach.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, List, Optional, Tuple

from trailguard.cloudformation.builder import TemplateError, build_models
from trailguard.cloudformation.nested import SEPARATOR, deployers
from trailguard.integrations.checkov.units import Unit, Vertex

LOG = logging.getLogger("trailguard")


def _logical_id(vertex: Vertex) -> str:
    """`block_name_` is "AWS::Type.LogicalId"; logical ids contain no dots."""
    return str(vertex.get("block_name_", "")).rsplit(".", 1)[-1]


def _load(path: str) -> Any:
    from checkov.cloudformation.parser import parse

    errors: Dict[str, str] = {}
    template, _ = parse(path, errors)
    if template is None:
        # Checkov words it "Parsing error in file: <path> - <why>"; the unit already names the file.
        why = errors.get(path, "").split(f"{path} - ", 1)[-1]
        raise TemplateError(f"it cannot be parsed as a CloudFormation template ({why})" if why else
                            "it cannot be parsed as a CloudFormation template")
    return template


def _template_units(path: str, vertices: List[Vertex]) -> List[Unit]:
    """The template's units: its own, or, when a nearby template deploys it as a nested stack, that deployment's
    (its vertices keyed by their ids there, `Stack/LogicalId`)."""
    try:
        roots = deployers(path, _load)
    except Exception:  # looking for parents must never cost the template its own verdicts
        LOG.exception("trailguard internal error looking for the templates that deploy %s", path)
        roots = []
    if not roots:
        return _units(path, path, "", vertices)
    return [unit for root, prefix in roots for unit in _units(path, root, prefix, vertices)]


def _units(path: str, root: str, prefix: str, vertices: List[Vertex]) -> List[Unit]:
    by_id = {prefix + _logical_id(vertex): vertex for vertex in vertices}
    name = f"{path} (deployed by {root} as nested stack {prefix[:-1]})" if prefix else path
    try:
        models = build_models(_load(root), root, _load)
    except TemplateError as error:
        affected = by_id if error.affected is None else {key: by_id[key] for key in error.affected if key in by_id}
        return [Unit(name, None, affected, str(error))]
    except Exception as error:  # never a silent pass: every attached resource fails, saying why
        LOG.exception("trailguard internal error while modelling %s", root)
        return [Unit(name, None, by_id, f"internal error ({type(error).__name__}: {error})")]
    return [_TemplateUnit(f"{name} ({model.branch})" if model.branch else name, model, by_id) for model in models]


class _TemplateUnit(Unit):
    """A template's unit: the resources of a followed nested stack attach to the innermost stack resource among
    the unit's vertices, each result naming its resource (`Monitoring/Trail`), as the instances of an unexpanded
    Terraform resource do."""

    def vertex_for(self, resource_id: str) -> Tuple[Optional[Vertex], bool]:
        vertex, own = super().vertex_for(resource_id)
        stack = resource_id
        while vertex is None and SEPARATOR in stack:
            stack = stack.rsplit(SEPARATOR, 1)[0]
            vertex, own = super().vertex_for(stack)[0], False
        return vertex, own


def cloudformation_units(vertices: List[Vertex]) -> List[Unit]:
    """One unit per (template, branch); a template that cannot be modelled gives one unit with its error."""
    by_file: Dict[str, List[Vertex]] = {}
    for vertex in vertices:
        by_file.setdefault(os.path.abspath(str(vertex.get("file_path_", ""))), []).append(vertex)
    units: List[Unit] = []
    for path, file_vertices in sorted(by_file.items()):
        units.extend(_template_units(path, file_vertices))
    return units
