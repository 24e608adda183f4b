"""What the adapter could not read or left out, shown beside a missing link because the link may be there."""

from __future__ import annotations

import re
from typing import List

from trailguard.findings import Reason
from trailguard.model import Model
from trailguard.rules.reasons import BLIND_SPOT, MORE_BLIND_SPOTS

# The Terraform types of the chain's resources; a blind spot naming one of them is about that link only.
_CHAIN_TYPES = {"aws_cloudtrail", "aws_cloudwatch_log_group", "aws_cloudwatch_log_metric_filter",
                "aws_cloudwatch_metric_alarm", "aws_sns_topic", "aws_sns_topic_subscription"}
_NAMED_TYPE = re.compile(r"\b(aws_[a-z0-9_]+)\.[A-Za-z_]")
_SPOTS_SHOWN = 10


def blind_spots(model: Model, missing: str) -> List[Reason]:
    """The blind spots that may be where the missing link (of Terraform type `missing`) is: an unreadable file, a
    registry module, a nested stack, a resource of that type that may not exist. A note about another link's resource
    (an alarm with count = 0 when the filter is missing) is off the path, so it is not shown; a long list is cut, with
    the number left out."""
    spots = []
    for spot in model.blind_spots:
        named = _NAMED_TYPE.search(spot)
        if named is None or named.group(1) == missing or named.group(1) not in _CHAIN_TYPES:
            spots.append(BLIND_SPOT(spot=spot))
    if len(spots) > _SPOTS_SHOWN:
        spots = spots[:_SPOTS_SHOWN] + [MORE_BLIND_SPOTS(left=len(spots) - _SPOTS_SHOWN)]
    return spots
