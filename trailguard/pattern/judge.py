"""Does a filter pattern count every unauthorized API call and nothing else? (TG_AWS_2 / E9102)

The rule (DESIGN.md, "Judging a pattern"): with UNAUTH(e) = `errorCode` present and matching
`*UnauthorizedOperation` or `AccessDenied*`, and NOISE(e) = UNAUTH via `AccessDenied*` on a `HeadBucket` call or one
from `delivery.logs.amazonaws.com`,

- every e with UNAUTH(e) and not NOISE(e) must match, except events pinned by an exact (wildcard-free) value of
  `eventName`, `eventSource` or a `userIdentity` field that the pattern names (narrow exclusions, listed);
- no e without UNAUTH(e) may match (a match is the OR bug, or a match-all).

How it is decided exactly: every field the pattern reads becomes a variable whose domain is one representative
value per distinguishable case (absent when CloudTrail may omit it, one string per realizable combination of the
field's globs and regexes, booleans, null, numbers around each constant, an object). A depth-first search with
three-valued evaluation then looks for an event that breaks the rule, pruning every branch the partial assignment
already decides. Every counterexample is rebuilt as a concrete event and re-checked with the evaluator, so a
reported event is always real, and the search is bounded: past its budget the verdict fails closed, saying so.
"""

from __future__ import annotations

import copy
import difflib
import json
from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, Iterator, List, Optional, Sequence, Set, Tuple, Union

from trailguard.pattern import ast, cloudtrail
from trailguard.pattern.automaton import dfa_for
from trailguard.pattern.errors import PatternError
from trailguard.pattern.evaluator import compare, evaluate, matches, select
from trailguard.pattern.parser import iter_nodes, parse
from trailguard.pattern.witnesses import TooComplex, find_witness, shortest_accepted

MAX_SEARCH_NODES = 50_000
MAX_MISSES = 3
MAX_NOISE = 2
PINNING_FIELDS = (("eventName",), ("eventSource",))


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


ABSENT = _Absent()

_ERROR_CODE = ast.Selector(("errorCode",))
_UNAUTHORIZED_OPERATION = ast.StringMatch(_ERROR_CODE, "*UnauthorizedOperation")
_ACCESS_DENIED = ast.StringMatch(_ERROR_CODE, "AccessDenied*")
_HEAD_BUCKET = ast.StringMatch(ast.Selector(("eventName",)), "HeadBucket")
_LOG_DELIVERY = ast.StringMatch(ast.Selector(("sourceIPAddress",)), "delivery.logs.amazonaws.com")


@dataclass(frozen=True)
class Verdict:
    """The judgement of one pattern: what a user needs to fix it, with concrete CloudTrail events."""

    valid: bool
    ok: bool
    misses: Tuple[Dict[str, Any], ...] = ()
    noise: Tuple[Dict[str, Any], ...] = ()
    exclusions: Tuple[str, ...] = ()
    error: Optional[str] = None
    hints: Tuple[str, ...] = field(default=(), compare=False)

    def to_json(self) -> Dict[str, Any]:
        return {"valid": self.valid, "ok": self.ok, "misses": list(self.misses), "noise": list(self.noise),
                "exclusions": list(self.exclusions), "error": self.error}

    def reasons(self) -> List[str]:
        """Sentences that say what is wrong and show the event that proves it."""
        found: List[str] = []
        if self.error:
            found.append(self.error if self.valid else f"AWS would not accept this pattern: {self.error}")
        for event in self.noise:
            found.append("it counts calls that were not denied, so the alarm fires on ordinary traffic; for example "
                         f"this authorized call matches: {_compact(event)}")
        for event in self.misses:
            found.append("it misses unauthorized calls; for example this denied call is not counted: "
                         f"{_compact(event)}")
        found.extend(self.hints)
        return found


def _compact(event: Dict[str, Any]) -> str:
    return json.dumps(event, separators=(", ", ": "))


# --- the formula the search works on -------------------------------------------------------------------------------
# Nodes: ("atom", path, index) | ("not", node) | ("and", nodes) | ("or", nodes)
Node = Tuple[Any, ...]
Path = Tuple[ast.PathStep, ...]


class _Strings(dict):
    """A field assigned "some string": maps the indices of its decided glob/regex atoms to their truth."""


