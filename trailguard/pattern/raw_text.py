"""Term, space-delimited and empty patterns: they read the raw text of an event, not its fields.

Anything a caller puts in a request is written into the CloudTrail record, so such a pattern can always be fooled:
a successful `PutMetricFilter` call carries this very pattern's words in its request parameters. The verdict fails
and shows both sides: the authorized call it counts, and the real denied calls it misses. The empty or blank
pattern matches every event, which is reported as the match-all noise it is (a call that succeeded matches).
"""

from __future__ import annotations

import json
from typing import Dict, Iterator, List, Optional

from trailguard.pattern import ast, cloudtrail
from trailguard.pattern.compiled import dfa_for
from trailguard.pattern.evaluator import evaluate, matches
from trailguard.pattern.parser import iter_nodes
from trailguard.pattern.search import tidy
from trailguard.pattern.target import Target
from trailguard.pattern.verdict import CANNOT_DECIDE, FAIL, MISSED, Counterexample, Verdict
from trailguard.pattern.witnesses import shortest_accepted

MAX_MISSES = 3
_CODES = (*cloudtrail.DENIED_ERROR_CODES, "ThrottlingException", None)


def judge_raw_text(parsed: ast.Pattern, target: Target) -> Verdict:
    """Judge a pattern that is not a JSON pattern against ordinary CloudTrail events and fooling variants."""
    found: List[Counterexample] = []
    for event in _examples(parsed, target):
        counted = evaluate(target.must, event) and not evaluate(target.dont_care, event)
        hit = matches(parsed, event)
        if counted and not hit and sum(example.kind == MISSED for example in found) < MAX_MISSES:
            found.append(Counterexample(MISSED, event, target.missed_sentence))
        elif not evaluate(target.must, event) and hit:
            kind = next(kind for kind in target.noise if evaluate(kind.condition, event))
            if all(example.kind != kind.name for example in found):
                found.append(Counterexample(kind.name, event, kind.sentence))
    if not found:
        return Verdict(CANNOT_DECIDE, error="trailguard cannot prove a pattern that searches the raw text of the "
                                            f"event; {target.raw_text_advice}")
    order = [kind.name for kind in target.noise] + [MISSED]
    return Verdict(FAIL, tuple(sorted(found, key=lambda example: order.index(example.kind))))


def _examples(parsed: ast.Pattern, target: Target) -> Iterator[Dict[str, object]]:
    """Ordinary events of each kind and of the control, then the same calls carrying the pattern's own words in a
    request."""
    ordinary = [cloudtrail.skeleton(code) for code in _CODES]
    samples = [dict(sample) for sample in target.samples]
    yield from ordinary + samples
    for text, events in ((_fooling_text(parsed), ordinary), (_excluded_text(parsed), ordinary[:-1])):
        if text:
            yield from (_carrying(event, text) for event in events)
    for text in (_fooling_text(parsed), _excluded_text(parsed)):
        if text:
            yield from (_with_user_agent(sample, text) for sample in samples)


def _with_user_agent(event: Dict[str, object], text: str) -> Dict[str, object]:
    """The control's own call, made by a client whose user agent (chosen by the caller) holds the words."""
    return {**event, "userAgent": f"aws-cli/2.15.0 {text}"}


# Where each service's calls carry free text a caller chooses: (call, request parameters with {} for the text).
_CARRIERS = {
    "s3.amazonaws.com": ("GetObject", {"bucketName": "example-reports", "key": "{}"}),
    "ec2.amazonaws.com": ("CreateSecurityGroup", {"groupName": "web", "groupDescription": "{}"}),
    "kms.amazonaws.com": ("Decrypt", {"encryptionContext": {"purpose": "{}"}}),
    "logs.amazonaws.com": ("PutMetricFilter", {"logGroupName": "cloudtrail-logs", "filterName": "unauthorized-calls",
                                               "filterPattern": "{}"}),
}


def _carrying(event: Dict[str, object], text: str) -> Dict[str, object]:
    """The same kind of call with `text` in its request: a succeeded call is someone creating this very filter
    (`PutMetricFilter`), a failed one a call of its own service whose parameters hold the words."""
    source = "logs.amazonaws.com" if "errorCode" not in event else str(event["eventSource"])
    name, parameters = _CARRIERS.get(source, _CARRIERS["logs.amazonaws.com"])
    filled = json.loads(json.dumps(parameters).replace('"{}"', json.dumps(text)))
    return tidy({**event, "eventSource": source, "eventName": name, "requestParameters": filled})


def _fooling_text(parsed: ast.Pattern) -> Optional[str]:
    """Text that, inside a request parameter, makes the pattern match."""
    if isinstance(parsed, ast.TermPattern):
        words = [_term_text(term) for term in parsed.required + parsed.optional]
        return " ".join(word for word in words if word) or None
    if isinstance(parsed, ast.SpaceDelimitedPattern):
        return " " + " ".join(_field_value(field) for field in parsed.fields if not field.is_ellipsis) + " "
    return None


def _excluded_text(parsed: ast.Pattern) -> Optional[str]:
    """Text that, inside a denied call's request, makes a term pattern's `-` terms drop it."""
    if not isinstance(parsed, ast.TermPattern):
        return None
    return " ".join(word for word in map(_term_text, parsed.excluded) if word) or None


def _term_text(term: ast.Term) -> Optional[str]:
    """Text containing a term: the term itself, or a shortest string its `%regex%` finds."""
    return shortest_accepted(dfa_for("regex", term.text).nfa) if term.is_regex else term.text


def _field_value(field: ast.SpaceField) -> str:
    """A value one space-delimited field accepts: what its first positive comparison names."""
    for node in iter_nodes(ast.JsonPattern(field.condition)) if field.condition is not None else ():
        if isinstance(node, ast.StringMatch) and not node.negated:
            return node.glob.replace("*", "x") or "x"
        if isinstance(node, ast.NumberCompare):
            return _number_for(node)
    return "x"


def _number_for(node: ast.NumberCompare) -> str:
    offsets: Dict[str, float] = {"=": 0, "!=": 1, "<": -1, "<=": 0, ">": 1, ">=": 0}
    number = node.number + offsets[node.op]
    return str(int(number)) if number == int(number) else str(number)
