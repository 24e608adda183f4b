"""An input counts as an SNS action only when its constraint admits nothing but SNS topic ARNs, decided on meaning."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trailguard.constraints import allowed_pattern_requires_sns, regex_admits_only_sns, validation_requires_sns

SNS_PREFIX = re.compile(r"arn:[^:]+:sns:")


@pytest.mark.parametrize("pattern", [
    r"^arn:aws[a-z-]*:sns:.*",
    r"arn:aws:sns:.*",
    r"arn:(aws|aws-cn|aws-us-gov):sns:[a-z0-9-]+:\d{12}:[\w-]+",
    r"^arn:aws:sns:[a-z]{2}-[a-z]+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$",
    r"arn:aws:sn[s]:.*",
    r"(?:arn:aws:sns:)[^,]+",
    r"^$|^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$",  # empty: no action, which does not deploy
    r"(arn:aws:sns:.*)?",
])
def test_allowed_patterns_that_admit_only_sns_topic_arns(pattern: str) -> None:
    assert allowed_pattern_requires_sns(pattern)


@pytest.mark.parametrize("pattern", [
    r"^(?!arn:aws:sns:).*",  # contains ":sns:" and forbids every SNS ARN
    r".*:sns:.*",
    r"arn:aws:sns:.*|.*",
    r"arn:aws:[^:]+:.*",  # any service
    r"arn:aws:[\w]*:.*",
    r"arn:aws:(sns|lambda):.*",
    r"[a-z:]+",
    r"(?i)arn:aws:sns:.*",  # also admits "ARN:AWS:SNS:", not an ARN
    "",
    "arn:aws:sns:(",  # not a regex at all
    r"arn:aws:sns:\p{Alpha}+",  # Java syntax Python does not read: no proof
])
def test_allowed_patterns_that_prove_nothing(pattern: str) -> None:
    assert not allowed_pattern_requires_sns(pattern)


def test_a_search_needs_an_anchor_at_the_start() -> None:
    assert regex_admits_only_sns("^arn:aws:sns:", whole_value=False)
    assert regex_admits_only_sns(r"\Aarn:aws:sns:", whole_value=False)
    assert not regex_admits_only_sns("arn:aws:sns:", whole_value=False)  # "xarn:aws:sns:" matches it too


@pytest.mark.parametrize("condition", [
    'can(regex("^arn:aws:sns:", var.topic))',
    'can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:\\\\d{12}:", var.topic))',
    'startswith(var.topic, "arn:aws:sns:")',
    'length(regexall("^arn:aws:sns:", var.topic)) > 0',
    'length(var.topic) > 20 && can(regex("^arn:aws:sns:", var.topic))',
    '(can(regex("^arn:aws:sns:", var.topic)))',
    'contains(["arn:aws:sns:eu-west-1:111122223333:alerts", "arn:aws:sns:eu-west-1:111122223333:ops"], var.topic)',
    'alltrue([for arn in var.topic : can(regex("^arn:aws:sns:", arn))])',
])
def test_validations_that_admit_only_sns_topic_arns(condition: str) -> None:
    assert validation_requires_sns([condition], "topic")


@pytest.mark.parametrize("condition", [
    'can(regex("arn:aws:sns:", var.topic))',  # unanchored search: "x arn:aws:sns:" passes it
    '!can(regex("^arn:aws:sns:", var.topic))',
    'can(regex("^arn:aws:sns:", var.topic)) || var.topic == ""',
    'var.topic == null ? true : can(regex("^arn:aws:sns:", var.topic))',
    'can(regex("^arn:aws:sns:", var.other))',
    'can(regex("^(?!arn:aws:sns:)", var.topic))',
    'length(regexall("^arn:aws:sns:", var.topic)) == 0',
    'contains(["arn:aws:sns:eu-west-1:111122223333:alerts", "arn:aws:lambda:eu-west-1:1:function:x"], var.topic)',
    'anytrue([for arn in var.topic : can(regex("^arn:aws:sns:", arn))])',
    'can(regex("^arn:${var.partition}:sns:", var.topic))',
    "length(var.topic) > 0",
    "",
    "can(regex(",
])
def test_validations_that_prove_nothing(condition: str) -> None:
    assert not validation_requires_sns([condition], "topic")


def test_several_validations_all_hold_so_one_proof_is_enough() -> None:
    assert validation_requires_sns(["length(var.topic) > 0", 'startswith(var.topic, "arn:aws:sns:")'], "topic")


# --- the rule for all regexes: a "yes" is never wrong ---------------------------------------------------------------

_PIECES = ["arn", ":", "aws", "sns", "s", "a", "-cn", r"[a-z-]*", r"[^:]+", r"\w+", ".", ".*", r"\d{12}", "(?!arn)",
           "[:s]", "x"]


@st.composite
def _regexes(draw) -> str:
    def piece() -> str:
        return draw(st.sampled_from(_PIECES))

    parts = []
    for _ in range(draw(st.integers(1, 9))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            parts.append(f"(?:{piece()}|{piece()})")
        elif kind == 1:
            parts.append(f"(?:{piece()})?")
        else:
            parts.append(piece())
    prefix = draw(st.sampled_from(["", "^", "arn:aws:sns:", "arn:aws:"]))
    return prefix + "".join(parts)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_regexes(), st.data())
def test_every_value_of_a_proven_pattern_is_an_sns_topic_arn(pattern: str, data) -> None:
    whole = data.draw(st.booleans())
    assume(regex_admits_only_sns(pattern, whole_value=whole))
    value = data.draw(st.from_regex(pattern, fullmatch=whole))
    assert value == "" or SNS_PREFIX.match(value), (pattern, value)


@given(st.text(alphabet="arns:wx-^$.*()|?[]", max_size=24))
def test_any_text_is_decided_without_raising(pattern: str) -> None:
    assert regex_admits_only_sns(pattern, whole_value=True) in (True, False)
    assert validation_requires_sns([f'can(regex("{pattern}", var.t))'], "t") in (True, False)
