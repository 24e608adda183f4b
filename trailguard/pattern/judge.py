"""Does a filter pattern count exactly its control's events? (TG_AWS_2 / E9102)

The rule (docs/rules.md, "Judging a pattern"), for a target (`target.py`: MUST, DONTCARE, the kinds of noise, the
fields that may pin an exclusion) and a pattern P:

1. Noise: no event outside MUST may match. Each kind is searched for separately, so a report says whether a call
   that succeeded matches (the OR bug, a match-all) or a call that failed without being denied.
2. Broad misses: every event in MUST and not in DONTCARE must match, except events pinned by an exact value of a
   pinning field that the pattern names. "Exact" is decided by the atom's language (`"HeadBucket"` and
   `%^HeadBucket$%` both accept one string), not by its spelling.
3. The absent-field trap: a missed event that lacks an optional field, and that P would count if that field held
   a value the pattern never names positively, is the `!=`-on-absent trap. Such a miss fails even when pinned: only
   a `!=` atom can tell "absent" from "some other value", and what it was written for was the value.
4. What is left are narrow exclusions, described as the sets of events they leave out.

Each question is a search for an event (`search.py`), exact over representative values and re-checked with the
evaluator. The answer is PASS, FAIL with events, CANNOT DECIDE naming the construct that stopped the search and
how to rewrite it, or INVALID when AWS would reject the pattern.
"""

from __future__ import annotations

import copy
import difflib
import itertools
from dataclasses import replace
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple, Union

from trailguard.pattern import ast, cloudtrail
from trailguard.pattern.compiled import glob_matches, make_room
from trailguard.pattern.errors import PatternError
from trailguard.pattern.evaluator import select
from trailguard.pattern.parser import iter_nodes, parse
from trailguard.pattern.raw_text import judge_raw_text
from trailguard.pattern.search import (
    ABSENT,
    Field,
    Node,
    Path,
    Problem,
    Search,
    atoms_of,
    conjunction,
    dfa_of,
    disjunction,
    holds,
    negation,
    place,
    substitute,
)
from trailguard.pattern.target import Target
from trailguard.pattern.verdict import (
    ABSENT_FIELD,
    CANNOT_DECIDE,
    FAIL,
    INVALID,
    MISSED,
    PASS,
    Counterexample,
    Verdict,
    compact,
)
from trailguard.pattern.witnesses import TooComplex, only_string

__all__ = ["Verdict", "judge"]

MAX_MISSES = 3
MAX_NOISE = 2
REAL_CALL_TRIES = 4  # searches for a noise event with a real call, once the first ones show made-up calls
MAX_TRAPS = 3
DETAIL_SEARCH_NODES = 1_500
MAX_DESCRIPTIONS = 6
MAX_TRAP_COMBINATIONS = 64
# A passing pattern's exclusions when describing them exceeds the search budget (the pass itself is proven).
UNDESCRIBED = "possibly events of the identities the pattern names (too intricate to describe one by one)"

Pin = Tuple[ast.Selector, str, ast.Comparison]


def judge(pattern: Union[str, ast.Pattern, object], target: Target) -> Verdict:
    """Judge a pattern against a control's target events. Never raises on bad input."""
    make_room()
    try:
        parsed = pattern if isinstance(pattern, (ast.JsonPattern, ast.TermPattern, ast.SpaceDelimitedPattern,
                                                 ast.MatchAll)) else parse(pattern)
    except PatternError as error:
        return Verdict(INVALID, error=error.describe())
    try:
        if isinstance(parsed, ast.JsonPattern):
            return _Judgement(parsed.expr, target).verdict()
        return judge_raw_text(parsed, target)
    except TooComplex as error:
        return _cannot_decide(f"{error}; rewrite it with fewer fields and plainer values (exact strings or "
                              "globs with a leading or trailing *), or split it into several filters")
    except PatternError as error:
        return _cannot_decide(f"{error.describe()}; rewrite that value as a plain string or a shorter glob")


def _cannot_decide(why: str) -> Verdict:
    return Verdict(CANNOT_DECIDE, error=f"trailguard cannot decide this pattern (fail closed): {why}")


