"""Which CIS monitoring control each metric filter belongs to (docs/rules.md, "Which filters are judged").

The decision is `trailguard.controls.classify`'s (its pattern's comparisons first, its names second); this module
applies it to a unit's filters under the CIS version judged, once per filter. TG_AWS_2 and TG_AWS_3 judge every
filter that belongs to a control; each control's chain check considers the filters of its control, and a filter whose
pattern nobody can read yet (an unresolved input) that names no control may be any control's. A filter that belongs
to none is listed as such by the chain checks, never silently ignored.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import List, Optional, Tuple

from trailguard.controls import UNAUTHORIZED_API_CALLS
from trailguard.controls.classify import Classification, classify
from trailguard.controls.control import Control
from trailguard.model import MetricFilter, MetricTransformation, Model, is_unknown

LOG = logging.getLogger("trailguard")


def classification(metric_filter: MetricFilter) -> Classification:
    """The control the filter belongs to and why. When classifying fails, the filter is taken as the
    unauthorized-calls filter so that it is judged rather than skipped (never a silent pass)."""
    names = [t.metric_name for t in known_transformations(metric_filter) if isinstance(t.metric_name, str)]
    filter_name = metric_filter.name if isinstance(metric_filter.name, str) else ""
    pattern = metric_filter.pattern if isinstance(metric_filter.pattern, str) else None
    try:
        return _classified(pattern, filter_name, names[0] if names else "")
    except Exception:  # when in doubt, judge it rather than skip it
        LOG.exception("trailguard internal error classifying %s", metric_filter.id)
        return Classification(UNAUTHORIZED_API_CALLS, ("trailguard could not classify it, so it is judged",))


@lru_cache(maxsize=4096)
def _classified(pattern: Optional[str], filter_name: str, metric_name: str) -> Classification:
    return classify(pattern, filter_name, metric_name)


def control_of(metric_filter: MetricFilter, cis_version: str) -> Optional[Control]:
    """The control the filter belongs to under a CIS version (a control that version does not have: none)."""
    control = classification(metric_filter).control
    return control if control is not None and control.exists_in(cis_version) else None


def monitoring_filters(model: Model, cis_version: str) -> List[MetricFilter]:
    """The subjects of TG_AWS_2 and TG_AWS_3: the unit's filters that belong to a control (found once per unit and
    version: TG_AWS_2, TG_AWS_3 and TG_AWS_5 all start from them)."""
    key = ("monitoring filters", cis_version)
    if key not in model.memo:
        model.memo[key] = [f for f in model.filters.values() if control_of(f, cis_version) is not None]
    return model.memo[key]


def may_be_about(metric_filter: MetricFilter, control: Control, cis_version: str) -> bool:
    """Whether a control's chain must consider the filter: it belongs to the control, or its pattern is unresolved
    and its names say no other control (it may be the one that holds, so its unresolved input is named)."""
    found = control_of(metric_filter, cis_version)
    return found is control or (found is None and is_unknown(metric_filter.pattern))


def known_transformations(metric_filter: MetricFilter) -> Tuple[MetricTransformation, ...]:
    return () if is_unknown(metric_filter.transformations) else metric_filter.transformations