@dataclass
class _Field:
    """One field the pattern reads: its atoms, concrete candidate values, and lazily decided strings."""

    selector: ast.Selector
    atoms: List[ast.Comparison] = field(default_factory=list)
    choices: List[Any] = field(default_factory=list)
    signatures: List[Tuple[bool, ...]] = field(default_factory=list)
    strings: bool = False
    candidates: List[str] = field(default_factory=list)
    _witnesses: Dict[FrozenSet[Tuple[int, bool]], Optional[str]] = field(default_factory=dict)

    def signature(self, value: Any) -> Tuple[bool, ...]:
        """Which of this field's atoms a value makes true: values with equal signatures are interchangeable."""
        return tuple(_atom_holds(atom, value) for atom in self.atoms)

    def atom_index(self, atom: ast.Comparison) -> int:
        if atom not in self.atoms:
            self.atoms.append(atom)
        return self.atoms.index(atom)

    def is_string_atom(self, index: int) -> bool:
        return isinstance(self.atoms[index], (ast.StringMatch, ast.RegexMatch))

    def witness(self, truths: Dict[int, bool]) -> Optional[str]:
        """A string making exactly these atoms true/false (the others free), or None if there is none."""
        key = frozenset(truths.items())
        if key not in self._witnesses:
            constraints = [(_dfa(self.atoms[index]), truth != self.atoms[index].negated)
                           for index, truth in sorted(truths.items())]
            self._witnesses[key] = find_witness(constraints, self.candidates)
        return self._witnesses[key]


def _dfa(atom: Union[ast.StringMatch, ast.RegexMatch]):
    return dfa_for("glob", atom.glob) if isinstance(atom, ast.StringMatch) else dfa_for("regex", atom.regex)


class _Problem:
    """The fields of one pattern, their domains, and the formulas UNAUTH, NOISE and P over them."""

    def __init__(self, expr: ast.Expr) -> None:
        self.fields: Dict[Path, _Field] = {}
        self.pattern = self._translate(expr)
        self.unauthorized = ("or", (self._atom(_UNAUTHORIZED_OPERATION), self._atom(_ACCESS_DENIED)))
        self.noise = ("and", (self._atom(_ACCESS_DENIED), ("or", (self._atom(_HEAD_BUCKET),
                                                                  self._atom(_LOG_DELIVERY)))))
        self.pins = [(atom, self._atom(ast.StringMatch(atom.selector, atom.glob))) for atom in _pinning_atoms(expr)]
        self.order = sorted(self.fields, key=lambda path: (path != ("errorCode",), list(self.fields).index(path)))
        for path in self.order:
            self._build_domain(self.fields[path])

    def _atom(self, atom: ast.Comparison) -> Node:
        path = atom.selector.steps
        entry = self.fields.setdefault(path, _Field(atom.selector))
        return ("atom", path, entry.atom_index(atom))

    def _translate(self, expr: ast.Expr) -> Node:
        if isinstance(expr, ast.And):
            return ("and", tuple(self._translate(operand) for operand in expr.operands))
        if isinstance(expr, ast.Or):
            return ("or", tuple(self._translate(operand) for operand in expr.operands))
        return self._atom(expr)

    def _is_prefix(self, path: Path) -> bool:
        return any(len(other) > len(path) and other[:len(path)] == path for other in self.fields)

    def _build_domain(self, entry: _Field) -> None:
        """Concrete values first (absent, realistic strings, other JSON types), then "any other string", lazily."""
        path = entry.selector.steps
        if cloudtrail.undocumented(path):  # never present in a CloudTrail record
            entry.choices, entry.signatures = [ABSENT], [entry.signature(ABSENT)]
            return
        known = path if all(isinstance(step, str) for step in path) else None
        kind = cloudtrail.field_type(known) if known else cloudtrail.ANY
        entry.strings = kind in (cloudtrail.STRING, cloudtrail.ANY)
        if entry.strings:
            entry.candidates = _string_candidates(entry, known)
        values: List[Any] = [] if known and cloudtrail.always_present(known) else [ABSENT]
        if entry.strings:
            values.extend(entry.candidates[:len(cloudtrail.REALISTIC_VALUES.get(known or (), ())) + 4])
        if kind in (cloudtrail.BOOLEAN, cloudtrail.ANY):
            values.extend([True, False])
        if kind == cloudtrail.ANY:
            values.append(None)
            values.extend(_numbers(entry.atoms))
            values.append([])
        if kind in (cloudtrail.OBJECT, cloudtrail.ANY):
            values.append({})
        distinguish_shape = self._is_prefix(path)
        seen = set()
        for value in values:
            signature = entry.signature(value)
            key = (signature, _shape(value)) if distinguish_shape else signature
            if key not in seen:
                seen.add(key)
                entry.choices.append(value)
                entry.signatures.append(signature)


