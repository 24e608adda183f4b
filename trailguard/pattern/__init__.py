"""The CloudWatch Logs filter-pattern language: parse it, evaluate it on events, and judge it for a control.

    from trailguard.pattern import matches
    from trailguard.pattern.judge import judge
    from trailguard.controls import UNAUTHORIZED_CALLS
    judge('{ $.errorCode = "AccessDenied" }', UNAUTHORIZED_CALLS).misses   # denied calls it does not count
    matches('{ $.errorCode = "AccessDenied*" }', {"errorCode": "AccessDeniedException"})   # True

A verdict's `status` is PASS, FAIL (with `counterexamples`), CANNOT_DECIDE or INVALID. What a control must count
is data (`target.Target`); the CIS controls' targets live in `trailguard.controls`, which imports this package
(never the reverse). Needs only lark: no scanner is imported here.
"""

from trailguard.pattern.errors import PatternError
from trailguard.pattern.evaluator import matches
from trailguard.pattern.parser import parse
from trailguard.pattern.target import Target
from trailguard.pattern.verdict import Counterexample, Verdict

__all__ = ["Counterexample", "PatternError", "Target", "Verdict", "matches", "parse"]
