"""Every check on one deployment unit: the one entry point both scanner adapters call.

An exception inside a check becomes a FAILED finding that says "internal error" (and is logged with its traceback),
never a silent pass.
"""

from __future__ import annotations

import logging
from typing import Callable, Iterable, List

from trailguard.findings import FAILED, Finding
from trailguard.model import MetricFilter, Model, Resource, Topic
from trailguard.rules.alarm import check_alarm
from trailguard.rules.chain import check_chain
from trailguard.rules.membership import is_unauthorized_calls_filter
from trailguard.rules.pattern import check_pattern
from trailguard.rules.reasons import INTERNAL_ERROR
from trailguard.rules.topic import check_subscription, notified_topics
from trailguard.rules.trail import check_trail

LOG = logging.getLogger("trailguard")


def _guarded(check_id: str, resource: Resource, run: Callable[[], Finding]) -> Finding:
    """Never a silent pass: an exception inside a check is a FAILED finding saying "internal error", and logged."""
    try:
        return run()
    except Exception as error:  # every failure must become a visible result
        LOG.exception("trailguard internal error in %s on %s", check_id, resource.id)
        return Finding(check_id, resource, FAILED, (INTERNAL_ERROR(error_type=type(error).__name__, error=error),))


def analyse(model: Model) -> List[Finding]:
    """Every finding of every check for one deployment unit, in a stable order."""
    findings: List[Finding] = []
    for trail in model.trails.values():
        findings.append(_guarded("TG_AWS_1", trail, lambda t=trail: check_trail(model, t)))
        findings.append(_guarded("TG_AWS_4", trail, lambda t=trail: check_chain(model, t)))
    for metric_filter in model.filters.values():
        if _guarded_classify(metric_filter):
            findings.append(_guarded("TG_AWS_2", metric_filter, lambda f=metric_filter: check_pattern(model, f)))
            findings.append(_guarded("TG_AWS_3", metric_filter, lambda f=metric_filter: check_alarm(model, f)))
    try:
        topics: Iterable[Topic] = notified_topics(model).values()
    except Exception:
        LOG.exception("trailguard internal error while finding notified topics")
        topics = model.topics.values()
    for topic in topics:
        findings.append(_guarded("TG_AWS_5", topic, lambda t=topic: check_subscription(model, t)))
    return findings


def _guarded_classify(metric_filter: MetricFilter) -> bool:
    try:
        return is_unauthorized_calls_filter(metric_filter)
    except Exception:  # when in doubt, judge it rather than skip it
        LOG.exception("trailguard internal error classifying %s", metric_filter.id)
        return True
