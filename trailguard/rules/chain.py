"""The chain checks, one per CIS monitoring control (TG_AWS_4 for unauthorized API calls, TG_AWS_6 ... TG_AWS_19 for
the others; docs/checks/): the trail, a metric filter of the control on its log group, and an alarm that fires on one
event and notifies SNS. This is the CIS control itself.

The control is covered when the filters on the trail's log group that pass TG_AWS_2 and TG_AWS_3 together count
every event of the control (docs/rules.md, "Several filters, one control"); the finding names the filters it used.
Otherwise it names the first link that breaks, citing that link's own reasons (as data: "filter F: R" is a reason
about filter F whose cause is TG_AWS_2's or TG_AWS_3's reason R), and only the causes on the path to it.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from trailguard.findings import Finding, Reason
from trailguard.model import MetricFilter, Model, Trail
from trailguard.pattern.evaluator import matches
from trailguard.pattern.verdict import FAIL, MISS_KINDS
from trailguard.rules import alarm, pattern
from trailguard.rules.blind_spots import blind_spots
from trailguard.rules.links import filters_on
from trailguard.rules.membership import control_of, may_be_about
from trailguard.rules.outcome import Outcome
from trailguard.rules.reasons import (
    BREAKS_AT_ALARM,
    BREAKS_AT_PATTERN,
    BREAKS_AT_TRAIL,
    COUNTEREXAMPLE,
    FILTER_CAUSE,
    MONITORED_BY,
    NO_FILTER,
    OTHER_FILTERS,
    OTHERS_BREAK_NO_LATER,
    TOGETHER_COVER,
    TOGETHER_MISS,
    TRAIL_CAUSE,
)
from trailguard.rules.rule import Context, Rule, trails
from trailguard.rules.trail import trail_outcome
from trailguard.vocabulary import fix

# How far along the chain a filter gets: its pattern (TG_AWS_2) comes before its alarm (TG_AWS_3).
_PATTERN_LINK, _ALARM_LINK, _WHOLE = 0, 1, 2
_LISTED = 5  # names shown of the other filters on a log group; the rest are counted


def _listed(ids: List[str]) -> str:
    shown = ", ".join(ids[:_LISTED])
    return shown + (f" and {len(ids) - _LISTED} more" if len(ids) > _LISTED else "")


def _other_filters(filters: List[MetricFilter], cis_version: str) -> List[Reason]:
    """docs/rules.md: a filter on the trail's log group that belongs to no control is listed as such, never ignored."""
    others = [f.id for f in filters if control_of(f, cis_version) is None and isinstance(f.pattern, str)]
    if not others:
        return []
    return [OTHER_FILTERS(count=len(others), filters=_listed(others))]


def _reach(model: Model, metric_filter: MetricFilter, cis_version: str) -> Tuple[int, List[Reason]]:
    """How far along the chain one filter gets, and the causes that stop it there (or its alarms, when whole)."""
    judged = pattern.pattern_outcome(model, metric_filter, cis_version)
    alarmed, _, _ = alarm.alarm_outcome(model, metric_filter)
    if judged.reasons:
        return _PATTERN_LINK, judged.reasons
    if alarmed.reasons:
        return _ALARM_LINK, alarmed.reasons
    return _WHOLE, alarmed.details


def _furthest(reached: List[Tuple[int, MetricFilter, List[Reason]]]) -> Tuple[int, MetricFilter, List[Reason]]:
    """The candidate that gets furthest along the chain (the first of equals)."""
    best: Optional[Tuple[int, MetricFilter, List[Reason]]] = None
    for found in reached:
        if best is None or found[0] > best[0]:
            best = found
    assert best is not None
    return best