def _string_candidates(entry: _Field, known: Optional[Path]) -> List[str]:
    """Strings worth trying before a search: realistic values, the pattern's own literals, and their joins."""
    literals: List[str] = []
    for atom in entry.atoms:
        texts: List[str] = []
        if isinstance(atom, ast.StringMatch):
            texts = [atom.glob.replace("*", ""), atom.glob.replace("*", "x")]
        elif isinstance(atom, ast.RegexMatch):
            texts = [text for text in [shortest_accepted(_dfa(atom).nfa)] if text is not None]
        literals.extend(text for text in texts if text not in literals)
    joined = [a + b for a in literals[:8] for b in literals[:8] if a != b]
    ordered = list(cloudtrail.REALISTIC_VALUES.get(known or (), ())) + literals + ["example"] + joined
    return list(dict.fromkeys(ordered))


def _shape(value: Any) -> str:
    if value is ABSENT:
        return "absent"
    return "object" if isinstance(value, dict) else "array" if isinstance(value, list) else "scalar"


def _numbers(atoms: Sequence[ast.Comparison]) -> List[float]:
    found: List[float] = []
    for atom in atoms:
        if isinstance(atom, ast.NumberCompare):
            found.extend([atom.number - 1, atom.number - 0.5, atom.number, atom.number + 0.5, atom.number + 1])
    return found or [0]


def _atom_holds(atom: ast.Comparison, value: Any) -> bool:
    if isinstance(atom, ast.NotExists):
        return value is ABSENT
    return value is not ABSENT and compare(atom, value)


def _pinning_atoms(expr: ast.Expr) -> List[ast.StringMatch]:
    """Exact comparisons on fields that may narrowly exclude unauthorized events (eventName, eventSource,
    userIdentity.*)."""
    found = []
    for node in iter_nodes(ast.JsonPattern(expr)):
        if isinstance(node, ast.StringMatch) and node.is_exact and all(isinstance(s, str) for s in node.selector.steps):
            steps = node.selector.steps
            if (steps in PINNING_FIELDS or (len(steps) > 1 and steps[0] == "userIdentity")) and node not in found:
                found.append(node)
    return found


# --- three-valued evaluation and search ------------------------------------------------------------------------------

def _atoms_of(node: Node) -> Set[Tuple[Path, int]]:
    if node[0] == "atom":
        return {(node[1], node[2])}
    if node[0] == "not":
        return _atoms_of(node[1])
    found: Set[Tuple[Path, int]] = set()
    for operand in node[1]:
        found |= _atoms_of(operand)
    return found


def _value(node: Node, problem: _Problem, assignment: Dict[Path, Any]) -> Optional[bool]:
    kind = node[0]
    if kind == "atom":
        choice = assignment.get(node[1])
        if choice is None:
            return None
        if isinstance(choice, _Strings):
            if node[2] in choice:
                return choice[node[2]]
            return None if problem.fields[node[1]].is_string_atom(node[2]) else False
        return problem.fields[node[1]].signatures[choice][node[2]]
    if kind == "not":
        inner = _value(node[1], problem, assignment)
        return None if inner is None else not inner
    unknown = False
    decisive = kind == "or"
    for operand in node[1]:
        result = _value(operand, problem, assignment)
        if result is decisive:
            return decisive
        unknown = unknown or result is None
    return None if unknown else not decisive


