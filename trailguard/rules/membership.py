"""Which metric filters are about unauthorized API calls (docs/rules.md): only those are judged by TG_AWS_2 and
TG_AWS_3 and can complete the chain. Issue 11 moves this into the control's own module (`trailguard/controls/`)."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import List, Tuple

from trailguard.model import MetricFilter, MetricTransformation, Model, is_unknown
from trailguard.pattern import ast
from trailguard.pattern.errors import PatternError
from trailguard.pattern.parser import iter_nodes, parse

LOG = logging.getLogger("trailguard")
_DENIAL = re.compile(r"unauthorized|accessdenied", re.IGNORECASE)


def is_unauthorized_calls_filter(metric_filter: MetricFilter) -> bool:
    """docs/rules.md: the pattern compares errorCode with a denial code, or a name says "unauthori"."""
    names = [metric_filter.name] + [t.metric_name for t in known_transformations(metric_filter)]
    if any(isinstance(name, str) and "unauthori" in name.lower() for name in names):
        return True
    pattern = metric_filter.pattern
    return isinstance(pattern, str) and _compares_error_code_with_denial(pattern)


def monitoring_filters(model: Model) -> List[MetricFilter]:
    """The subjects of TG_AWS_2 and TG_AWS_3: the unit's filters about unauthorized calls. A filter that cannot be
    classified is judged rather than skipped (never a silent pass)."""
    return [metric_filter for metric_filter in model.filters.values() if _guarded_classify(metric_filter)]


def _guarded_classify(metric_filter: MetricFilter) -> bool:
    try:
        return is_unauthorized_calls_filter(metric_filter)
    except Exception:  # when in doubt, judge it rather than skip it
        LOG.exception("trailguard internal error classifying %s", metric_filter.id)
        return True


def about_unauthorized_calls(metric_filter: MetricFilter) -> bool:
    """A filter the chain must consider: about unauthorized calls, or with a pattern nobody can read yet."""
    return is_unknown(metric_filter.pattern) or is_unauthorized_calls_filter(metric_filter)


@lru_cache(maxsize=1024)
def _compares_error_code_with_denial(pattern: str) -> bool:
    try:
        parsed = parse(pattern)
    except PatternError:
        return "errorcode" in pattern.lower() and bool(_DENIAL.search(pattern))
    return any(
        isinstance(node, (ast.StringMatch, ast.RegexMatch)) and node.selector.steps == ("errorCode",)
        and _DENIAL.search(node.glob if isinstance(node, ast.StringMatch) else node.regex)
        for node in iter_nodes(parsed)
    )


def known_transformations(metric_filter: MetricFilter) -> Tuple[MetricTransformation, ...]:
    return () if is_unknown(metric_filter.transformations) else metric_filter.transformations
