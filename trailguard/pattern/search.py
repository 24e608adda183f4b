"""The exact search behind the judge: is there a CloudTrail event that satisfies a formula over a pattern's atoms?

Every field the pattern (or the target) reads becomes a variable whose domain is one representative value per
distinguishable case: absent when CloudTrail may omit it, one string per realisable combination of the field's
globs and regexes (decided lazily by automata, `witnesses.find_witness`), booleans, null, numbers around each
constant, an object, typed as CloudTrail writes the field. A depth-first search with three-valued evaluation looks
for an assignment that makes the goal true, pruning every branch the partial assignment already decides.

Every assignment that satisfies the goal is rebuilt as a concrete event from a complete, ordinary skeleton (the
service that writes its error code, an IAM user with every field of that identity type), re-checked with the
evaluator, and refused when CloudTrail could not write it (`cloudtrail.incoherent`): a verdict is never proven
with an event that cannot happen. The search is bounded; past its budget it raises `TooComplex` naming the cause.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple, Union

from trailguard.pattern import ast, cloudtrail, other_service_calls
from trailguard.pattern.compiled import dfa_for
from trailguard.pattern.evaluator import compare, evaluate, select
from trailguard.pattern.witnesses import TooComplex, find_witness, shortest_accepted

MAX_SEARCH_NODES = 50_000


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


ABSENT = _Absent()

# Nodes: ("atom", path, index) | ("const", bool) | ("not", node) | ("and", nodes) | ("or", nodes)
Node = Tuple[Any, ...]
Path = Tuple[ast.PathStep, ...]
TRUE: Node = ("const", True)
ERROR_CODE: Path = ("errorCode",)
ARN: Path = ("userIdentity", "arn")
# Fields placed first, so each later one can follow it (the call follows the error code, the service the call).
_KNOWN_CALLS_TRIED = 6  # real call names tried for an eventName glob, before made-up ones
_PLACEMENT_ORDER = {("errorCode",): 0, ("eventName",): 1, ("eventSource",): 2, ("userIdentity", "type"): 3}


_OTHER_SERVICE_CALLS: Dict[Tuple[Any, ...], Optional[Tuple[str, str]]] = {}


class Strings(dict):
    """A field assigned "some string": maps the indices of its decided glob/regex atoms to their truth."""


@dataclass
class Field:
    """One field the formulas read: its atoms, concrete candidate values, and lazily decided strings."""

    selector: ast.Selector
    atoms: List[ast.Comparison] = field(default_factory=list)
    choices: List[Any] = field(default_factory=list)
    signatures: List[Tuple[bool, ...]] = field(default_factory=list)
    strings: bool = False
    candidates: List[str] = field(default_factory=list)
    # Automata of values no record carries (a misspelt call name): every witness lies outside them.
    unreal: List[Any] = field(default_factory=list)
    _witnesses: Dict[Tuple[FrozenSet[Tuple[int, bool]], Tuple[str, ...]], Optional[str]] = field(
        default_factory=dict)
    _signatures: Dict[Tuple[str, int], Tuple[bool, ...]] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.selector.steps

    def signature(self, value: Any) -> Tuple[bool, ...]:
        """Which of this field's atoms a value makes true: values with equal signatures are interchangeable.

        A string's is remembered (the search asks again for the same call names hundreds of thousands of times);
        the key holds the number of atoms, which only grows while the problem is built."""
        if not isinstance(value, str):
            return tuple(atom_holds(atom, value) for atom in self.atoms)
        key = (value, len(self.atoms))
        if key not in self._signatures:
            self._signatures[key] = tuple(atom_holds(atom, value) for atom in self.atoms)
        return self._signatures[key]

    def atom_index(self, atom: ast.Comparison) -> int:
        if atom not in self.atoms:
            self.atoms.append(atom)
        return self.atoms.index(atom)

    def is_string_atom(self, index: int) -> bool:
        return isinstance(self.atoms[index], (ast.StringMatch, ast.RegexMatch))

    def witness(self, truths: Dict[int, bool], preferred: Sequence[str] = ()) -> Optional[str]:
        """A string making exactly these atoms true/false (the others free), or None if there is none."""
        key = (frozenset(truths.items()), tuple(preferred))
        if key not in self._witnesses:
            constraints = [(dfa_of(self.atoms[index]), truth != self.atoms[index].negated)
                           for index, truth in sorted(truths.items())]
            constraints += [(automaton, False) for automaton in self.unreal]
            try:
                self._witnesses[key] = find_witness(constraints, list(preferred) + self.candidates)
            except TooComplex as error:
                raise TooComplex(str(error).replace("one field", str(self.selector))) from None
        return self._witnesses[key]


def dfa_of(atom: Union[ast.StringMatch, ast.RegexMatch]):
    """The automaton of a glob or regex atom, ignoring its negation."""
    return dfa_for("glob", atom.glob) if isinstance(atom, ast.StringMatch) else dfa_for("regex", atom.regex)


def atom_holds(atom: ast.Comparison, value: Any) -> bool:
    if isinstance(atom, ast.NotExists):
        return value is ABSENT
    return value is not ABSENT and compare(atom, value)


class Problem:
    """The fields of a pattern and of the formulas judged with it, their domains, and each formula as a node.

    All formulas are given up front: a field's domain depends on every atom that reads it.
    """

    def __init__(self, pattern: ast.Expr, formulas: Sequence[ast.Expr]) -> None:
        self.fields: Dict[Path, Field] = {}
        self.pattern = self._translate(pattern)
        self.nodes: Dict[ast.Expr, Node] = {formula: self._translate(formula) for formula in formulas}
        self.order = sorted(self.fields, key=lambda path: (path != ERROR_CODE, list(self.fields).index(path)))
        for path in self.order:
            self._build_domain(self.fields[path])

    def node(self, formula: ast.Expr) -> Node:
        return self.nodes[formula]

    def atom(self, atom: ast.Comparison) -> Node:
        path = atom.selector.steps
        entry = self.fields.setdefault(path, Field(atom.selector))
        return ("atom", path, entry.atom_index(atom))

    def _translate(self, expr: ast.Expr) -> Node:
        if isinstance(expr, ast.And):
            return ("and", tuple(self._translate(operand) for operand in expr.operands))
        if isinstance(expr, ast.Or):
            return ("or", tuple(self._translate(operand) for operand in expr.operands))
        return self.atom(expr)

    def _is_prefix(self, path: Path) -> bool:
        return any(len(other) > len(path) and other[:len(path)] == path for other in self.fields)

    def _build_domain(self, entry: Field) -> None:
        """Concrete values first (absent, realistic strings, other JSON types), then "any other string", lazily."""
        path = entry.path
        if cloudtrail.undocumented(path):  # never present in a CloudTrail record
            entry.choices, entry.signatures = [ABSENT], [entry.signature(ABSENT)]
            return
        known = path if all(isinstance(step, str) for step in path) else None
        kind = cloudtrail.field_type(known) if known else cloudtrail.ANY
        entry.strings = kind in (cloudtrail.STRING, cloudtrail.ANY)
        if entry.strings:
            entry.unreal = _unreal_values(entry, known)
            entry.candidates = [text for text in _string_candidates(entry, known)
                                if not any(automaton.accepts(text) for automaton in entry.unreal)]
        values: List[Any] = [] if known and cloudtrail.always_present(known) else [ABSENT]
        if entry.strings:
            values.extend(entry.candidates[:len(cloudtrail.REALISTIC_VALUES.get(known or (), ())) + 4])
        if kind in (cloudtrail.BOOLEAN, cloudtrail.ANY):
            values.extend([True, False])
        if kind == cloudtrail.ANY:
            values.extend([None, *_numbers(entry.atoms), []])
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


def _string_candidates(entry: Field, known: Optional[Path]) -> List[str]:
    """Strings worth trying before a search: realistic values, the pattern's own literals, and their joins."""
    literals: List[str] = []
    for atom in entry.atoms:
        texts: List[str] = []
        if isinstance(atom, ast.StringMatch):
            texts = [atom.glob.replace("*", ""), atom.glob.replace("*", "x")]
        elif isinstance(atom, ast.RegexMatch):
            texts = [text for text in [shortest_accepted(dfa_of(atom).nfa)] if text is not None]
        literals.extend(text for text in texts if text not in literals)
    joined = [a + b for a in literals[:8] for b in literals[:8] if a != b]
    ordered = list(cloudtrail.REALISTIC_VALUES.get(known or (), ())) + _known_calls(entry, known) + literals + [
        "example"] + joined
    return list(dict.fromkeys(ordered))