class _Search:
    """Depth-first search for an event satisfying a goal formula, over fields in order."""

    def __init__(self, problem: _Problem) -> None:
        self.problem = problem
        self.nodes = 0
        self.inconsistent = 0
        self.goal: Node = ("or", ())
        self.relevant: Set[Tuple[Path, int]] = set()

    def solutions(self, goal: Node, limit: int) -> List[Dict[str, Any]]:
        """Up to `limit` events satisfying `goal`; the extra ones differ in a realistic value of the first field."""
        first = self.problem.order[0]
        found = [event for event in [self._start(goal, {}, 0)] if event is not None]
        realistic = cloudtrail.REALISTIC_VALUES.get(first, ())
        shown = {json.dumps(event.get(first[0]), sort_keys=True) for event in found}
        for choice, value in enumerate(self.problem.fields[first].choices):
            if not found or len(found) >= limit:
                break
            if value in realistic and json.dumps(value, sort_keys=True) not in shown:
                event = self._start(goal, {first: choice}, 1)
                if event is not None:
                    found.append(event)
                    shown.add(json.dumps(value, sort_keys=True))
        return found

    def satisfiable(self, goal: Node) -> bool:
        return self._start(goal, {}, 0) is not None

    def _start(self, goal: Node, assignment: Dict[Path, Any], depth: int) -> Optional[Dict[str, Any]]:
        self.goal, self.relevant = goal, _atoms_of(goal)
        return self._solve(assignment, depth)

    def _tick(self) -> None:
        self.nodes += 1
        if self.nodes > MAX_SEARCH_NODES:
            raise TooComplex(f"deciding it takes more than {MAX_SEARCH_NODES:,} search steps")

    def _solve(self, assignment: Dict[Path, Any], depth: int) -> Optional[Dict[str, Any]]:
        self._tick()
        result = _value(self.goal, self.problem, assignment)
        if result is False:
            return None
        if result is True:
            event = self._realise(assignment)
            if event is not None:
                return event
        if depth >= len(self.problem.order):
            if result is True:
                self.inconsistent += 1
            return None
        path = self.problem.order[depth]
        entry = self.problem.fields[path]
        for choice in range(len(entry.choices)):
            assignment[path] = choice
            event = self._solve(assignment, depth + 1)
            if event is not None:
                return event
        if entry.strings:
            undecided = [index for index in range(len(entry.atoms))
                         if entry.is_string_atom(index) and (path, index) in self.relevant]
            assignment[path] = _Strings()
            event = self._solve_strings(assignment, depth, path, undecided)
            if event is not None:
                return event
        del assignment[path]
        return None

    def _solve_strings(self, assignment: Dict[Path, Any], depth: int, path: Path,
                       undecided: List[int]) -> Optional[Dict[str, Any]]:
        """Decide the field's glob/regex atoms one at a time, keeping only combinations some string realises."""
        self._tick()
        truths: _Strings = assignment[path]
        result = _value(self.goal, self.problem, assignment)
        if result is False:
            return None
        if result is True or not undecided:
            return self._solve(assignment, depth + 1)
        index, rest = undecided[0], undecided[1:]
        entry = self.problem.fields[path]
        for truth in (True, False):
            truths[index] = truth
            if entry.witness(truths) is not None:
                event = self._solve_strings(assignment, depth, path, rest)
                if event is not None:
                    return event
            del truths[index]
        return None

    def _value_of(self, path: Path, choice: Any) -> Any:
        entry = self.problem.fields[path]
        return entry.witness(choice) if isinstance(choice, _Strings) else entry.choices[choice]

    def _realise(self, assignment: Dict[Path, Any]) -> Optional[Dict[str, Any]]:
        """Build the concrete event of an assignment and re-check it with the evaluator; None if it is not real."""
        event = copy.deepcopy(cloudtrail.BASE_EVENT)
        code = assignment.get(("errorCode",))
        name = None if code is None else cloudtrail.EVENT_NAME_FOR_ERROR_CODE.get(self._value_of(("errorCode",), code))
        if name is not None:
            event.update(eventName=name, eventSource=cloudtrail.SOURCE_FOR_EVENT_NAME[name])
        for path in sorted(assignment, key=len):
            entry, choice = self.problem.fields[path], assignment[path]
            wanted = _wanted(entry, choice)
            present = select(event, entry.selector)
            if len(present) == 1 and _agrees(entry.signature(present[0]), wanted):
                continue  # the skeleton's value is equivalent and keeps the event coherent (ec2 call, ec2 error)
            if not _place(event, path, self._value_of(path, choice)):
                return None
        if ("eventSource",) not in self.problem.fields:
            event["eventSource"] = cloudtrail.SOURCE_FOR_EVENT_NAME.get(event.get("eventName"), event["eventSource"])
        for path, choice in assignment.items():
            entry = self.problem.fields[path]
            present = select(event, entry.selector)
            actual = tuple(
                (not present) if isinstance(atom, ast.NotExists) else any(compare(atom, v) for v in present)
                for atom in entry.atoms
            )
            if not _agrees(actual, _wanted(entry, choice)):
                return None
        if not self._concretely(self.goal, event):
            return None
        return _tidy(event)

    def _concretely(self, node: Node, event: Dict[str, Any]) -> bool:
        kind = node[0]
        if kind == "atom":
            return evaluate(self.problem.fields[node[1]].atoms[node[2]], event)
        if kind == "not":
            return not self._concretely(node[1], event)
        results = (self._concretely(operand, event) for operand in node[1])
        return any(results) if kind == "or" else all(results)


