"""TG_AWS_4: the whole chain holds for unauthorized API calls, the CIS control itself (docs/checks/TG_AWS_4.md).

It names the first link that breaks, citing that link's own reasons (as data: TG_AWS_4's "filter F: R" is a reason
about filter F whose cause is TG_AWS_2's or TG_AWS_3's reason R), and only the causes on the path to it.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from trailguard.findings import Finding, Reason
from trailguard.model import MetricFilter, Model, Trail
from trailguard.rules import alarm, pattern
from trailguard.rules.blind_spots import blind_spots
from trailguard.rules.links import filters_on
from trailguard.rules.membership import about_unauthorized_calls
from trailguard.rules.outcome import Outcome
from trailguard.rules.reasons import (
    BREAKS_AT_ALARM,
    BREAKS_AT_PATTERN,
    BREAKS_AT_TRAIL,
    FILTER_CAUSE,
    MONITORED_BY,
    NO_FILTER,
    OTHER_FILTERS,
    OTHERS_BREAK_NO_LATER,
    TRAIL_CAUSE,
)
from trailguard.rules.rule import Rule, trails
from trailguard.rules.trail import trail_outcome
from trailguard.vocabulary import fix

CHECK_ID = "TG_AWS_4"

# How far along the chain a filter gets: its pattern (TG_AWS_2) comes before its alarm (TG_AWS_3).
_PATTERN_LINK, _ALARM_LINK, _WHOLE = 0, 1, 2
_LISTED = 5  # names shown of the other filters on a log group; the rest are counted


def _listed(ids: List[str]) -> str:
    shown = ", ".join(ids[:_LISTED])
    return shown + (f" and {len(ids) - _LISTED} more" if len(ids) > _LISTED else "")


def _other_filters(filters: List[MetricFilter]) -> List[Reason]:
    """docs/rules.md: a filter on the trail's log group that belongs to no control is listed as such, never ignored."""
    others = [f.id for f in filters if not about_unauthorized_calls(f)]
    if not others:
        return []
    return [OTHER_FILTERS(count=len(others), filters=_listed(others))]


def _furthest(model: Model, candidates: List[MetricFilter]) -> Tuple[int, MetricFilter, List[Reason]]:
    """The candidate filter that gets furthest along the chain, how far, and the causes that stop it there."""
    best: Optional[Tuple[int, MetricFilter, List[Reason]]] = None
    for metric_filter in candidates:
        judged = pattern.pattern_outcome(metric_filter)
        alarmed, _, _ = alarm.alarm_outcome(model, metric_filter)
        if judged.reasons:
            reached, causes = _PATTERN_LINK, judged.reasons
        elif alarmed.reasons:
            reached, causes = _ALARM_LINK, alarmed.reasons
        else:
            reached, causes = _WHOLE, alarmed.details
        if best is None or reached > best[0]:
            best = (reached, metric_filter, causes)
        if reached == _WHOLE:
            break
    assert best is not None
    return best


def check_chain(model: Model, trail: Trail) -> Finding:
    """Name the first link that breaks, with only the causes on the path to it."""
    outcome = Outcome()
    trail_reasons = trail_outcome(model, trail).reasons
    if trail_reasons:
        outcome.fail(BREAKS_AT_TRAIL())
        outcome.reasons.extend(TRAIL_CAUSE(link="trail", causes=(reason,)) for reason in trail_reasons)
        return outcome.finding(CHECK_ID, trail)
    filters, undecided = filters_on(model, trail.log_group)
    candidates = [f for f in filters if about_unauthorized_calls(f)]
    maybe = [note for metric_filter, note in undecided if about_unauthorized_calls(metric_filter)]
    if not candidates:
        outcome.fail(NO_FILTER(log_group=trail.log_group.describe(), fix=fix("filter", model.framework)))
        outcome.reasons.extend(maybe + _other_filters(filters))
        outcome.reasons.extend(blind_spots(model, "aws_cloudwatch_log_metric_filter"))
        return outcome.finding(CHECK_ID, trail)
    reached, metric_filter, causes = _furthest(model, candidates)
    if reached == _WHOLE:
        outcome.details.append(MONITORED_BY(filter=metric_filter.id, resource=metric_filter.id, causes=tuple(causes)))
        outcome.details.extend(_other_filters(filters))
        return outcome.finding(CHECK_ID, trail)
    others = len(candidates) - 1
    breaks_at = BREAKS_AT_PATTERN if reached == _PATTERN_LINK else BREAKS_AT_ALARM
    outcome.fail(breaks_at(filter=metric_filter.id, others=OTHERS_BREAK_NO_LATER.words(count=others) if others else ""))
    outcome.reasons.extend(FILTER_CAUSE(link="filter", resource=metric_filter.id, causes=(cause,))
                           for cause in causes)
    outcome.reasons.extend(maybe)  # a filter that may be on the log group may be the one that holds
    return outcome.finding(CHECK_ID, trail)


RULE = Rule(subjects=trails, check=check_chain)
