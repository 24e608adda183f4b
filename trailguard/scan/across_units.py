"""`trailguard scan` across deployment units (issue 13, docs/cross-unit.md): the scanners judge one unit at a time,
so a trail whose log group, filters and alarms live in another unit fails its chain there. Here the scan's units are
modelled from the files (no scanner), and

- a trail whose chain failed is linked to the units holding its log group when the link is proven (same account and
  region) or declared in the configuration; its chain checks are then judged again on the joined model, and each
  result says where the link was proven. Without proof the chain stays failed, and the reason names the units that
  hold a log group of that name and how to prove or declare the link;
- a unit with no trail of its own, deploying to an account of a declared organization, is covered by a proven
  organization trail of the scan: it gets that trail's passing chain results, saying which trail and unit cover it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Collection, Dict, List, Sequence, Set, Tuple

from trailguard.model import Ref
from trailguard.rules.links import filters_on
from trailguard.scan.discover import called_modules, cloudformation_templates, is_terraform, walk_files
from trailguard.scan.parse import display
from trailguard.scan.results import CFN_TEMPLATE, PASSED, PLAN_FILE, SKIPPED, TERRAFORM_ROOT, Result
from trailguard.scan.runner import Scan
from trailguard.scan.settings import UNIT_KEYS, SettingsError, find_config, read_keys
from trailguard.units.cloudformation import stack_set_targets
from trailguard.units.declared import DeclarationError, Declarations, read_declarations
from trailguard.units.links import HOW_TO_LINK, Candidate, declaration_hint, links_of
from trailguard.units.organization import coverage
from trailguard.units.proof import CHAIN_CHECKS, joined_verdicts
from trailguard.units.unit import PLAN, ROOT, TEMPLATE, Unit

LOG = logging.getLogger("trailguard")
SCANNER = "trailguard"  # the results this module decides are trailguard's own, not a scanner's
MAX_CANDIDATES = 3
FILTER_TYPES = ("aws_cloudwatch_log_metric_filter", "AWS::Logs::MetricFilter")


def declarations(args: Any) -> Declarations:
    """The configuration file's `links`, `targets` and `organization`; a mistake there is a usage error."""
    path = find_config(getattr(args, "config", None), [str(path) for path in args.paths])
    if path is None:
        first = Path(args.paths[0]) if args.paths else Path(".")
        return Declarations(base=(first if first.is_dir() else first.parent).resolve())
    try:
        return read_declarations(read_keys(path, UNIT_KEYS), path)
    except DeclarationError as error:
        raise SettingsError(str(error)) from None


def scan_units(paths: Sequence[Path], left_out: Collection[str], declared: Declarations) -> List[Unit]:
    """Every deployment unit under the paths, named as the report names it, with the targets the configuration and
    the StackSets give the templates."""
    files = [file for file in walk_files(paths) if os.path.abspath(file) not in left_out]
    directories = sorted({file.parent.resolve() for file in files if file.name.endswith((".tf", ".tf.json"))})
    called: Set[Path] = set().union(*(called_modules(directory) for directory in directories))
    units = [Unit(display(directory), ROOT, directory, TERRAFORM_ROOT) for directory in directories
             if directory not in called]
    units += [Unit(display(file), PLAN, file.resolve(), PLAN_FILE) for file in files
              if file.suffix.lower() == ".json" and not file.name.endswith(".tf.json") and is_terraform(file)]
    templates = cloudformation_templates(files)
    units += [Unit(display(file), TEMPLATE, file.resolve(), CFN_TEMPLATE) for file in templates]
    given = {**stack_set_targets(templates), **declared.targets}
    for unit in units:
        if unit.path in given:
            unit.with_target(given[unit.path])
    return units


def _candidate_reason(home: Unit, trail_id: str, candidates: Sequence[Candidate], base: Path) -> str:
    shown = ", ".join(f"unit {candidate.unit.name} ({candidate.why})" for candidate in candidates[:MAX_CANDIDATES])
    more = " and other units" if len(candidates) > MAX_CANDIDATES else ""
    first = candidates[0]
    return (f"a log group named {first.log_group} is also in {shown}{more}; trailguard links units only on proof, "
            "so the chain fails closed here: " + HOW_TO_LINK.format(
                declaration=declaration_hint(base, home, trail_id, first.unit, first.log_group)))