def _unreal_values(entry: Field, known: Optional[Path]) -> List[Any]:
    """The automata of the pattern's exact values, compared with `=`, that no record carries
    (`AutorizeSecurityGroupIngress`, `“ec2.amazonaws.com”`): neither a miss nor noise may be shown with one (judge.py
    names the typo instead). A `!=` on such a value is an exclusion, listed as written."""
    if known is None:
        return []
    excluded = {atom.glob for atom in entry.atoms if isinstance(atom, ast.StringMatch) and atom.negated}
    return [dfa_of(atom) for atom in entry.atoms if isinstance(atom, ast.StringMatch) and "*" not in atom.glob
            and atom.glob not in excluded and cloudtrail.unreal_value(known, atom.glob)]


def _known_calls(entry: Field, known: Optional[Path]) -> List[str]:
    """Real call names that one of the pattern's eventName globs or regexes matches (a few), so that a glob such as
    `*NetworkAcl*` is shown counting DescribeNetworkAcls rather than a name no service has."""
    if known != ("eventName",):
        return []
    automata = [dfa_of(atom) for atom in entry.atoms
                if isinstance(atom, ast.RegexMatch) or (isinstance(atom, ast.StringMatch) and "*" in atom.glob)]
    found = [name for name in cloudtrail.SOURCE_FOR_EVENT_NAME if any(dfa.accepts(name) for dfa in automata)]
    return found[:_KNOWN_CALLS_TRIED]


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