class _Judgement:
    """The questions of one JSON pattern against one target, over one shared search problem."""

    def __init__(self, expr: ast.Expr, target: Target) -> None:
        self.expr, self.target = expr, target
        self.pins = _pins(expr, target)
        self.trap_fields = _trap_fields(expr)
        pin_paths = list(dict.fromkeys(selector for selector, _, _ in self.pins))
        self.presence = [selector for selector in _absence_tests(expr) if selector not in pin_paths]
        extra: List[ast.Expr] = [target.must, target.dont_care, *(kind.condition for kind in target.noise)]
        extra += [atom for _, _, atom in self.pins]
        extra += [ast.NotExists(selector) for selector in list(self.trap_fields) + pin_paths + self.presence]
        self.problem = Problem(expr, extra)
        self.search = Search(self.problem)
        node = self.problem.node
        self.pattern = self.problem.pattern
        self.must = node(target.must)
        self.counted = conjunction(self.must, negation(node(target.dont_care)))
        self.missed = conjunction(self.counted, negation(self.pattern))

    def verdict(self) -> Verdict:
        found = self._noise() + self._broad_misses()
        found += self._traps(found)
        hints = _undocumented_field_hints(self.expr) + _misspelt_call_hints(self.expr) + _role_arn_hints(self.expr)
        if found:
            return Verdict(FAIL, tuple(self._as_records(found)), hints=hints)
        if self.search.inconsistent:
            return _cannot_decide("its selectors overlap (an array or object read through [*] or .* and also "
                                  "field by field) in a way the judge cannot rule out; compare each field through "
                                  "one selector")
        exclusions = self._detail(self._exclusions, self.search.allowance)
        return Verdict(PASS, exclusions=(UNDESCRIBED,) if exclusions is None else exclusions,
                       hints=_misspelt_call_hints(self.expr) + _role_arn_hints(self.expr))

    def _detail(self, question: Callable[[], Any], allowance: int = DETAIL_SEARCH_NODES) -> Any:
        """The answer to a question that only adds detail to a verdict already proven, or None when it takes more
        than `allowance` further search steps: detail never turns a proven verdict into CANNOT DECIDE."""
        previous = self.search.allowance
        self.search.allowance = self.search.nodes + allowance
        try:
            return question()
        except TooComplex:
            return None
        finally:
            self.search.allowance = previous

    def _as_records(self, found: List[Counterexample]) -> List[Counterexample]:
        """Counterexamples as whole CloudTrail records, for targets that show them so. Two events the search told
        apart by a field the pattern never reads become one record once completed: it is shown once."""
        if not self.target.complete_records:
            return found
        read = list(self.problem.fields)
        records: Dict[str, Counterexample] = {}
        for example in found:
            record = replace(example, event=cloudtrail.complete(example.event, read))
            records.setdefault(f"{record.kind}\n{compact(record.event)}", record)
        return list(records.values())

    def _noise(self) -> List[Counterexample]:
        """Events outside the target that the pattern counts, by kind; one showing a call its service is known to
        make is proof enough, so a made-up name (a witness of a glob, `PutPolicy`) is shown only when no such one is
        found."""
        found = []
        for kind in self.target.noise:
            goal = conjunction(negation(self.must), self.problem.node(kind.condition), self.pattern)
            events = self.search.solutions(goal, MAX_NOISE)
            real = [event for event in events if cloudtrail.known_call(event)]
            if events and not real:
                other = self._detail(lambda goal=goal, events=events: self.search.real_call(goal, events,
                                                                                            REAL_CALL_TRIES))
                real = [other] if other else []
            found += [Counterexample(kind.name, event, kind.sentence) for event in real or events]
        return found

    def _broad_misses(self) -> List[Counterexample]:
        pinned = [self.problem.node(atom) for _, _, atom in self.pins]
        goal = conjunction(self.missed, negation(disjunction(pinned))) if pinned else self.missed
        return [Counterexample(MISSED, event, self.target.missed_sentence, self._absent_fix(event))
                for event in self.search.solutions(goal, MAX_MISSES)]

    def _traps(self, failures: Sequence[Counterexample]) -> List[Counterexample]:
        """The absent-field traps (at most MAX_TRAPS) whose fix the failures found so far do not already show.

        Once the pattern fails anyway, they only add detail: they get a small search budget and are left out when
        they exceed it, rather than turning a proven failure into CANNOT DECIDE.
        """
        shown = " ".join(example.fix or "" for example in failures)
        selectors = [selector for selector in self.trap_fields if f"(({selector} NOT EXISTS)" not in shown]
        if not failures:
            return self._trap_examples(selectors)
        self.search.allowance = self.search.nodes + DETAIL_SEARCH_NODES
        try:
            return self._trap_examples(selectors)
        except TooComplex:
            return []

    def _trap_examples(self, selectors: Sequence[ast.Selector]) -> List[Counterexample]:
        found: List[Counterexample] = []
        for selector in selectors:
            if len(found) >= MAX_TRAPS:
                break
            atom = self.trap_fields[selector]
            event = self._trap_event(self.problem.fields[selector.steps])
            if event is not None:
                found.append(Counterexample(
                    ABSENT_FIELD, event,
                    f"it misses {self.target.missed}: {selector} != ... is false when the event has no {selector} "
                    f"(the absent-field trap), so this {self.target.example}, which has no {selector}, is not "
                    "counted",
                    f"write (({selector} NOT EXISTS) || ({_written(atom)})) in place of ({_written(atom)})"))
        return found

    def _trap_event(self, entry: Field) -> Optional[Dict[str, Any]]:
        """A missed event without the field that the pattern would count if the field held some other value."""
        absent = self.problem.node(ast.NotExists(entry.selector))
        own = {index for path, index in atoms_of(self.pattern) if path == entry.path}
        for truths, value in _other_values(entry, own):
            goal = conjunction(self.missed, absent, substitute(self.pattern, entry.path, truths))
            event = self.search.first(goal)
            if event is not None and self._counted_with(event, entry.path, value):
                return event
        return None

    def _absent_fix(self, event: Dict[str, Any]) -> Optional[str]:
        """For a missed event that a `!=` drops because it lacks the field: why, and the rewrite that keeps it."""
        for selector, atom in self.trap_fields.items():
            entry = self.problem.fields[selector.steps]
            own = {index for path, index in atoms_of(self.pattern) if path == entry.path}
            if not select(event, selector) and any(self._counted_with(event, entry.path, value)
                                                   for _, value in _other_values(entry, own)):
                return (f"{selector} != ... is false when the event has no {selector}, so every event without it "
                        f"is dropped; write (({selector} NOT EXISTS) || ({_written(atom)}))")
        return None

    def _counted_with(self, event: Dict[str, Any], path: Path, value: str) -> bool:
        """Whether the pattern counts the event once the field holds `value` (the event may then be a don't-care
        one: root's calls that a service makes for it are, and `!= "x"` was written for those)."""
        changed = copy.deepcopy(event)
        return place(changed, path, value) and holds(conjunction(self.must, self.pattern), self.problem, changed)

    def _exclusions(self) -> Tuple[str, ...]:
        """The events a passing pattern leaves out, described by the identities that pin them (none: nothing)."""
        if not self.search.satisfiable(self.missed):
            return ()
        by_field: Dict[ast.Selector, List[Tuple[str, Node]]] = {selector: [] for selector in self.presence}
        for selector, value, atom in self.pins:
            by_field.setdefault(selector, []).append((value, self.problem.node(atom)))
        return tuple(self._describe(self.missed, by_field, 0))[:MAX_DESCRIPTIONS]

    def _describe(self, goal: Node, by_field: Dict[ast.Selector, List[Tuple[str, Node]]], depth: int) -> List[str]:
        """The missed events of `goal` as conjunctions of pinned values, split until each is exact."""
        conditions = [(selector, cases) for selector, cases in
                      ((selector, self._cases(goal, selector, values)) for selector, values in by_field.items())
                      if cases is not None]
        exact = self._exact(conditions)
        if exact:
            conditions = self._fewest(conditions)
        if exact or depth >= 2:
            suffix = "" if exact else " (where the rest of the pattern also leaves it out)"
            return [" and ".join(_render(selector, cases, by_field[selector]) for selector, cases in conditions)
                    + suffix]
        splittable = [cases for _, cases in conditions if len(cases) > 1]
        parts = splittable[0] if splittable else [
            (value, pin) for values in by_field.values() for value, pin in values
            if self.search.satisfiable(conjunction(goal, pin))]
        found: List[str] = []
        for _, part in parts:
            found += [text for text in self._describe(conjunction(goal, part), by_field, depth + 1)
                      if text not in found]
        return found

    def _exact(self, conditions: Sequence[Tuple[ast.Selector, List[Tuple[Any, Node]]]]) -> bool:
        """Whether every counted event the conditions describe is missed: the description leaves out no more."""
        product = conjunction(*(disjunction([node for _, node in cases]) for _, cases in conditions))
        return not self.search.satisfiable(conjunction(product, self.counted, self.pattern))

    def _fewest(self, conditions: List[Tuple[ast.Selector, List[Tuple[Any, Node]]]]
                ) -> List[Tuple[ast.Selector, List[Tuple[Any, Node]]]]:
        """Drop the conditions an exact description does not need (a field constrained only because no real
        event has the other case), so it reads as the pattern wrote it."""
        kept = list(conditions)
        for condition in conditions:
            trial = [other for other in kept if other is not condition]
            if trial and self._exact(trial):
                kept = trial
        return kept

    def _cases(self, goal: Node, selector: ast.Selector,
               values: List[Tuple[str, Node]]) -> Optional[List[Tuple[Any, Node]]]:
        """The pinned values, absence or other values a field takes among the missed events; None when it takes
        all of them (the field does not narrow the exclusion)."""
        absent = self.problem.node(ast.NotExists(selector))
        candidates: List[Tuple[Any, Node]] = [(ABSENT, absent)] if _may_be_absent(selector) else []
        candidates += values
        candidates.append((_OTHER, conjunction(negation(absent), *(negation(pin) for _, pin in values))))
        cases = [case for case in candidates if self.search.satisfiable(conjunction(goal, case[1]))]
        return None if len(cases) == len(candidates) else cases


