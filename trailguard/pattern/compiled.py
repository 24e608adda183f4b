"""Globs and AWS regexes compiled once to DFAs and cached: what the evaluator, the judge and the raw-text reader use.

It sits above `automaton` (the machines) and `regex` (the regex compiler, built on `automaton`), so that `automaton`
never needs `regex` and the two do not import each other.
"""

from __future__ import annotations

from typing import Dict, Tuple

from trailguard.pattern.automaton import Dfa, compile_glob, forget_named_when_full, glob_accepts
from trailguard.pattern.regex import compile_regex


def glob_matches(glob: str, text: str) -> bool:
    """Whether a whole string matches an AWS glob (by string search: `automaton.glob_accepts`)."""
    return glob == text if "*" not in glob else glob_accepts(tuple(glob.split("*")), text)


_DFA_CACHE: Dict[Tuple[str, str], Dfa] = {}


def _cached_dfa(key: Tuple[str, str]) -> Dfa:
    dfa = _DFA_CACHE.get(key)
    if dfa is None:
        if key[0] == "glob":
            dfa = Dfa(compile_glob(key[1]), exact=None if "*" in key[1] else key[1], glob=key[1])
        else:
            dfa = Dfa(compile_regex(key[1]))
        if len(_DFA_CACHE) > 512:
            _DFA_CACHE.clear()
        _DFA_CACHE[key] = dfa
    return dfa


def regex_searches(regex: str, text: str) -> bool:
    """Whether an AWS `%regex%` finds a match anywhere in the string."""
    return _cached_dfa(("regex", regex)).accepts(text)


def dfa_for(kind: str, body: str) -> Dfa:
    """The shared, cached DFA of a glob (`kind="glob"`) or an AWS regex (`kind="regex"`)."""
    return _cached_dfa((kind, body))


def make_room() -> None:
    """Between two patterns, forget the named characters and every automaton built on them once fewer slots are
    left than one pattern can name, so a long-running scan never runs out; never called while a pattern is in use."""
    if forget_named_when_full():
        _DFA_CACHE.clear()
