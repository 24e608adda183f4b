"""The CloudWatch Logs filter-pattern language: parse it, evaluate it on events, and judge it for a control.

    from trailguard.pattern import judge_unauthorized_calls, matches
    judge_unauthorized_calls('{ $.errorCode = "AccessDenied" }').misses   # denied calls it does not count
    matches('{ $.errorCode = "AccessDenied*" }', {"errorCode": "AccessDeniedException"})   # True

A verdict's `status` is PASS, FAIL (with `counterexamples`), CANNOT_DECIDE or INVALID. What a control must count
is data (`target.Target`); `trailguard.pattern.judge.judge(pattern, target)` judges any of them.
Needs only lark: no scanner is imported here.
"""

from trailguard.pattern.errors import PatternError
from trailguard.pattern.evaluator import matches
from trailguard.pattern.judge import judge_unauthorized_calls
from trailguard.pattern.parser import parse
from trailguard.pattern.target import UNAUTHORIZED_CALLS, Target
from trailguard.pattern.verdict import Counterexample, Verdict

__all__ = ["UNAUTHORIZED_CALLS", "Counterexample", "PatternError", "Target", "Verdict", "judge_unauthorized_calls",
           "matches", "parse"]
