"""Builders for the shapes CIS monitoring targets take, so each control module states only its facts.

A target's `must` is every event a filter may count (the events it must count plus the don't-care ones) and its
`dont_care` those that may go either way; the judge counts `must` minus `dont_care` and calls everything outside
`must` noise. Narrow exclusions pin an identity only (CONTROLS.md, "Exclusions"): an event name, an error code or a
client address is never narrow for these controls, so dropping a listed name or the failed calls is a miss.
"""

from __future__ import annotations

from typing import Any, Dict, Sequence, Tuple

from trailguard.pattern import cloudtrail
from trailguard.pattern.target import NoiseKind, PinRule, Target, expr

# Fields that name one identity (CloudTrail's userIdentity element). `type` is not one: it is a kind of caller,
# and root usage and sign-ins without MFA are defined by it, so a pattern naming it pins nothing.
_IDENTITY_FIELDS = ("arn", "userName", "principalId", "accountId", "accessKeyId", "invokedBy")
IDENTITY_PINS = tuple(PinRule(("userIdentity", name)) for name in _IDENTITY_FIELDS) + tuple(
    PinRule(("userIdentity", "sessionContext", "sessionIssuer", name)) for name in ("arn", "userName", "principalId")
)


def any_of(path: str, values: Sequence[str]) -> str:
    """`($.f = "a" || $.f = "b")`: a target formula naming each value."""
    return "(" + " || ".join(f'$.{path} = "{value}"' for value in values) + ")"


def calls_target(
    title: str,
    example: str,
    source: str,
    names: Sequence[str],
    *,
    extra: Sequence[str] = (),
    other_sources_dont_care: bool = True,
) -> Target:
    """A control that is a list of one service's calls: each listed call from `source` must be counted; `extra`
    names or globs (calls CIS leaves out) may be counted or not; so may the listed names from other services when
    the CIS text has no eventSource (`other_sources_dont_care`), and then the extra ones from any service too;
    otherwise only the service's own extra calls are don't care."""
    listed = any_of("eventName", names)
    everything = any_of("eventName", [*names, *extra])
    from_source = f'$.eventSource = "{source}"'
    if other_sources_dont_care:
        must = everything
        loose = [f'($.eventSource != "{source}" && {listed})'] + ([any_of("eventName", extra)] if extra else [])
    else:
        must = f"({from_source} && {everything})"
        # Extra globs may match listed names (`PutBucket*`): those stay counted.
        unlisted = " && ".join(f'$.eventName != "{name}"' for name in names)
        loose = [f'({from_source} && {any_of("eventName", extra)} && {unlisted})'] if extra else []
    return Target(
        title=title,
        must=expr("{ " + must + " }"),
        dont_care=expr("{ " + (" || ".join(loose) or '$.eventName = "" && $.eventName != ""') + " }"),
        noise=(
            NoiseKind(
                "another call",
                expr('{ $.eventName = "*" }'),
                f"it counts calls that are not {title}, so the alarm fires on other activity; for example "
                "this call, which is not one of them, matches",
            ),
        ),
        pins=IDENTITY_PINS,
        missed=title,
        example=example,
        samples=tuple(call_record(source, name) for name in names),
        raw_text_advice=f'use a JSON pattern that compares $.eventSource with "{source}" and $.eventName with each '
        "of the control's calls",
        complete_records=True,
    )


def call_record(source: str, name: str, **fields: Any) -> Dict[str, Any]:
    """An ordinary, complete record of one call by an IAM user."""
    event: Dict[str, Any] = {
        "eventSource": source,
        "eventName": name,
        "sourceIPAddress": "203.0.113.10",
        "userIdentity": dict(cloudtrail.IDENTITIES["IAMUser"]),
        **fields,
    }
    return cloudtrail.complete(event, ())


def sign_in(**fields: Any) -> Dict[str, Any]:
    """An IAM user's console sign-in record (the outcome and MFA use given in `fields`)."""
    return call_record("signin.amazonaws.com", "ConsoleLogin", **fields)


def noise(name: str, condition: str, sentence: str) -> NoiseKind:
    return NoiseKind(name, expr("{ " + condition + " }"), sentence)


def kinds(*pairs: Tuple[str, str, str]) -> Tuple[NoiseKind, ...]:
    return tuple(noise(*pair) for pair in pairs)