# --- formulas --------------------------------------------------------------------------------------------------------

def _read_as(entry: Field, value: Any) -> Node:
    """The node true of exactly the values that every atom of the field reads as it reads `value`."""
    atoms: List[Node] = [("atom", entry.path, index) for index in range(len(entry.atoms))]
    return conjunction(*(atom if truth else negation(atom) for atom, truth in zip(atoms, entry.signature(value))))


def conjunction(*nodes: Node) -> Node:
    return ("and", nodes)


def disjunction(nodes: Sequence[Node]) -> Node:
    return ("or", tuple(nodes))


def negation(node: Node) -> Node:
    return ("not", node)


def substitute(node: Node, path: Path, truths: Dict[int, bool]) -> Node:
    """The formula with the atoms of one field replaced by constants: how it reads an event whose field changed."""
    kind = node[0]
    if kind == "atom":
        return ("const", truths[node[2]]) if node[1] == path else node
    if kind == "const":
        return node
    if kind == "not":
        return ("not", substitute(node[1], path, truths))
    return (kind, tuple(substitute(operand, path, truths) for operand in node[1]))


def atoms_of(node: Node) -> Set[Tuple[Path, int]]:
    if node[0] == "atom":
        return {(node[1], node[2])}
    if node[0] == "const":
        return set()
    if node[0] == "not":
        return atoms_of(node[1])
    found: Set[Tuple[Path, int]] = set()
    for operand in node[1]:
        found |= atoms_of(operand)
    return found


def _value(node: Node, problem: Problem, assignment: Dict[Path, Any]) -> Optional[bool]:
    kind = node[0]
    if kind == "atom":
        choice = assignment.get(node[1])
        if choice is None:
            return None
        if isinstance(choice, Strings):
            if node[2] in choice:
                return choice[node[2]]
            return None if problem.fields[node[1]].is_string_atom(node[2]) else False
        return problem.fields[node[1]].signatures[choice][node[2]]
    if kind == "const":
        return node[1]
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