_OTHER = object()  # a case of a field: present, with none of the pinned values


def _absence_tests(expr: ast.Expr) -> List[ast.Selector]:
    """Optional fields the pattern tests with NOT EXISTS: their presence can narrow an exclusion."""
    return list(dict.fromkeys(node.selector for node in iter_nodes(ast.JsonPattern(expr))
                              if isinstance(node, ast.NotExists) and _may_be_absent(node.selector)))


def _pins(expr: ast.Expr, target: Target) -> List[Pin]:
    """Comparisons that pin one exact value of a pinning field, by meaning; one per (field, value)."""
    found: Dict[Tuple[Path, str], Pin] = {}
    for node in iter_nodes(ast.JsonPattern(expr)):
        if not isinstance(node, (ast.StringMatch, ast.RegexMatch)):
            continue
        path = node.selector.steps
        if not target.may_pin(path):
            continue
        value = _only_string(node)
        if value is not None and target.pins_field(path, value):
            found.setdefault((path, value), (node.selector, value, replace(node, negated=False)))
    return list(found.values())


def _only_string(atom: Union[ast.StringMatch, ast.RegexMatch]) -> Optional[str]:
    """The one string an atom's value accepts; a value too intricate to tell pins nothing (its miss then fails)."""
    try:
        return only_string(dfa_of(atom))
    except TooComplex:
        return None


