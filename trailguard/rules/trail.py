"""TG_AWS_1: the trail is multi-region, logging, records management reads and writes and global service events, and
delivers to a CloudWatch Logs group with a role (docs/checks/TG_AWS_1.md)."""

from __future__ import annotations

from typing import Sequence, Tuple

from trailguard.findings import Finding
from trailguard.model import FieldSelector, Model, Trail
from trailguard.rules.outcome import Outcome
from trailguard.rules.reasons import (
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
            reads = reads or selector.read_write_type in ("All", "ReadOnly")
            writes = writes or selector.read_write_type in ("All", "WriteOnly")
    for selector in trail.advanced_selectors:
        if not outcome.require_known(selector.field_selectors, f"advanced event selector {selector.name!r}"):
            return ""
        read, write = _advanced_management(selector.field_selectors)
        reads, writes = reads or read, writes or write
    return " and ".join(kind for kind, recorded in (("reads", reads), ("writes", writes)) if not recorded)


def _advanced_management(conditions: Sequence[FieldSelector]) -> Tuple[bool, bool]:
    """Whether an advanced selector records management reads and writes (AWS: conditions are ANDed)."""
    category = next((c for c in conditions if c.field == "eventCategory"), None)
    if category is None or "Management" not in category.equals:
        return False, False
    reads = writes = True
    for condition in conditions:
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
