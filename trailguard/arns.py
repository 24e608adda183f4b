"""What an ARN names, for both adapters: one implementation of "is this an SNS topic" and "which log group".

ARNs may carry CloudFormation placeholders (`arn:${AWS::Partition}:sns:${AWS::Region}:...`), whose `::` would break a
naive split on `:`, so placeholders are masked before the fields are read.
"""

from __future__ import annotations

import re
from typing import Optional

_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
LOG_GROUP_NAME = re.compile(r":log-group:(?P<name>[^:]+)(?::\*)?$")


def _masked(text: str) -> str:
    return _PLACEHOLDER.sub("\x00", text)


def service(arn: str) -> Optional[str]:
    """The service field of an ARN (`sns`, `logs`, `lambda`), or None when the text is not an ARN."""
    fields = _masked(arn).split(":")
    return fields[2] if len(fields) > 5 and fields[0] == "arn" else None


def is_sns_topic_arn(arn: str) -> bool:
    return service(arn) == "sns"


def log_group_name(arn: str) -> Optional[str]:
    """The log group an `arn:...:logs:...:log-group:NAME[:*]` ARN names (placeholders kept), else None."""
    if service(arn) != "logs":
        return None
    placeholders = iter(_PLACEHOLDER.findall(arn))
    masked = _masked(arn)
    match = LOG_GROUP_NAME.search(masked)
    if match is None:
        return None
    skipped = masked[:match.start("name")].count("\x00")
    for _ in range(skipped):
        next(placeholders)
    return re.sub("\x00", lambda _: next(placeholders), match.group("name"))
