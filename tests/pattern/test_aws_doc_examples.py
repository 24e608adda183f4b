"""Every pattern/event pair in AWS's documentation, each test named by its example and citing its page.

The examples are transcribed in `aws_doc_examples.py` with the URL they come from. Entries AWS states outright
must agree; entries marked `inferred` (AWS implies the result) must agree too; entries marked `suspect` (AWS
states a result that contradicts its own rules) must get the behaviour trailguard chose instead (their `trailguard`
key, documented in docs/pattern-semantics.md): a match that differs from the printed one, or a syntax error.
"""

import re

import pytest

from tests.pattern.aws_doc_examples import EXAMPLES
from trailguard.pattern.errors import PatternError
from trailguard.pattern.evaluator import matches

STATED = [example for example in EXAMPLES if not example.get("note", "").startswith("suspect")]
SUSPECT = [example for example in EXAMPLES if example.get("note", "").startswith("suspect")]


def example_id(example):
    return f'{example["pattern"][:60]} <- {str(example["event"])[:40]}'


@pytest.mark.parametrize("example", STATED, ids=example_id)
def test_documented_example(example):
    try:
        result = matches(example["pattern"], example["event"])
    except PatternError as error:
        pytest.fail(f'{example["source"]}: AWS documents this pattern, trailguard rejects it: {error}')
    assert result is example["matches"], example["source"]


@pytest.mark.parametrize("example", [e for e in SUSPECT if isinstance(e["trailguard"], bool)], ids=example_id)
def test_suspect_examples_match_as_the_documented_rule_says_not_as_printed(example):
    result = matches(example["pattern"], example["event"])
    assert result is example["trailguard"] and result is not example["matches"], (example["source"], example["note"])


@pytest.mark.parametrize("example", [e for e in SUSPECT if isinstance(e["trailguard"], str)], ids=example_id)
def test_suspect_examples_printed_with_a_syntax_error_are_rejected_with_it(example):
    with pytest.raises(PatternError, match="^" + re.escape(example["trailguard"])):
        matches(example["pattern"], example["event"])