def _worth_modelling(home: Unit, trail_id: str, units: Sequence[Unit], declared: Declarations) -> bool:
    """Whether a failed trail may be linked, or wants candidates, judged before its unit is modelled (a scan of many
    units with failing trails would otherwise model them all): a link is declared for it; or another unit states
    where it deploys and the trail's log group may be placed (its unit states its own target, or its files hold a
    log group ARN); or its unit declares no metric filter at all (then the candidates are the lead)."""
    if any(link.trail_unit == home.path.resolve() and link.trail == trail_id for link in declared.links):
        return True
    if (home.target.known or home.mentions(":logs:")) and any(unit.target.known for unit in units if unit is not home):
        return True
    return not any(home.mentions(kind) for kind in FILTER_TYPES)


def _link_trail(results: List[Result], home: Unit, trail_id: str, units: Sequence[Unit], declared: Declarations,
                cis_version: Any) -> None:
    """Judge a trail's failed chain checks again with the units it is proven to be linked to (or name the candidates
    in its reasons)."""
    if not _worth_modelling(home, trail_id, units, declared):
        return
    model = next((model for model in home.models if trail_id in model.trails), None)
    if model is None:
        return
    trail = model.trails[trail_id]
    # Only a trail whose own unit has no filter on its log group gets candidates: elsewhere a same-named group is no
    # lead.
    alone = isinstance(trail.log_group, Ref) and not filters_on(model, trail.log_group)[0]
    links, candidates = links_of(trail, model, home, units, declared, MAX_CANDIDATES + 1 if alone else 0)
    mine = [index for index, result in enumerate(results) if result.unit == home.name
            and result.resource == trail_id and result.check_id in CHAIN_CHECKS and result.failed]
    if links:
        verdicts = joined_verdicts(trail, home, links, cis_version)
        proven = [f"linked across units: {link.describe()}" for link in links]
        for index in mine:
            verdict = verdicts.get(results[index].check_id)
            if verdict is not None:
                results[index] = replace(results[index], result=verdict.result, reasons=proven + verdict.reasons,
                                         scanners=results[index].scanners + [SCANNER])
    elif candidates:
        reason = _candidate_reason(home, trail_id, candidates, declared.base)
        for index in mine:
            results[index] = replace(results[index], reasons=results[index].reasons + [reason])


def _covered(results: List[Result], units: Sequence[Unit], declared: Declarations) -> List[Result]:
    """The results an organization trail's passing chain gives the member units it covers."""
    by_trail: Dict[Tuple[str, str], List[Result]] = {}
    for result in results:
        if result.check_id in CHAIN_CHECKS and result.result == PASSED:
            by_trail.setdefault((result.unit, result.resource), []).append(result)
    kinds = {unit.name: unit.kind for unit in units}
    added = []
    for name, covers in sorted(coverage(units, declared).items()):
        for cover in covers:
            for passed in by_trail.get((cover.home.name, cover.trail.id), []):
                added.append(Result(unit=name, kind=kinds[name], check_id=passed.check_id,
                                    resource=cover.describe(), file=passed.file, line=passed.line,
                                    result=PASSED, reasons=[cover.why],
                                    scanners=[SCANNER]))
    return added


def prove(paths: Sequence[Path], outcome: Scan, left_out: Collection[str], args: Any) -> List[Result]:
    """The scan's results with the cross-unit proof applied (the scanners' own results when there is nothing to
    link: no failed chain and no organization declared). An internal error here leaves the scanners' results as
    they are, which claim nothing across units (fail closed), and is logged and noted."""
    declared = declarations(args)
    try:
        return _proven(paths, outcome, left_out, args, declared)
    except Exception as error:  # the scanners' own verdicts stand; nothing is claimed across units
        LOG.exception("trailguard internal error in the cross-unit proof")
        outcome.notes.append(f"internal error in the cross-unit proof ({type(error).__name__}: {error}); no link "
                             "between units was followed, please report it")
        return list(outcome.results)


def _proven(paths: Sequence[Path], outcome: Scan, left_out: Collection[str], args: Any,
            declared: Declarations) -> List[Result]:
    results = list(outcome.results)
    failed = sorted({(result.unit, result.resource) for result in results
                     if result.check_id in CHAIN_CHECKS and result.failed and result.result != SKIPPED})
    if not failed and declared.organization is None:
        return results
    unreadable = {error.file for error in outcome.errors if error.file}
    units = [unit for unit in scan_units(paths, left_out, declared) if unit.name not in unreadable]
    by_name = {unit.name: unit for unit in units}
    for unit_name, trail_id in failed:
        if unit_name in by_name:
            _link_trail(results, by_name[unit_name], trail_id, units, declared, getattr(args, "cis_version", None))
    return results + _covered(results, units, declared)
