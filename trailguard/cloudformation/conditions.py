"""Which deployable branches a template has: one truth assignment per distinct combination of the conditions
that decide anything about the resources trailguard models.

A condition's truth depends on parameters and pseudo parameters chosen at deploy time, so each of them is explored
over the values that can make a difference: its AllowedValues when declared, else its Default, every literal the
conditions compare with, and "some other value". Combinations that cannot happen together (IsProd and IsDev on
the same parameter) are thus never produced. Too many branches fail closed rather than being sampled.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Mapping, Set, Tuple

from trailguard.cloudformation.intrinsics import Resolver, clean, function_call, section
from trailguard.model import is_unknown

MAX_BRANCHES = 64
MAX_WITNESSES = 4096
_FEWER_BRANCHES = ("make fewer of them decide the trail, its log group, the unauthorized-calls filter, its alarm or "
                   "its topic (give their parameters AllowedValues, or move those resources out of the optional "
                   "features' conditions), or skip the check for these resources with a reason")


class ConditionError(Exception):
    """The template's conditions cannot be explored; the message names the condition or the limit."""


@dataclass(frozen=True)
class Branch:
    """One deployable combination: `name` is "" when no condition matters, else e.g. "condition UseSns is false"."""

    name: str
    conditions: Dict[str, bool] = field(default_factory=dict)


def _walk(value: Any) -> Iterator[Tuple[str, Any]]:
    """Every intrinsic function call inside a value, outermost first."""
    call = function_call(value)
    if call is not None:
        yield call
    if isinstance(value, Mapping):
        for item in clean(value).values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def conditions_used(value: Any) -> Set[str]:
    """Conditions named by `Fn::If` (or `Condition`) anywhere in a value."""
    used = set()
    for name, argument in _walk(value):
        if name == "Fn::If" and isinstance(argument, list) and argument and isinstance(argument[0], str):
            used.add(argument[0])
        elif name == "Condition" and isinstance(argument, str):
            used.add(argument)
    return used


def _closure(definitions: Mapping[str, Any], names: Set[str]) -> Set[str]:
    pending, seen = list(names), set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        if name not in definitions:
            raise ConditionError(f"condition {name} is used but not declared under Conditions")
        seen.add(name)
        pending.extend(conditions_used(definitions[name]))
    return seen


def _inputs(definitions: Mapping[str, Any], names: Set[str], parameters: Mapping[str, Any]) -> Dict[str, List[str]]:
    """The values worth trying for each parameter or pseudo parameter the conditions read."""
    literals: Set[str] = set()
    read: Set[str] = set()
    for name in names:
        for function, argument in _walk(definitions[name]):
            if function == "Ref" and isinstance(argument, str):
                read.add(argument)
            elif function == "Fn::Equals" and isinstance(argument, list):
                literals.update(str(item) for item in argument if isinstance(item, (str, int, float, bool)))
    candidates: Dict[str, List[str]] = {}
    for name in sorted(read):
        declared = clean(parameters.get(name))
        declared = declared if isinstance(declared, dict) else {}
        allowed = declared.get("AllowedValues")
        if isinstance(allowed, list) and allowed:
            candidates[name] = sorted({str(value) for value in allowed})
        else:
            values = set(literals) | ({str(declared["Default"])} if "Default" in declared else set())
            candidates[name] = sorted(values) + [f"\x00any other value of {name}"]
    return candidates


def _evaluate(name: str, definitions: Mapping[str, Any], resolver: Resolver, memo: Dict[str, bool],
              stack: Tuple[str, ...] = ()) -> bool:
    if name in memo:
        return memo[name]
    if name in stack:
        raise ConditionError(f"condition {name} refers to itself")
    memo[name] = _truth(definitions[name], name, definitions, resolver, memo, stack + (name,))
    return memo[name]


def _truth(expression: Any, name: str, definitions: Mapping[str, Any], resolver: Resolver, memo: Dict[str, bool],
           stack: Tuple[str, ...]) -> bool:
    call = function_call(expression)
    if call is None:
        raise ConditionError(f"condition {name} is not a condition function: {expression!r}")
    function, argument = call
    if function == "Condition":
        return _evaluate(argument, definitions, resolver, memo, stack)
    if function == "Fn::Equals" and isinstance(argument, list) and len(argument) == 2:
        left, right = (resolver.resolve(side) for side in argument)
        for side in (left, right):
            if is_unknown(side):
                raise ConditionError(f"condition {name} cannot be evaluated: {side.describe()}")
        return str(left) == str(right) if not isinstance(left, list) else left == right
    operands = argument if isinstance(argument, list) else []
    values = [_truth(operand, name, definitions, resolver, memo, stack) for operand in operands]
    if function == "Fn::And" and values:
        return all(values)
    if function == "Fn::Or" and values:
        return any(values)
    if function == "Fn::Not" and len(values) == 1:
        return not values[0]
    raise ConditionError(f"condition {name} uses {function} in a way trailguard cannot evaluate")


