"""A template's failed findings placed where cfn-lint shows them (`TemplateMatch`): which check, which resource,
which property path (the catalog's `cfn_lint_property`), and the message (the finding's lines, naming the resource
and the branch).

It imports no scanner, so the cfn-lint rules stay thin; anything that goes wrong while modelling or analysing
becomes a match on every resource a check attaches to, never a silent pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import AbstractSet, Any, List, Mapping, Optional, Sequence, Tuple, Union

from trailguard.catalog import CHECKS
from trailguard.cloudformation.builder import TemplateError, build_models, modelled_resources
from trailguard.cloudformation.nested import SEPARATOR, Loader, deployers
from trailguard.findings import finding_lines
from trailguard.model import Model
from trailguard.rules import analysis

LOG = logging.getLogger("trailguard")

Path = Tuple[Union[str, int], ...]


@dataclass(frozen=True)
class TemplateMatch:
    """A failed finding as cfn-lint reports it: a `RuleMatch(path, message)` of one check's rule."""

    check_id: str
    logical_id: str
    path: Path
    message: str


def _path(check_id: str, logical_id: str, body: Mapping[str, Any], message: str) -> Path:
    if SEPARATOR in logical_id:  # a followed nested stack's resource: the parent's stack resource is where it lives
        return ("Resources", logical_id.split(SEPARATOR, 1)[0])
    properties = body.get("Properties") if isinstance(body.get("Properties"), Mapping) else {}
    check = CHECKS[check_id]
    chosen = check.cfn_lint_property or next(
        (name for name in check.cfn_lint_named_properties if name in message and name in properties), None)
    if chosen is not None:
        return ("Resources", logical_id, "Properties", chosen)
    return ("Resources", logical_id)


def _everywhere(template: Mapping[str, Any], reason: str,
                affected: Optional[AbstractSet[str]] = None) -> List[TemplateMatch]:
    """Every resource a check attaches to (or only the `affected` ones) fails with the same reason, once."""
    problems: List[TemplateMatch] = []
    if not isinstance(template, Mapping):
        return problems
    for logical_id, body in modelled_resources(template).items():
        if affected is not None and logical_id not in affected:
            continue
        for check in CHECKS.values():
            if body.get("Type") in check.cloudformation_types:
                placed = ("Resources", logical_id)
                problems.append(TemplateMatch(check.id, logical_id, placed, f"{logical_id}: {reason}"))
    return problems


def _model_matches(template: Mapping[str, Any], model: Model, prefix: str = "") -> List[TemplateMatch]:
    """The failed findings on the template's resources: all of the model's, or, when the template is a nested stack
    judged in its root's unit, those whose ids carry its `prefix` (stripped)."""
    resources = modelled_resources(template)
    problems = []
    for finding in analysis.analyse(model):
        if finding.passed or not finding.resource.id.startswith(prefix):
            continue
        logical_id = finding.resource.id[len(prefix):]
        message = f"{logical_id}: " + "; ".join(finding_lines(model, finding))
        problems.append(TemplateMatch(finding.check_id, logical_id,
                                _path(finding.check_id, logical_id, resources.get(logical_id, {}), message),
                                message))
    return problems


def template_problems(template: Mapping[str, Any], file: str = "",
                      load: Optional[Loader] = None) -> List[TemplateMatch]:
    """The failed checks of every deployable branch of a template (with the local nested stacks `load` reads); a
    template that a nearby template deploys as a nested stack is judged in that deployment's unit."""
    roots = _deployers(file, load)
    if not roots:
        return _unit_matches(template, file, load, "")
    return [problem for root, prefix in roots for problem in _unit_matches(template, root, load, prefix)]


def _deployers(file: str, load: Optional[Loader]) -> List[Tuple[str, str]]:
    try:
        return deployers(file, load) if file and load is not None else []
    except Exception:  # looking for parents must never cost the template its own verdicts
        LOG.exception("trailguard internal error looking for the templates that deploy %s", file)
        return []


def _root(template: Mapping[str, Any], file: str, load: Optional[Loader], prefix: str) -> Any:
    if not prefix or load is None:
        return template
    try:
        return load(file)
    except Exception as error:  # noqa: BLE001 - any failure to re-read it becomes the unit's visible TemplateError
        raise TemplateError(f"it cannot be read ({error})") from None


def _unit_matches(template: Mapping[str, Any], file: str, load: Optional[Loader], prefix: str) -> List[TemplateMatch]:
    """The template's problems in the unit whose root is `file`: the template itself when `prefix` is empty, else
    the template that deploys it as a nested stack."""
    try:
        return [problem for model in build_models(_root(template, file, load, prefix), file, load)
                for problem in _model_matches(template, model, prefix)]
    except TemplateError as error:
        affected = None if error.affected is None else {logical_id[len(prefix):] for logical_id in error.affected
                                                        if logical_id.startswith(prefix)}
        where = "the template" if not prefix else f"{file}, which deploys it as nested stack {prefix[:-1]}"
        return _everywhere(template, f"trailguard could not analyse {where}: {error}", affected)
    except Exception as error:  # every failure must become a visible result
        LOG.exception("trailguard internal error on %s", file or "a template")
        return _everywhere(template, f"internal error in trailguard ({type(error).__name__}: {error}); "
                                     "please report it")


def matches_for(problems: Sequence[TemplateMatch], check_id: str) -> List[TemplateMatch]:
    return [problem for problem in problems if problem.check_id == check_id]