def holds(node: Node, problem: Problem, event: Dict[str, Any]) -> bool:
    """A formula on a concrete event, by the evaluator (AWS's semantics), not by the search's bookkeeping."""
    kind = node[0]
    if kind == "atom":
        return evaluate(problem.fields[node[1]].atoms[node[2]], event)
    if kind == "const":
        return node[1]
    if kind == "not":
        return not holds(node[1], problem, event)
    results = (holds(operand, problem, event) for operand in node[1])
    return any(results) if kind == "or" else all(results)


# --- the search ------------------------------------------------------------------------------------------------------

class Search:
    """Depth-first search for an event satisfying a goal formula, over fields in order."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.nodes = 0
        self.allowance = MAX_SEARCH_NODES  # a lower bound for questions whose answer only adds detail
        self.inconsistent = 0
        self._rejected_as_incoherent = False
        self._real_calls: Dict[Tuple[Any, ...], Tuple[str, str]] = {}
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

    def real_call(self, goal: Node, found: Sequence[Dict[str, Any]], tries: int) -> Optional[Dict[str, Any]]:
        """An event satisfying `goal` whose call its service is known to make, sought among calls that the atoms on
        eventName read differently from the made-up calls `found` (at most `tries` more searches), or None."""
        entry = self.problem.fields.get(("eventName",))
        if entry is None:
            return None
        seen = list(found)
        for _ in range(tries):
            unlike = [negation(_read_as(entry, event.get("eventName", ABSENT))) for event in seen]
            event = self.first(conjunction(goal, *unlike))
            if event is None or cloudtrail.known_call(event):
                return event
            seen.append(event)
        return None

    def first(self, goal: Node) -> Optional[Dict[str, Any]]:
        return self._start(goal, {}, 0)

    def satisfiable(self, goal: Node) -> bool:
        return self.first(goal) is not None

    def _start(self, goal: Node, assignment: Dict[Path, Any], depth: int) -> Optional[Dict[str, Any]]:
        self.goal, self.relevant = goal, atoms_of(goal)
        return self._solve(assignment, depth)

    def _tick(self) -> None:
        self.nodes += 1
        if self.nodes > min(MAX_SEARCH_NODES, self.allowance):
            raise TooComplex(f"deciding it takes more than {MAX_SEARCH_NODES:,} search steps over "
                             f"{len(self.problem.fields)} fields")

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
            if result is True and not self._rejected_as_incoherent:
                self.inconsistent += 1  # the bookkeeping promised an event the evaluator does not confirm
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
            assignment[path] = Strings()
            event = self._solve_strings(assignment, depth, path, undecided)
            if event is not None:
                return event
        del assignment[path]
        return None

    def _solve_strings(self, assignment: Dict[Path, Any], depth: int, path: Path,
                       undecided: List[int]) -> Optional[Dict[str, Any]]:
        """Decide the field's glob/regex atoms one at a time, keeping only combinations some string realises."""
        self._tick()
        truths: Strings = assignment[path]
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

    # --- from an assignment to an event CloudTrail could write --------------------------------------------------

    def _realise(self, assignment: Dict[Path, Any]) -> Optional[Dict[str, Any]]:
        """Build the concrete event of an assignment and re-check it; None if it is not a real, coherent event.

        The error code is chosen last among equals: each code of its case (`AccessDenied`, `AccessDeniedException`)
        is tried until the rest of the event can be built around it by a service that returns it; and when the
        pattern leaves the identity's type free, each type in turn (a call without `userName` is an assumed role's).
        """
        self._rejected_as_incoherent = False
        kinds = self._identity_kinds(assignment)
        for code, kind in itertools.product(self._codes(assignment.get(ERROR_CODE)), kinds):
            event = cloudtrail.skeleton(code if isinstance(code, str) else None)
            if kind is not None:
                event["userIdentity"] = copy.deepcopy(cloudtrail.IDENTITIES[kind])
            rest = sorted((path for path in assignment if path != ERROR_CODE),
                          key=lambda path: (_PLACEMENT_ORDER.get(path, 9), len(path)))
            if not all(self._assign(event, path, assignment[path]) for path in rest):
                return None
            self._always_there(event)
            self._follow(event)
            self._sign_in(event, assignment)
            self._pair(event, assignment)
            self._real_call(event)
            if not self._agrees_everywhere(event, assignment) or not holds(self.goal, self.problem, event):
                return None
            self._rejected_as_incoherent = cloudtrail.incoherent(event) is not None or self._made_up(event)
            if not self._rejected_as_incoherent:
                return tidy(event)
        return None

    def _real_call(self, event: Dict[str, Any]) -> None:
        """A made-up call name (`Delete`, `DeleteVpcCreateVpc`: a witness of the pattern's globs and regexes) becomes a
        real call of the event's service that every atom on eventName reads the same way (`DeleteRole`,
        `CreateVpcEndpoint`), when one is known: no formula can tell them apart, so the verdict stands."""
        entry = self.problem.fields.get(("eventName",))
        name, source = event.get("eventName"), event.get("eventSource")
        if entry is None or not isinstance(name, str) or not isinstance(source, str) or \
                cloudtrail.known_call(event):
            return
        wanted = entry.signature(name)
        key = (name, source, event.get("errorCode"), wanted)
        if key not in self._real_calls:  # the search meets the same made-up name in many branches
            self._real_calls[key] = self._known_call_like(event, wanted) or self._other_service_call(event, wanted)
        event["eventName"], event["eventSource"] = self._real_calls[key]

    def _known_call_like(self, event: Dict[str, Any], wanted: Tuple[bool, ...]) -> Optional[Tuple[str, str]]:
        """A known call of the event's service (or, when the pattern leaves the service free, of any service whose
        calls are all known) that the pattern reads as it reads the event's made-up name."""
        source, code = event["eventSource"], event.get("errorCode")
        sources = [source]
        if ("eventSource",) not in self.problem.fields:  # the service is free: another's call will do
            sources += [other for other in cloudtrail.SERVICE_CALLS if other != source and
                        not (isinstance(code, str) and cloudtrail.code_foreign(code, other))]
        entry = self.problem.fields[("eventName",)]
        return next(((call, owner) for owner in sources for call in cloudtrail.known_calls_of(owner)
                     if entry.signature(call) == wanted), None)

    def _other_service_call(self, event: Dict[str, Any], wanted: Tuple[bool, ...]) -> Tuple[str, str]:
        """A call of any other service that the pattern reads as it reads the made-up name, from a service it reads
        as the event's (DeviceFarm's ScheduleRun for `Schedule*`), or the made-up name itself, to be refused."""
        name, source = event["eventName"], event["eventSource"]
        if source in cloudtrail.SERVICE_CALLS and ("eventSource",) in self.problem.fields:
            return name, source  # the pattern names a service whose every call is known: it has none such
        entry = self.problem.fields[("eventName",)]
        services = self.problem.fields.get(("eventSource",))
        read_as = services.signature(source) if services is not None else None
        code = event.get("errorCode")
        # The same question recurs across patterns (a brute-force test, a monorepo's accounts): remembered by what
        # decides it, the atoms on both fields.
        key = (tuple(entry.atoms), wanted, tuple(services.atoms) if services is not None else None, read_as, code)
        if key not in _OTHER_SERVICE_CALLS:
            if len(_OTHER_SERVICE_CALLS) >= 4096:
                _OTHER_SERVICE_CALLS.clear()
            # The atoms a call must match first: they rule out nearly every name at once.
            checks = sorted(zip(entry.atoms, wanted), key=lambda pair: not pair[1])
            _OTHER_SERVICE_CALLS[key] = next(
                ((call, owner) for call, owner in other_service_calls.calls()
                 if all(atom_holds(atom, call) is want for atom, want in checks) and
                 (services is None or services.signature(owner) == read_as) and
                 not (isinstance(code, str) and cloudtrail.code_foreign(code, owner))), None)
        return _OTHER_SERVICE_CALLS[key] or (name, source)

    def _made_up(self, event: Dict[str, Any]) -> bool:
        """Whether the event's call is a name built from the pattern's globs that no service is known to have and
        the formulas never write out: no record carries it, so it proves nothing."""
        name = event.get("eventName")
        return isinstance(name, str) and not cloudtrail.known_call(event) and not self._written_call(name) and \
            cloudtrail.misspelt_call(name) is None and name not in other_service_calls.names() and \
            cloudtrail.closed_service_of(name) is None

    def _always_there(self, event: Dict[str, Any]) -> None:
        """A field every record has, read (or read below) but left undecided by the search, gets its ordinary
        value (null for requestParameters and responseElements): the goal is re-checked on the event, so a field
        CloudTrail always writes is never assumed absent."""
        for key in dict.fromkeys(path[0] for path in self.problem.fields if isinstance(path[0], str)):
            if cloudtrail.always_present((key,)) and key not in event and key in cloudtrail.RECORD_DEFAULTS:
                event[key] = copy.deepcopy(cloudtrail.RECORD_DEFAULTS[key])

    def _identity_kinds(self, assignment: Dict[Path, Any]) -> List[Optional[str]]:
        """The identity types to build the event around: every type when the pattern leaves it free, else each
        type of the assigned case (an assumed role where an IAM user would need a userName the event lacks)."""
        path = ("userIdentity", "type")
        if path not in self.problem.fields:
            return list(cloudtrail.IDENTITIES)
        if path not in assignment:
            return [None]
        entry = self.problem.fields[path]
        wanted = _wanted(entry, assignment[path])
        return [kind for kind in cloudtrail.IDENTITIES if _agrees(entry.signature(kind), wanted)] or [None]

    def _codes(self, choice: Any) -> List[Any]:
        """The error codes an assignment's case admits, realistic ones first."""
        if choice is None:
            return [ABSENT]
        entry = self.problem.fields[ERROR_CODE]
        wanted = _wanted(entry, choice)
        realistic = [code for code in cloudtrail.REALISTIC_VALUES[ERROR_CODE] if _agrees(entry.signature(code), wanted)]
        fallback = self._value_of(ERROR_CODE, choice, ())
        return list(dict.fromkeys(realistic + [fallback])) if fallback is not None else realistic

    def _assign(self, event: Dict[str, Any], path: Path, choice: Any) -> bool:
        """Give one field its assigned case, keeping the skeleton's value when it already is that case."""
        entry = self.problem.fields[path]
        wanted = _wanted(entry, choice)
        present = select(event, entry.selector)
        if len(present) == 1 and _agrees(entry.signature(present[0]), wanted) and _fits(path, present[0], event):
            return True
        if path == ("userIdentity", "type"):
            kind = self._value_of(path, choice, tuple(cloudtrail.IDENTITIES))
            if kind in cloudtrail.IDENTITIES:
                event["userIdentity"] = copy.deepcopy(cloudtrail.IDENTITIES[kind])
                return True
        preferred = self._arns(event) if path == ARN else _preferred(path, event)
        return place(event, path, self._value_of(path, choice, preferred))

    def _arns(self, event: Dict[str, Any]) -> Tuple[str, ...]:
        """ARNs the placed identity could carry, named after the texts the pattern looks for in ARNs."""
        identity = event.get("userIdentity")
        texts = [piece for atom in self.problem.fields[ARN].atoms if isinstance(atom, ast.StringMatch)
                 for piece in atom.glob.split("*") if piece]
        return cloudtrail.arns_for(identity.get("type") if isinstance(identity, dict) else None, texts)

    def _sign_in(self, event: Dict[str, Any], assignment: Dict[Path, Any]) -> None:
        """An event with a sign-in's outcome (responseElements.ConsoleLogin) or a sign-in's event type
        (AwsConsoleSignIn) is a console sign-in, from signin: the call and the service become those wherever their
        assigned cases allow, and a failure carries the message CloudTrail writes when the pattern leaves it free."""
        response = event.get("responseElements")
        has_outcome = isinstance(response, dict) and "ConsoleLogin" in response
        if not has_outcome and event.get("eventType") != cloudtrail.SIGN_IN_TYPE:
            return
        if has_outcome and response["ConsoleLogin"] == "Failure" and ("errorMessage",) not in self.problem.fields:
            event.setdefault("errorMessage", "Failed authentication")  # a failed sign-in says why
        for path, value in ((("eventName",), "ConsoleLogin"), (("eventSource",), cloudtrail.SIGN_IN_SOURCE),
                            (("eventType",), cloudtrail.SIGN_IN_TYPE)):
            if path == ("eventType",) and "eventType" not in event:
                continue  # left to the whole record, which types a sign-in as one
            entry = self.problem.fields.get(path)
            if entry is None or path not in assignment or _agrees(entry.signature(value),
                                                                    _wanted(entry, assignment[path])):
                event[path[0]] = value

    def _pair(self, event: Dict[str, Any], assignment: Dict[Path, Any]) -> None:
        """When both the call and the service were placed and do not belong together, give the call one of the
        service's calls, or the service the call's service, or the call a name no known service owns (a
        `DescribeHub` for Security Hub), whichever the assigned cases allow."""
        name, source = event.get("eventName"), event.get("eventSource")
        if not isinstance(source, str) or cloudtrail.SOURCE_FOR_EVENT_NAME.get(name, source) == source:
            return
        names = self.problem.fields[("eventName",)].candidates if ("eventName",) in self.problem.fields else []
        unowned = tuple(candidate for candidate in names if candidate not in cloudtrail.SOURCE_FOR_EVENT_NAME)
        for path, values in ((("eventName",), cloudtrail.calls_of(source)),
                             (("eventSource",), (cloudtrail.SOURCE_FOR_EVENT_NAME[name],)),
                             (("eventName",), unowned)):
            entry = self.problem.fields.get(path)
            wanted = _wanted(entry, assignment[path]) if entry and path in assignment else None
            fitting = [value for value in values if wanted is None or _agrees(entry.signature(value), wanted)]
            if fitting:
                event[path[0]] = fitting[0]
                return

    def _follow(self, event: Dict[str, Any]) -> None:
        """Fields the pattern leaves free follow the ones it sets: the service follows the call, the call the
        service, and a call made from an AWS service's address names that service as its invoker."""
        read = self.problem.fields
        name, source = event.get("eventName"), event.get("eventSource")
        if ("eventSource",) not in read and name in cloudtrail.SOURCE_FOR_EVENT_NAME:
            event["eventSource"] = cloudtrail.SOURCE_FOR_EVENT_NAME[name]
        elif ("eventSource",) not in read and isinstance(name, str) and cloudtrail.no_such_call(source, name):
            # A call the default service does not make: the service that makes it, or, for a name the pattern
            # writes out that no known service makes, a service whose calls are not all known (it may be one of
            # theirs). A name made up from a glob stays where it is, to be replaced by a real call or refused.
            event["eventSource"] = cloudtrail.closed_service_of(name) or (
                self._written_call(name) and cloudtrail.open_service_for(event.get("errorCode"))) or source
        elif ("eventName",) not in read and isinstance(source, str) and cloudtrail.calls_of(source) and \
                cloudtrail.SOURCE_FOR_EVENT_NAME.get(name) != source:
            event["eventName"] = cloudtrail.calls_of(source)[0]
        address, identity = event.get("sourceIPAddress"), event.get("userIdentity")
        if isinstance(address, str) and address.endswith(".amazonaws.com") and isinstance(identity, dict) and \
                "invokedBy" not in identity and ("userIdentity", "invokedBy") not in read:
            identity["invokedBy"] = address

    def _written_call(self, name: str) -> bool:
        """Whether an exact value of eventName in the formulas (not a witness of a glob) is this name."""
        entry = self.problem.fields.get(("eventName",))
        return entry is not None and any(isinstance(atom, ast.StringMatch) and atom.is_exact and atom.glob == name
                                         for atom in entry.atoms)

    def _agrees_everywhere(self, event: Dict[str, Any], assignment: Dict[Path, Any]) -> bool:
        for path, choice in assignment.items():
            entry = self.problem.fields[path]
            present = select(event, entry.selector)
            actual = tuple(
                (not present) if isinstance(atom, ast.NotExists) else any(compare(atom, v) for v in present)
                for atom in entry.atoms
            )
            if not _agrees(actual, _wanted(entry, choice)):
                return False
        return True

    def _value_of(self, path: Path, choice: Any, preferred: Sequence[str]) -> Any:
        """The value of a field's case: a preferred (coherent) value of that case when there is one."""
        entry = self.problem.fields[path]
        if isinstance(choice, Strings):
            return entry.witness(choice, preferred)
        wanted = entry.signatures[choice]
        return next((value for value in preferred if entry.signature(value) == wanted), entry.choices[choice])


