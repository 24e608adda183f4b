"""TG_AWS_2 judges each distinct pattern once per control (issue 12, Performance): the same patterns recur in every
account of a monorepo, and spellings that parse alike share the verdict."""

from __future__ import annotations

from typing import List

import pytest

from trailguard.controls import UNAUTHORIZED_CALLS, by_slug
from trailguard.rules import pattern as rule

CIS_V12 = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'
CIS_V12_RESPELT = '{($.errorCode=*UnauthorizedOperation)||(($.errorCode = "AccessDenied*"))}'


@pytest.fixture
def judgements(monkeypatch: pytest.MonkeyPatch) -> List[object]:
    """The patterns the judge itself was asked about while the test runs, with empty caches."""
    asked: List[object] = []
    judge = rule.judge_target

    def counting(pattern: object, target: object) -> object:
        asked.append(pattern)
        return judge(pattern, target)

    rule._judged_text.cache_clear()
    rule._judged_meaning.cache_clear()
    monkeypatch.setattr(rule, "judge_target", counting)
    yield asked
    rule._judged_text.cache_clear()
    rule._judged_meaning.cache_clear()


def test_spellings_that_parse_alike_are_judged_once(judgements):
    first = rule.judged(CIS_V12, UNAUTHORIZED_CALLS)
    assert rule.judged(CIS_V12_RESPELT, UNAUTHORIZED_CALLS) is first
    assert rule.judged(CIS_V12, UNAUTHORIZED_CALLS) is first
    assert len(judgements) == 1


def test_each_control_has_its_own_verdict(judgements):
    unauthorized = rule.judged(CIS_V12, UNAUTHORIZED_CALLS)
    root = rule.judged(CIS_V12, by_slug("root-usage").target())
    assert len(judgements) == 2
    assert unauthorized.ok and not root.ok


def test_an_invalid_pattern_keeps_the_error_of_its_own_text(judgements):
    short = rule.judged("{ $.errorCode = ", UNAUTHORIZED_CALLS)
    spaced = rule.judged("{    $.errorCode = ", UNAUTHORIZED_CALLS)
    assert short.error != spaced.error
    assert rule.judged("{ $.errorCode = ", UNAUTHORIZED_CALLS) is short


def test_the_cached_verdict_is_the_judges_own():
    assert rule.judged(CIS_V12_RESPELT, UNAUTHORIZED_CALLS) == rule.judge_target(CIS_V12_RESPELT, UNAUTHORIZED_CALLS)
