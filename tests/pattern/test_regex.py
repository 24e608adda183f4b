"""AWS's regex dialect and globs, compiled to automata, checked against Python's own `re` on the shared subset."""

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trailguard.pattern.automaton import Dfa, compile_glob, glob_accepts
from trailguard.pattern.compiled import glob_matches, regex_searches
from trailguard.pattern.errors import PatternError
from trailguard.pattern.regex import compile_regex

ALPHABET = "abc.-"


def glob_as_re(glob):
    return "".join(".*" if char == "*" else re.escape(char) for char in glob)


@given(st.text(alphabet=ALPHABET + "*", max_size=8), st.text(alphabet=ALPHABET, max_size=12))
def test_globs_agree_with_an_anchored_regex(glob, text):
    assert glob_matches(glob, text) == bool(re.fullmatch(glob_as_re(glob), text, re.DOTALL))


@given(st.text(alphabet=ALPHABET + "é*", max_size=8), st.text(alphabet=ALPHABET + "éü", max_size=12))
def test_a_glob_machine_accepts_what_its_string_search_accepts(glob, text):
    """The judge's glob automata answer `accepts` by string search (`glob_accepts`); the machine they are built
    from, run symbol by symbol, must agree on every string, non-ASCII characters included."""
    machine = Dfa(compile_glob(glob))
    assert machine.glob_pieces is None
    assert machine.accepts(text) == glob_accepts(tuple(glob.split("*")), text)


ATOMS = st.sampled_from(["a", "b", ".", r"\d", r"\w", r"\s", "[ab]", "[^a]", "[a-c]", r"\.", "1"])
QUANTIFIERS = st.sampled_from(["", "", "*", "+", "?", "{2}", "{1,3}", "{2,}"])
SEQUENCE = st.lists(st.tuples(ATOMS, QUANTIFIERS).map("".join), min_size=1, max_size=4).map("".join)
REGEX = st.tuples(st.sampled_from(["", "^"]), SEQUENCE, st.sampled_from(["", "$"])).map("".join)


@given(st.lists(REGEX, min_size=1, max_size=2).map("|".join), st.text(alphabet="ab1 .c\n", max_size=10))
def test_regexes_agree_with_python_re(regex, text):
    # Python's `$` also matches before a final newline; AWS's (like our automaton's) only at the very end.
    alternatives = [alt[:-1] + r"\Z" if alt.endswith("$") else alt for alt in regex.split("|")]
    python = re.compile("|".join(alternatives).replace(r"\d", "[0-9]").replace(r"\w", "[A-Za-z0-9_]"))
    assert regex_searches(regex, text) == bool(python.search(text))


@pytest.mark.parametrize("regex", ["a(b)", "", "a{3,1}", "[z-a]", "[ab", r"\q", "*a", "a{2000}"])
def test_invalid_regexes_are_rejected(regex):
    with pytest.raises(PatternError):
        compile_regex(regex)


def test_pathological_shapes_run_in_linear_time():
    text = "a" * 200_000
    started = time.perf_counter()
    assert not regex_searches("a*a*a*a*a*a*a*b", text)
    assert not glob_matches("*a*a*a*a*a*a*b", text)
    assert time.perf_counter() - started < 5  # a hang detector: backtracking would take hours


def test_non_ascii_values_are_read_as_one_class():
    assert glob_matches("caf*", "café")
    assert regex_searches("caf.", "café")
    assert not regex_searches(r"caf\w", "café")