def _wanted(entry: _Field, choice: Any) -> Tuple[Optional[bool], ...]:
    """The atom truths an assignment promises: all of them for a concrete value, the decided ones for a string."""
    if isinstance(choice, _Strings):
        return tuple(choice.get(index, None if entry.is_string_atom(index) else False)
                     for index in range(len(entry.atoms)))
    return entry.signatures[choice]


def _agrees(actual: Sequence[bool], wanted: Sequence[Optional[bool]]) -> bool:
    return all(want is None or have == want for have, want in zip(actual, wanted))


def _place(event: Dict[str, Any], path: Tuple[ast.PathStep, ...], value: Any) -> bool:
    """Write (or, for ABSENT, remove) a value at a path, creating containers; False when the event cannot hold it."""
    container: Any = event
    for position, step in enumerate(path):
        last = position == len(path) - 1
        if isinstance(step, str):
            if not isinstance(container, dict):
                return False
            if last:
                if value is ABSENT:
                    container.pop(step, None)
                else:
                    container[step] = copy.deepcopy(value)
                return True
            if step not in container:
                if value is ABSENT:
                    return True
                container[step] = [] if not isinstance(path[position + 1], str) else {}
            container = container[step]
        else:
            index = 0 if isinstance(step, ast.Wildcard) else step
            if not isinstance(container, list):
                return False
            if value is ABSENT and index >= len(container):
                return True
            while len(container) <= index:
                container.append({} if not last and isinstance(path[position + 1], str) else None)
            if last:
                if value is ABSENT:
                    return False
                container[index] = copy.deepcopy(value)
                return True
            container = container[index]
    return True


_KEY_ORDER = ["eventSource", "eventName", "errorCode", "errorMessage", "sourceIPAddress",
              "userIdentity"]


def _tidy(event: Dict[str, Any]) -> Dict[str, Any]:
    ordered = {key: event[key] for key in _KEY_ORDER if key in event}
    ordered.update({key: value for key, value in event.items() if key not in ordered})
    return ordered


# --- the entry point ----------------------------------------------------------------------------------------------

def judge_unauthorized_calls(pattern: Union[str, ast.Pattern, object]) -> Verdict:
    """Judge a metric-filter pattern for the CIS "unauthorized API calls" control. Never raises on bad input."""
    try:
        parsed = pattern if isinstance(pattern, (ast.JsonPattern, ast.TermPattern, ast.SpaceDelimitedPattern,
                                                 ast.MatchAll)) else parse(pattern)
    except PatternError as error:
        return Verdict(valid=False, ok=False, error=error.describe())
    try:
        if isinstance(parsed, ast.JsonPattern):
            return _judge_json(parsed)
        return _judge_by_examples(parsed)
    except TooComplex as error:
        return Verdict(valid=True, ok=False, error=f"trailguard cannot decide this pattern: {error}; simplify it")
    except PatternError as error:
        return Verdict(valid=True, ok=False, error=f"trailguard cannot decide this pattern: {error.describe()}")


def _judge_json(parsed: ast.JsonPattern) -> Verdict:
    problem = _Problem(parsed.expr)
    search = _Search(problem)
    unauthorized, noise, pattern = problem.unauthorized, problem.noise, problem.pattern
    counted = ("and", (unauthorized, ("not", noise)))
    noisy = search.solutions(("and", (("not", unauthorized), pattern)), MAX_NOISE)
    pinned = ("or", tuple(pin for _, pin in problem.pins)) if problem.pins else None
    missed_goal = ("and", (counted, ("not", pattern)) + ((("not", pinned),) if pinned else ()))
    missed = search.solutions(missed_goal, MAX_MISSES)
    exclusions = tuple(sorted(
        f'{atom.selector} = "{atom.glob}"' for atom, pin in problem.pins
        if search.satisfiable(("and", (counted, ("not", pattern), pin)))
    ))
    if not noisy and not missed and search.inconsistent:
        return Verdict(valid=True, ok=False, exclusions=exclusions,
                       error="trailguard cannot decide this pattern: its selectors overlap (arrays or nested fields "
                             "also compared as a whole) in a way the judge cannot rule out; simplify it")
    return Verdict(valid=True, ok=not noisy and not missed, misses=tuple(missed), noise=tuple(noisy),
                   exclusions=exclusions, hints=_undocumented_field_hints(parsed.expr) +
                   _absent_field_hints(parsed.expr, missed))