def _fits(path: Path, value: Any, event: Dict[str, Any]) -> bool:
    """Whether a skeleton's value still goes with what is placed: the call's service returns the error code, and
    the service is the call's."""
    code, name = event.get("errorCode"), event.get("eventName")
    if path == ("eventName",):
        return not _foreign(code, cloudtrail.SOURCE_FOR_EVENT_NAME.get(value))
    if path == ("eventSource",):
        return (cloudtrail.SOURCE_FOR_EVENT_NAME.get(name, value) == value or
                value in cloudtrail.OTHER_SERVICES_CALLING.get(name, ())) and not _foreign(code, value) and \
            not cloudtrail.no_such_call(value, name)
    return True


def _foreign(code: Any, source: Any) -> bool:
    return isinstance(code, str) and isinstance(source, str) and cloudtrail.code_foreign(code, source)


def _preferred(path: Path, event: Dict[str, Any]) -> Tuple[str, ...]:
    """Values that keep the event coherent with what is already placed (the error code, then the call)."""
    placed = tuple(value if isinstance(value, str) else None
                   for value in (event.get("errorCode"), event.get("eventName"), event.get("eventSource")))
    if path == ("eventType",):  # a sign-in's own type, and never a sign-in's for a call
        return cloudtrail.event_types_for(event.get("eventName"), event.get("eventSource"))
    return _coherent_values(path, *placed) if path in (("eventName",), ("eventSource",)) else ()