def _trap_fields(expr: ast.Expr) -> Dict[ast.Selector, ast.Comparison]:
    """Optional fields that a `!=` reads (its first such comparison): where the absent-field trap can hide."""
    found: Dict[ast.Selector, ast.Comparison] = {}
    for node in iter_nodes(ast.JsonPattern(expr)):
        if isinstance(node, (ast.StringMatch, ast.RegexMatch)) and node.negated and _may_be_absent(node.selector):
            found.setdefault(node.selector, node)
    return found


def _may_be_absent(selector: ast.Selector) -> bool:
    path = selector.steps
    return (all(isinstance(step, str) for step in path) and not cloudtrail.always_present(path)
            and not cloudtrail.undocumented(path))


def _other_values(entry: Field, own: Set[int]) -> List[Tuple[Dict[int, bool], str]]:
    """How the field's atoms read a value the pattern never names positively, most `!=` atoms true first.

    By monotonicity (a pattern has no negation but inside atoms) the best such value is one outside every atom's
    language; when none exists (a `!= "*"`), each realisable subset of the `!=` atoms is tried.
    """
    strings = [index for index in sorted(own) if entry.is_string_atom(index)]
    negated = [index for index in strings if entry.atoms[index].negated]
    subsets = [combo for size in range(len(negated), -1, -1) for combo in itertools.combinations(negated, size)]
    found = []
    for chosen in subsets[:MAX_TRAP_COMBINATIONS]:
        truths = {index: index in chosen for index in strings}
        value = entry.witness(truths)
        if value is not None:
            constants = {index: truths.get(index, False) for index in range(len(entry.atoms))}
            found.append((constants, value))
            if len(chosen) == len(negated):
                break
    return found


