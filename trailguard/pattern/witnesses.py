"""Find a string that makes given globs/regexes true and others false, or prove none exists.

The judge asks this lazily, only for the combinations of a field's atoms that its search actually reaches, so a
field compared with thirty globs costs thirty small questions, not an enumeration of 2^30 cases. Realistic
candidates are tried first (a counterexample should read `"AccessDeniedException"`, not `"Aa"`); when none fits,
a breadth-first walk over the product of just the constrained automata finds the shortest witness, or exhausts
the product and so proves that no string fits.
"""

from __future__ import annotations

import string
from collections import deque
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from trailguard.pattern.automaton import ALL, Dfa, Nfa, char_of, compile_literal, symbol_of

# Product states a single question may explore before the judge gives up (fail closed) rather than spend
# unbounded time. Real patterns need a few hundred.
MAX_PRODUCT_STATES = 20_000

_PREFERENCE = string.ascii_lowercase + string.ascii_uppercase + string.digits + "-_.:/ " + string.punctuation


class TooComplex(Exception):
    """The pattern's values are too intricate to analyse within trailguard's time bounds."""


def _representative(block: int) -> Optional[str]:
    """A readable character of a block of symbols: a preferred ASCII one, else any character the block reads."""
    for char in _PREFERENCE:
        if block >> ord(char) & 1:
            return char
    while block:
        lowest = block & -block
        char = char_of(lowest.bit_length() - 1)
        if char is not None:
            return char
        block ^= lowest
    return None


def alphabet(automata: Sequence[Dfa]) -> List[str]:
    """One character per class of characters that none of the automata can tell apart."""
    blocks = [ALL]
    for dfa in automata:
        for mask in dfa.nfa.masks():
            refined = []
            for block in blocks:
                refined.extend(part for part in (block & mask, block & ~mask) if part)
            blocks = refined
    return [char for char in map(_representative, blocks) if char is not None]


def shortest_accepted(nfa: Nfa) -> Optional[str]:
    """A shortest string an NFA accepts: a shortest path in its graph (a 0-1 BFS), with no subset construction.

    It makes a cheap, realistic-enough candidate for a regex atom, sparing the product walk in `find_witness` the
    determinisation of patterns such as `.{3,40}X`, whose DFAs are large.
    """
    best = {0: ""}
    queue = deque([0])
    while queue:
        state = queue.popleft()
        text = best[state]
        if state == nfa.accept:
            return text
        for target in nfa.empty[state]:
            if target not in best or len(best[target]) > len(text):
                best[target] = text
                queue.appendleft(target)
        for mask, target in nfa.moves[state]:
            if target not in best:
                best[target] = text + (_representative(mask) or "")
                queue.append(target)
    return None


def find_witness(constraints: Sequence[Tuple[Dfa, bool]], candidates: Iterable[str]) -> Optional[str]:
    """A string accepted by exactly the automata marked True among `constraints`, or None if none exists."""
    wanted_by: Dict[int, bool] = {}
    for dfa, want in constraints:
        if wanted_by.setdefault(id(dfa), want) != want:
            return None  # the same glob both matching and not matching
    pinned = [dfa.exact for dfa, want in constraints if want and dfa.exact is not None]
    if pinned:
        candidates = pinned[:1]  # a wildcard-free glob that must match leaves exactly one string to try
        if not all(dfa.accepts(pinned[0]) is want for dfa, want in constraints):
            return None
    for candidate in candidates:
        if all(dfa.accepts(candidate) is wanted for dfa, wanted in constraints):
            return candidate
    automata = [dfa for dfa, _ in constraints]
    wanted = tuple(want for _, want in constraints)
    chars = alphabet(automata)
    symbols = [symbol_of(char) for char in chars]
    start = tuple(dfa.start for dfa in automata)
    seen = {start}
    queue = deque([(start, "")])
    while queue:
        state, text = queue.popleft()
        if tuple(dfa.accepts_state(part) for dfa, part in zip(automata, state)) == wanted:
            return text
        for char, symbol in zip(chars, symbols):
            following = tuple(dfa.step(part, symbol) for dfa, part in zip(automata, state))
            if following not in seen:
                if len(seen) >= MAX_PRODUCT_STATES:
                    raise TooComplex(
                        f"the values compared with one field combine into over {MAX_PRODUCT_STATES:,} cases"
                    )
                seen.add(following)
                queue.append((following, text + char))
    return None


def only_string(dfa: Dfa) -> Optional[str]:
    """The one string a glob or regex accepts when its language is a single string (`"HeadBucket"`,
    `%^HeadBucket$%`), else None: "exact" is decided by meaning, not by how the value is spelled."""
    if dfa.exact is not None:
        return dfa.exact
    text = shortest_accepted(dfa.nfa)
    if text is None or not dfa.accepts(text):
        return None
    other = find_witness([(dfa, True), (Dfa(compile_literal(text)), False)], ())
    return text if other is None else None
