"""trailguard's five checks as Checkov Python graph checks.

All five run on the same graph, in parallel threads: the analysis runs once per graph and each check picks its
findings. `run()` never raises (Checkov silently drops every result of a graph check that raises) and never
returns UNKNOWN (Checkov drops those too): anything that goes wrong is a FAILED result saying "internal error".
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Tuple

from checkov.common.bridgecrew.severities import BcSeverities, Severities
from checkov.common.graph.checks_infra.base_check import BaseGraphCheck
from checkov.common.models.enums import CheckCategories

from trailguard.catalog import CHECKS, Check
from trailguard.findings import Finding, finding_lines
from trailguard.integrations.checkov import details
from trailguard.integrations.checkov.graph import vertices
from trailguard.integrations.checkov.units import Unit, Vertex, build_units, is_resource
from trailguard.rules.analysis import analyse

LOG = logging.getLogger("trailguard")

Results = Dict[str, Tuple[List[Vertex], List[Vertex]]]

_CACHE: List[Tuple[Any, Results]] = []
_CACHE_LOCK = threading.Lock()


def vertex_type(vertex: Vertex) -> str:
    return str(vertex.get("resource_type") or str(vertex.get("block_name_", "")).split(".", 1)[0])


def _results(graph: Any) -> Results:
    """The passed and failed vertices of every check, computed once per graph."""
    with _CACHE_LOCK:
        for cached_graph, results in _CACHE:
            if cached_graph is graph:
                return results
        with _collector_paused():
            results = _evaluate([v for v in vertices(graph) if is_resource(v)])
        _CACHE[:] = _CACHE[-3:] + [(graph, results)]
        return results


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while trailguard analyses a graph.

    The analysis allocates many short-lived parse trees; each burst triggers collections, and a full collection
    walks Checkov's whole heap (millions of objects on a large scan), so the cost grew with the scan, not with
    trailguard's work. Nothing the analysis builds is cyclic garbage that must be reclaimed meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_NAMED_PASSES = 3  # passing instances of one unexpanded vertex shown by name; more are counted


@dataclass
class _Attached:
    """What one check says about one vertex: its own finding, or those of the instances sharing it.

    Failing instances are each named; passing ones are named up to `_NAMED_PASSES` and counted beyond, so a
    `for_each` over thousands of instances does not print thousands of "passed" lines.
    """

    vertex: Vertex
    passed: bool = True
    lines: List[str] = field(default_factory=list)
    passes: List[Tuple[str, List[str]]] = field(default_factory=list)

    def add(self, passed: bool, lines: List[str], instance: Optional[str] = None) -> None:
        self.passed = self.passed and passed
        if instance is not None and passed:
            self.passes.append((instance, lines))
            return
        prefix = f"{instance}: " if instance is not None else ""
        self.lines += [line for line in (prefix + line for line in lines) if line not in self.lines]

    def report(self) -> List[str]:
        if len(self.passes) <= _NAMED_PASSES:
            named = [f"{instance}: {line}" for instance, lines in self.passes for line in lines or ["passed"]]
            return self.lines + [line for line in named if line not in self.lines]
        first = ", ".join(instance for instance, _ in self.passes[:_NAMED_PASSES])
        return self.lines + [f"{len(self.passes)} instances passed: {first} and "
                             f"{len(self.passes) - _NAMED_PASSES} more"]


def _evaluate(resource_vertices: List[Vertex]) -> Results:
    outcome: Dict[Tuple[str, int], _Attached] = {}

    def record(check_id: str, vertex: Vertex, passed: bool, lines: List[str], instance: Optional[str] = None) -> None:
        outcome.setdefault((check_id, id(vertex)), _Attached(vertex)).add(passed, lines, instance)

    try:
        units = build_units(resource_vertices)
    except Exception as error:  # never a silent pass
        LOG.exception("trailguard internal error while reading the scanned files")
        units = [Unit("scan", None, {str(id(v)): v for v in resource_vertices}, _internal(error))]
    for unit in units:
        if unit.model is None:
            _fail_unit(unit, record)
            continue
        try:
            findings = analyse(unit.model)
        except Exception as error:
            LOG.exception("trailguard internal error analysing %s", unit.name)
            _fail_unit(Unit(unit.name, None, unit.vertices, _internal(error)), record)
            continue
        for finding in findings:
            _attach(unit, finding, record)
    results: Results = {check_id: ([], []) for check_id in CHECKS}
    for (check_id, _), attached in outcome.items():
        details.remember(check_id, attached.vertex, attached.report())
        results[check_id][0 if attached.passed else 1].append(attached.vertex)
    return results


def _internal(error: Exception) -> str:
    """The reason for a failure of trailguard's own code, in the words users and tests look for."""
    return f"internal error ({type(error).__name__}: {error}); please report it"


def _attach(unit: Unit, finding: Finding, record: Any) -> None:
    vertex, own = unit.vertex_for(finding.resource.id)
    if vertex is None:
        # A resource in a file this runner does not scan (a .tf.json beside .tf files: Checkov reads those in its
        # terraform_json runner, which reports them) is expected; anything else is worth an error in the log.
        scanned = {os.path.abspath(str(v.get("file_path_", ""))) for v in unit.vertices.values()}
        log = LOG.error if os.path.abspath(finding.resource.location.file) in scanned else LOG.debug
        log("trailguard: %s for %s in %s has no Checkov resource to attach to: %s", finding.check_id,
            finding.resource.id, unit.name, finding.message())
        return
    # Several instances may share one unexpanded vertex: then each is recorded as an instance.
    record(finding.check_id, vertex, finding.passed, finding_lines(unit.model, finding),
           None if own else finding.resource.id)


def _fail_unit(unit: Unit, record: Any) -> None:
    """A unit trailguard could not model: every resource a check attaches to fails, saying why."""
    reason = unit.error or "unknown error"
    for vertex in unit.vertices.values():
        for check in CHECKS.values():
            if vertex_type(vertex) in check.resource_types:
                record(check.id, vertex, False, [f"trailguard could not analyse {unit.name}: {reason}"])


class TrailguardCheck(BaseGraphCheck):
    """One of the five checks; they share the analysis of the graph."""

    def __init__(self, check: Check) -> None:
        super().__init__()
        self.id = check.id
        self.name = check.title
        self.category = CheckCategories.LOGGING
        self.severity = Severities[getattr(BcSeverities, check.severity)]
        self.guideline = check.guideline
        self.resource_types = list(check.resource_types)

    def run(self, graph_connector: Any) -> Tuple[List[Vertex], List[Vertex], List[Vertex]]:
        try:
            passed, failed = _results(graph_connector)[self.id]
            return list(passed), list(failed), []
        except Exception as error:  # an exception here would make Checkov drop the check silently
            LOG.exception("trailguard internal error in %s", self.id)
            return [], self._everything_failed(graph_connector, error), []

    def _everything_failed(self, graph: Any, error: Exception) -> List[Vertex]:
        try:
            failed = [v for v in vertices(graph) if is_resource(v) and vertex_type(v) in CHECKS[self.id].resource_types]
        except Exception:
            LOG.exception("trailguard cannot even list the graph's vertices")
            return []
        for vertex in failed:
            details.remember(self.id, vertex, [f"internal error in trailguard ({type(error).__name__}: {error}); "
                                               "please report it"])
        return failed