def _written(atom: Union[ast.StringMatch, ast.RegexMatch]) -> str:
    op = "!=" if atom.negated else "="
    if isinstance(atom, ast.RegexMatch):
        return f"{atom.selector} {op} %{atom.regex}%"
    quoted = atom.glob.replace("\\", "\\\\").replace('"', '\\"')
    return f'{atom.selector} {op} "{quoted}"'


def _render(selector: ast.Selector, cases: Sequence[Tuple[Any, Node]], values: Sequence[Tuple[str, Node]]) -> str:
    """`$.f = "v"`, or `$.f is absent or "v"`, or `$.f is present` (with none of the pinned values)."""
    taken = [f'"{value}"' for value, _ in cases if value is not ABSENT and value is not _OTHER]
    if len(cases) == 1 and taken:
        return f"{selector} = {taken[0]}"
    others = [f'"{value}"' for value, _ in values if f'"{value}"' not in taken]
    words = []
    for value, _ in cases:
        if value is ABSENT:
            words.append("absent")
        elif value is _OTHER:
            absent_too = any(case is ABSENT for case, _ in cases)
            words.append("present" if not others else ("" if absent_too else "present and ") + "not " +
                         " or ".join(others))
        else:
            words.append(f'"{value}"')
    return f"{selector} is " + " or ".join(words)


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


def _misspelt_call_hints(expr: ast.Expr) -> Tuple[str, ...]:
    """Name eventName values that misspell a real call, and eventSource values that misspell a service: they never
    match, so what they meant goes uncounted."""
    hints = []
    for node in iter_nodes(ast.JsonPattern(expr)):
        if isinstance(node, ast.StringMatch) and node.selector.steps == ("eventName",) and not node.negated and \
                "*" not in node.glob:  # a wildcard is no misspelling of the call it drops to
            meant = cloudtrail.misspelt_call(node.glob)
            hint = (f'"{node.glob}" is not a call any service makes, so it never matches (call names are '
                    f'case-sensitive); did you mean "{meant}"?')
            if meant is not None and hint not in hints:
                hints.append(hint)
        elif isinstance(node, ast.StringMatch) and node.selector.steps == ("eventSource",) and node.is_exact:
            service = cloudtrail.misspelt_service(node.glob)
            hint = f'"{node.glob}" is no service, so it never matches; did you mean "{service}"?'
            if service is not None and hint not in hints:
                hints.append(hint)
    return tuple(hints)


_ROLE_ARN = "arn:*:iam::*:role/*"


def _role_arn_hints(expr: ast.Expr) -> Tuple[str, ...]:
    """A role's ARN compared with userIdentity.arn: its sessions never carry it (they are assumed-role ARNs)."""
    for node in iter_nodes(ast.JsonPattern(expr)):
        if isinstance(node, ast.StringMatch) and node.selector.steps == ("userIdentity", "arn") and \
                glob_matches(_ROLE_ARN, node.glob):
            return ("a role's ARN is never the $.userIdentity.arn of its calls: calls made with a role carry its "
                    "session's ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION), so comparing $.userIdentity.arn "
                    f'with "{node.glob}" pins nothing; compare $.userIdentity.sessionContext.sessionIssuer.arn, or '
                    "the assumed-role ARN with a * for the session",)
    return ()