@functools.lru_cache(maxsize=4096)
def _coherent_values(path: Path, code: Optional[str], name: Optional[str], source: Optional[str]) -> Tuple[str, ...]:
    """`_preferred`'s answer for what is placed, remembered: the search asks it for every value it places."""
    if path == ("eventName",):
        own = cloudtrail.calls_of(source) if source is not None else ()
        return own + tuple(call for call, owner in cloudtrail.SOURCE_FOR_EVENT_NAME.items()
                           if not _foreign(code, owner))
    if path == ("eventSource",):
        owner = cloudtrail.SOURCE_FOR_EVENT_NAME.get(name) or (cloudtrail.closed_service_of(name) if name else None)
        others = cloudtrail.OTHER_SERVICES_CALLING.get(name, ()) if name else ()
        return ((owner,) if owner else ()) + others + tuple(service for service in cloudtrail.SERVICES
                                                    if not _foreign(code, service) and
                                                    not cloudtrail.no_such_call(service, name))
    return ()


def _wanted(entry: Field, choice: Any) -> Tuple[Optional[bool], ...]:
    """The atom truths an assignment promises: all of them for a concrete value, the decided ones for a string."""
    if isinstance(choice, Strings):
        return tuple(choice.get(index, None if entry.is_string_atom(index) else False)
                     for index in range(len(entry.atoms)))
    return entry.signatures[choice]


def _agrees(actual: Sequence[bool], wanted: Sequence[Optional[bool]]) -> bool:
    return all(want is None or have == want for have, want in zip(actual, wanted))


def place(event: Dict[str, Any], path: Tuple[ast.PathStep, ...], value: Any) -> bool:
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


_KEY_ORDER = ["eventSource", "eventName", "errorCode", "errorMessage", "sourceIPAddress", "userIdentity"]


def tidy(event: Dict[str, Any]) -> Dict[str, Any]:
    """The fields people read first, first."""
    ordered = {key: event[key] for key in _KEY_ORDER if key in event}
    ordered.update({key: value for key, value in event.items() if key not in ordered})
    return ordered
