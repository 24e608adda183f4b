"""How fast is the pattern judge? Run: `.venv/bin/python benchmarks/bench_judge.py`.

Reports, in one run on this machine:
- the median time to judge each CIS-size pattern, cold (automaton cache cleared) and warm;
- the worst time over adversarial patterns at AWS's 1024-character limit;
- how time grows with the number of fields and clauses.
Goals (issue 2): under 1 ms per CIS-size pattern, under 50 ms for the worst 1024-character pattern.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Callable, List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trailguard.controls import judge_unauthorized_calls
from trailguard.pattern import compiled

CIS_PATTERNS = {
    "CIS v1.2": '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    "CIS v2.0": '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && '
                '($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
    "OR bug": '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || '
              '($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }',
    "exact values": '{ $.errorCode = "AccessDenied" || $.errorCode = "Client.UnauthorizedOperation" }',
    "invokedBy": '{ ($.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied*") && '
                 '$.userIdentity.invokedBy != "cloudformation.amazonaws.com" }',
}


def _fit(build: Callable[[int], str]) -> str:
    """The largest pattern from `build(n)` that fits in 1024 characters."""
    n, best = 1, build(1)
    while len(build(n + 1)) <= 1024:
        n += 1
        best = build(n)
    return best


ADVERSARIAL = {
    "many fields, alternating &&/||": _fit(lambda n: "{ " + " || ".join(
        f'($.requestParameters.a{i} = "v{i}*" && $.requestParameters.b{i} != "w{i}")' for i in range(n)) + " }"),
    "many globs on errorCode": _fit(lambda n: "{ " + " || ".join(
        f'$.errorCode = "*{chr(65 + i % 26)}{i}*Denied*{i}"' for i in range(n)) + " }"),
    "xor chain": _fit(lambda n: "{ " + " && ".join(
        f'(($.requestParameters.x{i} = "a" && $.requestParameters.x{i + 1} != "a") || '
        f'($.requestParameters.x{i} != "a" && $.requestParameters.x{i + 1} = "a"))' for i in range(n)) +
        ' && $.errorCode = "AccessDenied*" }'),
    "two regexes": ("{ $.errorCode = %[A-Za-z.]{3,40}Unauthori[sz]ed[A-Z][a-z]+% || "
                    "$.errorCode = %^Access[A-Z]?Denied% }"),
    "deep nesting": _fit(lambda n: "{ " + "".join(
        f'($.errorCode = "*UnauthorizedOperation" {"&&" if i % 2 else "||"} ' for i in range(n)) +
        '$.errorCode = "AccessDenied*"' + ")" * n + " }"),
}


def timed(pattern: str, cold: bool) -> float:
    if cold:
        compiled._DFA_CACHE.clear()
    started = time.perf_counter()
    judge_unauthorized_calls(pattern)
    return time.perf_counter() - started


def median_ms(pattern: str, cold: bool, runs: int = 50) -> float:
    return statistics.median(timed(pattern, cold) for _ in range(runs)) * 1000


def growth() -> List[str]:
    lines = []
    for fields in (1, 2, 4, 8, 16, 24):
        clauses = " && ".join(f'$.requestParameters.f{i} != "v{i}"' for i in range(fields))
        pattern = '{ ($.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied*") && ' + clauses + " }"
        lines.append(f"  {fields:>3} fields, {fields + 2:>3} clauses, {len(pattern):>5} chars: "
                     f"{median_ms(pattern, cold=True, runs=11):8.2f} ms")
    return lines


def main() -> None:
    judge_unauthorized_calls("{ $.a = 1 }")  # build the grammars once, as any real run does
    print("CIS-size patterns (median of 50; cold = automaton cache cleared before each call):")
    for name, pattern in CIS_PATTERNS.items():
        print(f"  {name:<14} cold {median_ms(pattern, True):7.2f} ms   warm {median_ms(pattern, False):7.2f} ms")
    print("Adversarial patterns at the 1024-character limit (worst of 5 cold runs):")
    for name, pattern in ADVERSARIAL.items():
        worst = max(timed(pattern, cold=True) for _ in range(5)) * 1000
        verdict = judge_unauthorized_calls(pattern)
        state = "error: " + verdict.error if verdict.error else ("ok" if verdict.ok else "fails")
        print(f"  {name:<32} {len(pattern):>5} chars {worst:9.2f} ms   ({state[:70]})")
    print("Growth with fields and clauses (median of 11, cold):")
    print("\n".join(growth()))


if __name__ == "__main__":
    main()
