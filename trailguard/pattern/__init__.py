"""The CloudWatch Logs filter-pattern language: parse it, evaluate it on events, and judge it for the CIS control.

    from trailguard.pattern import judge_unauthorized_calls, matches
    judge_unauthorized_calls('{ $.errorCode = "AccessDenied" }').misses   # denied calls it does not count
    matches('{ $.errorCode = "AccessDenied*" }', {"errorCode": "AccessDeniedException"})   # True

Needs only lark: no scanner is imported here.
"""

from trailguard.pattern.errors import PatternError
from trailguard.pattern.evaluator import matches
from trailguard.pattern.judge import Verdict, judge_unauthorized_calls
from trailguard.pattern.parser import parse

__all__ = ["PatternError", "Verdict", "judge_unauthorized_calls", "matches", "parse"]
