"""TG_AWS_1: the trail is multi-region, logging, records management reads and writes and global service events, and
delivers to a CloudWatch Logs group with a role (docs/checks/TG_AWS_1.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import FrozenSet, List, Sequence, Tuple

from trailguard.controls import CONTROLS
from trailguard.findings import Finding
from trailguard.model import FieldSelector, Model, Trail, is_unknown
from trailguard.rules.outcome import Outcome
from trailguard.rules.reasons import (
    EXCLUDED_SOURCES,
    LOGGING_OFF,
    MANAGEMENT_EVENTS,
    NO_GLOBAL_EVENTS,
    NO_LOG_GROUP,
    NO_LOG_ROLE,
    SINGLE_REGION,
)
from trailguard.rules.rule import Context, Rule, trails
from trailguard.vocabulary import fix


def check_trail(model: Model, trail: Trail, context: Context) -> Finding:
    return trail_outcome(model, trail).finding(context.check.id, trail)


def trail_outcome(model: Model, trail: Trail) -> Outcome:
    """Every reason the trail fails TG_AWS_1 (TG_AWS_4 cites them too)."""
    outcome = Outcome()
    framework = model.framework
    if outcome.require_known(trail.multi_region, "whether the trail is multi-region") and not trail.multi_region:
        outcome.fail(SINGLE_REGION(fix=fix("multi_region", framework)))
    if outcome.require_known(trail.logging, "whether the trail is logging") and not trail.logging:
        outcome.fail(LOGGING_OFF(fix=fix("logging", framework)))
    if (outcome.require_known(trail.global_service_events, "whether global service events are included")
            and not trail.global_service_events):
        outcome.fail(NO_GLOBAL_EVENTS(fix=fix("global_service_events", framework)))
    missing = _missing_management_events(trail, outcome)
    if missing:
        outcome.fail(MANAGEMENT_EVENTS(missing=missing, fix=fix("management_events", framework)))
    left_out = _left_out_sources(trail)
    if left_out:
        outcome.fail(EXCLUDED_SOURCES(sources=str(left_out), controls=", ".join(_controls_needing(left_out)),
                                      fix=fix("excluded_sources", framework)))
    if outcome.require_known(trail.log_group, "the trail's CloudWatch Logs log group"):
        if trail.log_group is None:
            outcome.fail(NO_LOG_GROUP(fix=fix("log_group", framework)))
        elif outcome.require_known(trail.log_role, "the trail's CloudWatch Logs role") and not trail.log_role:
            outcome.fail(NO_LOG_ROLE(fix=fix("log_role", framework)))
    return outcome


def _missing_management_events(trail: Trail, outcome: Outcome) -> str:
    """Which of "reads"/"writes" of management events the trail's selectors leave out ("" when it records both)."""
    if not outcome.require_known(trail.basic_selectors, "the trail's event selectors"):
        return ""
    if not outcome.require_known(trail.advanced_selectors, "the trail's advanced event selectors"):
        return ""
    if not trail.basic_selectors and not trail.advanced_selectors:
        return ""  # CloudTrail's default: all management events, reads and writes
    reads = writes = False
    for selector in trail.basic_selectors:
        if not (outcome.require_known(selector.include_management_events, "include_management_events")
                and outcome.require_known(selector.read_write_type, "read_write_type")):
            return ""
        if selector.include_management_events:
            outcome.require_known(selector.excluded_sources, "the event sources the trail excludes")
            reads = reads or selector.read_write_type in ("All", "ReadOnly")
            writes = writes or selector.read_write_type in ("All", "WriteOnly")
    for selector in trail.advanced_selectors:
        if not outcome.require_known(selector.field_selectors, f"advanced event selector {selector.name!r}"):
            return ""
        read, write = _advanced_management(selector.field_selectors)
        reads, writes = reads or read, writes or write
    return " and ".join(kind for kind, recorded in (("reads", reads), ("writes", writes)) if not recorded)


