"""Representative strings for one field: one for every way that field's globs and regexes can be true or false.

This is what makes the judge exact rather than a sample: two strings that every glob and regex of the pattern on a
field treats alike are interchangeable for the verdict, so one witness per realizable accept-vector covers all
strings. Realistic candidates come first (a counterexample should read `"AccessDeniedException"`, not `"Aa"`); a
breadth-first walk over the product of the automata then finds the shortest witness of every vector the candidates
missed, and proves that no other vector exists.
"""

from __future__ import annotations

import string
from collections import deque
from typing import Dict, Iterable, List, Sequence, Tuple

from trailguard.pattern.automaton import ALL, OTHER, Dfa, symbol_of

# Product states explored before the judge gives up (fail closed) rather than spend unbounded time.
MAX_PRODUCT_STATES = 50_000

_PREFERENCE = string.ascii_lowercase + string.ascii_uppercase + string.digits + "-_.:/ " + string.punctuation


class TooComplex(Exception):
    """The pattern's values are too intricate to analyse within trailguard's time bounds."""


def _representative(block: int) -> str:
    for char in _PREFERENCE:
        if block >> ord(char) & 1:
            return char
    if block >> OTHER & 1:
        return "\u00e9"
    return chr((block & -block).bit_length() - 1)


def alphabet(automata: Sequence[Dfa]) -> List[str]:
    """One character per class of characters that no automaton can tell apart."""
    blocks = [ALL]
    for dfa in automata:
        for mask in dfa.nfa.masks():
            refined = []
            for block in blocks:
                inside, outside = block & mask, block & ~mask
                refined.extend(part for part in (inside, outside) if part)
            blocks = refined
    return [_representative(block) for block in blocks]


def string_witnesses(automata: Sequence[Dfa], candidates: Iterable[str]) -> List[str]:
    """Strings that together realise every accept-vector the automata can produce, realistic candidates first."""
    by_vector: Dict[Tuple[bool, ...], str] = {}
    for candidate in candidates:
        by_vector.setdefault(tuple(dfa.accepts(candidate) for dfa in automata), candidate)
    if len(by_vector) == 2 ** len(automata):
        return list(by_vector.values())
    chars = alphabet(automata)
    symbols = [symbol_of(char) for char in chars]
    start = tuple(dfa.start for dfa in automata)
    seen = {start}
    queue = deque([(start, "")])
    while queue:
        state, text = queue.popleft()
        vector = tuple(dfa.accepts_state(part) for dfa, part in zip(automata, state))
        by_vector.setdefault(vector, text)
        if len(by_vector) == 2 ** len(automata):
            break
        for char, symbol in zip(chars, symbols):
            following = tuple(dfa.step(part, symbol) for dfa, part in zip(automata, state))
            if following not in seen:
                if len(seen) >= MAX_PRODUCT_STATES:
                    raise TooComplex(
                        f"the values compared with one field expand to over {MAX_PRODUCT_STATES:,} combinations"
                    )
                seen.add(following)
                queue.append((following, text + char))
    return list(by_vector.values())