def _undocumented_field_hints(expr: ast.Expr) -> Tuple[str, ...]:
    """Name selectors that no CloudTrail record has, suggesting the field that was probably meant."""
    hints = []
    known = sorted(cloudtrail.DOCUMENTED_TOP_LEVEL) + [f"userIdentity.{name}" for name in
                                                       sorted(cloudtrail.DOCUMENTED_USER_IDENTITY)]
    for node in iter_nodes(ast.JsonPattern(expr)):
        selector = getattr(node, "selector", None)
        if selector is None or not cloudtrail.undocumented(selector.steps):
            continue
        written = ".".join(str(step) for step in selector.steps[:2])
        guess = difflib.get_close_matches(written, known, n=1) or [
            name for name in known if name.lower() == written.lower()]
        hint = f"{selector} is not a field of CloudTrail records, so it never matches (field names are case-sensitive)"
        hint += f"; did you mean $.{guess[0]}?" if guess else ""
        if hint not in hints:
            hints.append(hint)
    return tuple(hints)


def _absent_field_hints(expr: ast.Expr, missed: Sequence[Dict[str, Any]]) -> Tuple[str, ...]:
    """Explain the most common cause of a miss: `!=` on a field that the missed event does not have."""
    hints = []
    for node in iter_nodes(ast.JsonPattern(expr)):
        negated = isinstance(node, (ast.StringMatch, ast.RegexMatch)) and node.negated
        if negated and any(not select(event, node.selector) for event in missed):
            hint = (f"{node.selector} != ... is false when the event has no {node.selector}, so every event without "
                    f"it is dropped; write ({node.selector} != ... || {node.selector} NOT EXISTS), or drop it")
            if hint not in hints:
                hints.append(hint)
    return tuple(hints)


def _example_events() -> Iterator[Tuple[bool, Dict[str, Any]]]:
    """(is unauthorized, event) pairs for patterns that read raw text rather than fields."""
    for code in cloudtrail.DENIED_ERROR_CODES:
        yield True, _tidy({**cloudtrail.BASE_EVENT, "errorCode": code})
    yield False, dict(cloudtrail.BASE_EVENT)


def _judge_by_examples(parsed: ast.Pattern) -> Verdict:
    """Term, space-delimited and empty patterns read the raw text of the event, not its fields.

    Any text a caller puts in a request appears in the event, so such a pattern can always be fooled one way or the
    other; the verdict fails and shows the events that prove it: a denied call it misses, or an authorized call
    whose request parameters carry the words the pattern looks for.
    """
    words = _pattern_words(parsed)
    excluded = [term.text for term in parsed.excluded] if isinstance(parsed, ast.TermPattern) else []
    misses, noise = [], []
    for unauthorized, event in _example_events():
        variants = [event]
        if unauthorized and excluded:
            variants.append({**event, "requestParameters": {"bucketName": " ".join(excluded)}})
        if not unauthorized:
            variants.append({**event, "eventName": "PutMetricFilter", "eventSource": "logs.amazonaws.com",
                             "requestParameters": {"filterPattern": " ".join(words)}})
        for variant in variants:
            hit = matches(parsed, variant)
            if unauthorized and not hit and len(misses) < MAX_MISSES:
                misses.append(variant)
            if not unauthorized and hit and len(noise) < MAX_NOISE:
                noise.append(variant)
    error = None
    if not misses and not noise:
        error = ("trailguard cannot prove a pattern that searches the raw text of the event; "
                 "use a JSON pattern that compares $.errorCode")
    return Verdict(valid=True, ok=False, misses=tuple(misses), noise=tuple(noise), error=error)


def _pattern_words(parsed: ast.Pattern) -> List[str]:
    if isinstance(parsed, ast.TermPattern):
        return [term.text for term in parsed.required + parsed.optional if not term.is_regex]
    words = []
    for node in iter_nodes(parsed):
        if isinstance(node, ast.StringMatch):
            words.append(node.glob.replace("*", ""))
    return words