def _advanced_management(conditions: Sequence[FieldSelector]) -> Tuple[bool, bool]:
    """Whether an advanced selector records management reads and writes (AWS: conditions are ANDed). Which event
    sources it records is `_sources_recorded`'s question."""
    category = next((c for c in conditions if c.field == "eventCategory"), None)
    if category is None or "Management" not in category.equals:
        return False, False
    reads = writes = True
    for condition in conditions:
        if condition.field == "eventSource" and _by_name_only(condition):
            continue
        if condition.field == "readOnly":
            allowed = {"true", "false"}
            if condition.equals:
                allowed &= {value.lower() for value in condition.equals}
            allowed -= {value.lower() for value in condition.not_equals}
            reads, writes = "true" in allowed, "false" in allowed
        elif condition.field not in ("eventCategory",):
            # eventSource, eventName ... conditions narrow what is recorded: management events are only partly kept.
            reads = writes = False
    return reads, writes


RULE = Rule(subjects=trails, check=check_trail)


SIGN_IN = "signin.amazonaws.com"  # the only source of ConsoleLogin events

# Sources: ("except", names) records every source but those; ("only", names) records those alone.
_Recorded = Tuple[str, FrozenSet[str]]


def _by_name_only(condition: FieldSelector) -> bool:
    """An eventSource condition that lists whole names (Equals or NotEquals), which trailguard reads as the sources
    recorded; prefixes and suffixes stay a narrowing it cannot name."""
    return not (condition.starts_with or condition.not_starts_with or condition.ends_with or condition.not_ends_with)


def _sources_recorded(trail: Trail) -> List[_Recorded]:
    """The management-event sources each selector that records management events keeps (none: CloudTrail's default,
    every source)."""
    if is_unknown(trail.basic_selectors) or is_unknown(trail.advanced_selectors):
        return []
    recorded: List[_Recorded] = []
    for selector in trail.basic_selectors:
        if selector.include_management_events is True and not is_unknown(selector.excluded_sources):
            recorded.append(("except", frozenset(selector.excluded_sources)))
    for advanced in trail.advanced_selectors:
        if is_unknown(advanced.field_selectors) or not any(_advanced_management(advanced.field_selectors)):
            continue
        sources = [c for c in advanced.field_selectors if c.field == "eventSource" and _by_name_only(c)]
        only = [frozenset(c.equals) for c in sources if c.equals]
        excluded = frozenset().union(*(c.not_equals for c in sources))
        if only:
            recorded.append(("only", frozenset.intersection(*only) - excluded))
        else:
            recorded.append(("except", excluded))
    return recorded


@dataclass(frozen=True)
class _LeftOut:
    """The event sources no selector records: `names`, or, when `but` is True, every source except `names`."""

    names: FrozenSet[str]
    but: bool = False

    def __bool__(self) -> bool:
        return self.but or bool(self.names)

    def __str__(self) -> str:
        listed = ", ".join(sorted(self.names))
        return ("every event source but " + listed if listed else "every event source") if self.but else listed

    def includes(self, source: str) -> bool:
        return (source not in self.names) if self.but else (source in self.names)


def _left_out_sources(trail: Trail) -> _LeftOut:
    """The event sources whose management events no selector records."""
    recorded = _sources_recorded(trail)
    if not recorded:
        return _LeftOut(frozenset())
    kept = frozenset().union(*(names for kind, names in recorded if kind == "only"))
    excepted = [names for kind, names in recorded if kind == "except"]
    if not excepted:
        return _LeftOut(kept, but=True)
    return _LeftOut(frozenset.intersection(*excepted) - kept)


def _controls_needing(left_out: _LeftOut) -> List[str]:
    """The controls whose events come from a source left out: a control that names its eventSource needs that
    source; sign-ins come only from signin.amazonaws.com; the others count events of every source."""
    needing = []
    for control in CONTROLS:
        own = {name for signal in control.signals if signal.path == ("eventSource",) for name in signal.names}
        if any("ConsoleLogin" in signal.names for signal in control.signals if signal.path == ("eventName",)):
            own = {SIGN_IN}
        if not own or any(left_out.includes(source) for source in own):
            needing.append(control.slug)
    return needing
