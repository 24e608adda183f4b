"""Finite automata over strings: the one implementation of globs and regular expressions in trailguard.

Why automata and not Python's `re`: the evaluator must never hang on a pathological pattern (`a*a*a*a*b` against a
1 MB value backtracks for minutes in `re`; a DFA reads each character once), and the judge must enumerate every
way a set of globs and regexes can be true or false for one field, which a product of automata answers exactly.

Characters are folded into symbols: the 128 ASCII code points, each its own symbol; one symbol for each non-ASCII
character that some pattern value names literally (`"HéadBucket"`), registered on first use; and one symbol, `OTHER`,
for every other non-ASCII character. Nothing in the pattern language can tell two unnamed non-ASCII characters apart
(classes such as `\\w` are ASCII), so the fold is exact, and a value in any script is judged like an ASCII one.
Masks are bit sets over a fixed number of symbol slots; `ALL` sets every slot, so a `*` or `.` compiled before a
character was registered already reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Tuple

from trailguard.pattern.errors import PatternError

OTHER = 128  # the symbol of every non-ASCII character no pattern names
SYMBOLS = 2048  # symbol slots: ASCII, OTHER, then the named non-ASCII characters
ALL = (1 << SYMBOLS) - 1
MAX_STATES = 20_000
MAX_PATTERN_CHARACTERS = 1024  # AWS's limit on a whole pattern, so on the characters one pattern can name

_NAMED: Dict[str, int] = {}  # non-ASCII character -> its symbol
_CHARS: Dict[int, str] = {}  # symbol -> the non-ASCII character it stands for


def symbol_of(char: str) -> int:
    """The symbol a character of an input string is read as."""
    code = ord(char)
    if code < 128:
        return code
    return _NAMED.get(char, OTHER)


def literal_symbol(char: str) -> int:
    """The symbol of a character written literally in a pattern: a non-ASCII one gets its own symbol on first use."""
    code = ord(char)
    if code < 128:
        return code
    symbol = _NAMED.get(char)
    if symbol is None:
        symbol = OTHER + 1 + len(_NAMED)
        if symbol >= SYMBOLS:
            raise PatternError(f"the patterns name more than {SYMBOLS - OTHER - 1} distinct non-ASCII characters")
        _NAMED[char] = symbol
        _CHARS[symbol] = char
    return symbol


def forget_named_when_full() -> bool:
    """Forget the named characters once fewer slots are left than one pattern can name; True when it did, so the
    caller drops every automaton built on them (`compiled.make_room`)."""
    if len(_NAMED) <= SYMBOLS - OTHER - 1 - MAX_PATTERN_CHARACTERS:
        return False
    _NAMED.clear()
    _CHARS.clear()
    return True


def char_of(symbol: int) -> Optional[str]:
    """A character read as this symbol, or None for a slot no character uses yet."""
    if symbol < 128:
        return chr(symbol)
    if symbol == OTHER:
        return next(chr(code) for code in range(0xE9, 0x110000) if chr(code) not in _NAMED)
    return _CHARS.get(symbol)


def mask_of(chars: str) -> int:
    """The set of symbols of some characters, as a bit mask."""
    mask = 0
    for char in chars:
        mask |= 1 << literal_symbol(char)
    return mask


@dataclass
class Nfa:
    """A Thompson NFA: state 0 is the start; `moves[s]` are (symbol mask, target); `empty[s]` epsilon targets."""

    moves: List[List[Tuple[int, int]]] = field(default_factory=list)
    empty: List[List[int]] = field(default_factory=list)
    accept: int = -1

    def add_state(self) -> int:
        if len(self.moves) >= MAX_STATES:
            raise PatternError("the value is too complex to analyse (it expands to over 20,000 automaton states)")
        self.moves.append([])
        self.empty.append([])
        return len(self.moves) - 1

    def masks(self) -> List[int]:
        """Every distinct symbol mask used on a transition: the judge refines its alphabet with them."""
        return sorted({mask for moves in self.moves for mask, _ in moves})


class Dfa:
    """A lazily determinised NFA. States are frozensets of NFA states; transitions are built on first use."""

    def __init__(self, nfa: Nfa, exact: Optional[str] = None, glob: Optional[str] = None) -> None:
        self.nfa = nfa
        self.exact = exact  # the one string it accepts, when it is a wildcard-free glob
        # A glob's pieces between its stars: `accepts` then matches by string search, which is what the machine
        # computes, at C speed (the judge tries thousands of candidate strings against each glob).
        self.glob_pieces = tuple(glob.split("*")) if glob is not None else None
        self.start = self.closure({0})
        self._transitions: Dict[Tuple[FrozenSet[int], int], FrozenSet[int]] = {}

    def closure(self, states: set) -> FrozenSet[int]:
        stack = list(states)
        seen = set(states)
        while stack:
            state = stack.pop()
            for target in self.nfa.empty[state]:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return frozenset(seen)

    def step(self, state: FrozenSet[int], symbol: int) -> FrozenSet[int]:
        key = (state, symbol)
        found = self._transitions.get(key)
        if found is None:
            bit = 1 << symbol
            targets = {target for s in state for mask, target in self.nfa.moves[s] if mask & bit}
            found = self.closure(targets)
            if len(self._transitions) < 100_000:
                self._transitions[key] = found
        return found

    def accepts_state(self, state: FrozenSet[int]) -> bool:
        return self.nfa.accept in state

    def accepts(self, text: str) -> bool:
        if self.glob_pieces is not None:
            return glob_accepts(self.glob_pieces, text)
        state = self.start
        for char in text:
            state = self.step(state, symbol_of(char))
            if not state:
                return False
        return self.accepts_state(state)


def glob_accepts(pieces: Tuple[str, ...], text: str) -> bool:
    """Whether `text` matches the glob `"*".join(pieces)` (anchored, case-sensitive, `*` any run of characters):
    it starts with the first piece, ends with the last, and holds the others in order between them. Placing each
    piece at its first occurrence is enough: a later one would leave less room for the rest. Linear in the text."""
    first, last = pieces[0], pieces[-1]
    if len(pieces) == 1:
        return text == first
    end = len(text) - len(last)
    if end < len(first) or not text.startswith(first) or not text.endswith(last):
        return False
    position = len(first)
    for piece in pieces[1:-1]:
        found = text.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def concat(nfa: Nfa, pieces: List[Tuple[int, Optional[int], int]], start: int) -> int:
    """Append a sequence of (mask, max repeats or None for unbounded, min repeats) items after `start`.

    Returns the state reached at the end of the sequence. Shared by the glob and regex compilers, so a `*` in a glob
    and a `.*` in a regex are literally the same construction.
    """
    current = start
    for mask, most, least in pieces:
        for _ in range(least):
            nxt = nfa.add_state()
            nfa.moves[current].append((mask, nxt))
            current = nxt
        if most is None:
            loop = nfa.add_state()
            nfa.empty[current].append(loop)
            nfa.moves[loop].append((mask, loop))
            current = loop
        else:
            optional_end = nfa.add_state()
            for _ in range(most - least):
                nxt = nfa.add_state()
                nfa.empty[current].append(optional_end)
                nfa.moves[current].append((mask, nxt))
                current = nxt
            nfa.empty[current].append(optional_end)
            current = optional_end
    return current


def compile_glob(glob: str) -> Nfa:
    """An anchored, case-sensitive glob where `*` matches any run of characters (AWS's JSON string values)."""
    nfa = Nfa()
    start = nfa.add_state()
    pieces: List[Tuple[int, Optional[int], int]] = []
    for char in glob:
        if char == "*":
            if not pieces or pieces[-1] != (ALL, None, 0):
                pieces.append((ALL, None, 0))
        else:
            pieces.append((1 << literal_symbol(char), 1, 1))
    nfa.accept = concat(nfa, pieces, start)
    return nfa


def compile_literal(text: str) -> Nfa:
    """The automaton accepting exactly one string, `*` included as a plain character."""
    nfa = Nfa()
    start = nfa.add_state()
    nfa.accept = concat(nfa, [(1 << literal_symbol(char), 1, 1) for char in text], start)
    return nfa