def default_truths(template: Mapping[str, Any], names: Set[str]) -> Dict[str, bool]:
    """The truth of each condition when every parameter keeps its Default: the one deployment judged for resources
    whose conditions decide nothing about the chain. Conditions that cannot be evaluated that way are left out."""
    definitions = section(template, "Conditions")
    resolver = Resolver(template, {})
    truths: Dict[str, bool] = {}
    for name in sorted(names & set(definitions)):
        try:
            truths[name] = _evaluate(name, definitions, resolver, {})
        except ConditionError:
            continue
    return truths


def _describe(assignment: Mapping[str, bool]) -> str:
    if not assignment:
        return ""
    parts = [f"{name} is {'true' if value else 'false'}" for name, value in sorted(assignment.items())]
    return ("condition " if len(parts) == 1 else "conditions ") + ", ".join(parts)


def _components(definitions: Mapping[str, Any], needed: Set[str]) -> List[Set[str]]:
    """The conditions in groups that share no input and do not refer to one another: each group's truth values
    are independent of the others', so each is explored alone and the branches are their combinations (a dozen
    independent toggles cost a dozen small explorations, not the product of every input's values)."""
    group = {name: name for name in needed}

    def root(name: str) -> str:
        while group[name] != name:
            group[name] = group[group[name]]
            name = group[name]
        return name

    reader: Dict[str, str] = {}
    for name in sorted(needed):
        linked = [other for other in conditions_used(definitions[name]) if other in needed]
        linked += [reader.setdefault(argument, name) for function, argument in _walk(definitions[name])
                   if function == "Ref" and isinstance(argument, str)]
        for other in linked:
            group[root(other)] = root(name)
    components: Dict[str, Set[str]] = {}
    for name in needed:
        components.setdefault(root(name), set()).add(name)
    return [components[key] for key in sorted(components)]


def _assignments(template: Mapping[str, Any], definitions: Mapping[str, Any], component: Set[str],
                 relevant: Set[str]) -> List[Dict[str, bool]]:
    """The distinct truth values of the component's relevant conditions over every witness of its inputs."""
    candidates = _inputs(definitions, component, section(template, "Parameters"))
    combinations = 1
    for values in candidates.values():
        combinations *= len(values)
    shown = sorted(relevant & component)
    if combinations > MAX_WITNESSES:
        raise ConditionError(f"the conditions {', '.join(shown)} depend on {len(candidates)} inputs "
                             f"({', '.join(candidates)}) with {combinations} combinations, more than trailguard "
                             f"explores ({MAX_WITNESSES}); {_FEWER_BRANCHES}")
    seen: Dict[Tuple[Tuple[str, bool], ...], None] = {}
    for chosen in itertools.product(*candidates.values()):
        resolver = Resolver(template, {}, inputs=dict(zip(candidates, chosen)))
        memo: Dict[str, bool] = {}
        for name in component:
            _evaluate(name, definitions, resolver, memo)
        seen[tuple((name, memo[name]) for name in shown)] = None
    return [dict(key) for key in seen]


def branches(template: Mapping[str, Any], relevant: Set[str]) -> List[Branch]:
    """Every distinct assignment of the `relevant` conditions that some choice of deploy-time inputs produces."""
    if not relevant:
        return [Branch("")]
    definitions = section(template, "Conditions")
    needed = _closure(definitions, relevant)
    per_component = [_assignments(template, definitions, component, relevant)
                     for component in _components(definitions, needed)]
    count = 1
    for assignments in per_component:
        count *= len(assignments)
    if count > MAX_BRANCHES:
        raise ConditionError(f"the conditions {', '.join(sorted(relevant))} give more than {MAX_BRANCHES} "
                             f"deployable branches ({count}), more than trailguard checks; {_FEWER_BRANCHES}")
    combined = []
    for parts in itertools.product(*per_component):
        assignment = {name: value for part in parts for name, value in part.items()}
        combined.append(Branch(_describe(assignment), assignment))
    return combined