def check_chain(model: Model, trail: Trail, context: Context) -> Finding:
    """The control's chain on one trail: the filters it holds by, or the first link that breaks."""
    control, version, check_id = context.control, context.cis_version, context.check.id
    outcome = Outcome()
    trail_reasons = trail_outcome(model, trail).reasons
    if trail_reasons:
        outcome.fail(BREAKS_AT_TRAIL())
        outcome.reasons.extend(TRAIL_CAUSE(link="trail", causes=(reason,)) for reason in trail_reasons)
        return outcome.finding(check_id, trail)
    filters, undecided = filters_on(model, trail.log_group)
    candidates = [f for f in filters if may_be_about(f, control, version)]
    maybe = [note for metric_filter, note in undecided if may_be_about(metric_filter, control, version)]
    if not candidates:
        outcome.fail(NO_FILTER(control=control.slug, log_group=trail.log_group.describe(),
                               fix=fix("filter", model.framework), pattern=control.canonical))
        outcome.reasons.extend(maybe + _other_filters(filters, version))
        outcome.reasons.extend(blind_spots(model, "aws_cloudwatch_log_metric_filter"))
        return outcome.finding(check_id, trail)
    reached = [(link, metric_filter, causes) for metric_filter in candidates
               for link, causes in [_reach(model, metric_filter, version)]]
    passing = [(metric_filter, causes) for link, metric_filter, causes in reached if link == _WHOLE]
    partial = [(metric_filter, alarmed.details) for link, metric_filter, _ in reached
               if link == _PATTERN_LINK and _only_misses(metric_filter, context)
               for alarmed in [alarm.alarm_outcome(model, metric_filter)[0]] if not alarmed.reasons]
    if passing or len(partial) > 1:
        whole = passing + partial
        unalarmed = [(metric_filter, causes) for link, metric_filter, causes in reached if link == _ALARM_LINK]
        return _whole(trail, context, whole, unalarmed, outcome, filters)
    link, metric_filter, causes = _furthest(reached)
    others = len(candidates) - 1
    breaks_at = BREAKS_AT_PATTERN if link == _PATTERN_LINK else BREAKS_AT_ALARM
    outcome.fail(breaks_at(filter=metric_filter.id, others=OTHERS_BREAK_NO_LATER.words(
        count=others, control=control.slug) if others else ""))
    outcome.reasons.extend(FILTER_CAUSE(link="filter", resource=metric_filter.id, causes=(cause,))
                           for cause in causes)
    outcome.reasons.extend(maybe)  # a filter that may be on the log group may be the one that holds
    return outcome.finding(check_id, trail)


def _only_misses(metric_filter: MetricFilter, context: Context) -> bool:
    """Whether the filter's pattern fails only by events of the control it leaves out: it still counts its share,
    and may cover the control together with other filters."""
    if not isinstance(metric_filter.pattern, str):
        return False
    verdict = pattern.judged(metric_filter.pattern, context.control.target(context.cis_version))
    return verdict.status == FAIL and not verdict.error and bool(verdict.misses) and not verdict.noise


def _whole(trail: Trail, context: Context, whole: List[Tuple[MetricFilter, List[Reason]]],
           unalarmed: List[Tuple[MetricFilter, List[Reason]]], outcome: Outcome,
           filters: List[MetricFilter]) -> Finding:
    """The filters with a working alarm whose patterns count only the control's events (a filter passes TG_AWS_2
    alone when its siblings cover what it leaves out, but only the siblings with a working alarm count here): the
    control holds when together they count every event of it. When they do not, a filter that counts the missed
    events but whose alarm fails is the link to fix, and is named with its alarm's causes."""
    control, version = context.control, context.cis_version
    used = [metric_filter for metric_filter, _ in whole]
    together = pattern.judged_together([str(f.pattern) for f in used], control, version)
    if together.ok:
        outcome.details.extend(MONITORED_BY(filter=f.id, resource=f.id, causes=tuple(causes)) for f, causes in whole)
        if len(used) > 1:
            outcome.details.append(TOGETHER_COVER(filters=", ".join(f.id for f in used), control=control.slug))
        outcome.details.extend(_other_filters(filters, version))
        return outcome.finding(context.check.id, trail)
    missed = [example for example in together.counterexamples if example.kind in MISS_KINDS]
    counting = [(f, causes) for f, causes in unalarmed
                if isinstance(f.pattern, str) and missed and all(matches(f.pattern, e.event) for e in missed)]
    if counting:
        metric_filter, causes = counting[0]
        outcome.fail(BREAKS_AT_ALARM(filter=metric_filter.id, others=""))
        outcome.reasons.extend(FILTER_CAUSE(link="filter", resource=metric_filter.id, causes=(cause,))
                               for cause in causes)
    else:
        outcome.fail(TOGETHER_MISS(filters=", ".join(f.id for f in used), control=control.slug))
    outcome.reasons.extend(COUNTEREXAMPLE(sentence=example.sentence, evidence=example.event) for example in missed)
    return outcome.finding(context.check.id, trail)


def _chain_subjects(model: Model, context: Context) -> List[Trail]:
    """Every trail, under a CIS version that has the control (organizations changes first appear in v1.3)."""
    return trails(model, context) if context.control.exists_in(context.cis_version) else []


RULE = Rule(subjects=_chain_subjects, check=check_chain)
