"""What `trailguard pattern` and `trailguard controls` say about controls: which control a pattern is judged for
(named, or inferred and why), the information beside a verdict (Security Hub's exact-text check, the pattern to
paste), and the list of controls. Plain data and lines of text; the command prints them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from trailguard.controls import CONTROLS, UNAUTHORIZED_API_CALLS, by_slug
from trailguard.controls.classify import classify
from trailguard.controls.control import Control, check_version
from trailguard.controls.security_hub import security_hub_accepts, security_hub_note


@dataclass(frozen=True)
class Choice:
    """The control a pattern is judged for, under which CIS version, and whether it was named or inferred."""

    control: Control
    cis_version: str
    inferred: bool
    reasons: Tuple[str, ...]


class AmbiguousControl(ValueError):
    """A pattern that is as much about several controls, judged without naming one."""


def choose(pattern: str, slug: Optional[str] = None, cis_version: Optional[str] = None) -> Choice:
    """The named control, or the one the pattern belongs to (unauthorized API calls when it belongs to none, as
    the command always judged). Raises UnknownControl or UnknownVersion for names trailguard does not know, and
    AmbiguousControl for a pattern as much about several controls: judging it as any one of them, or as the
    default, would be a guess."""
    version = check_version(cis_version)
    if slug is not None:
        choice = Choice(by_slug(slug), version, False, ())
    else:
        found = classify(pattern)
        if found.tied:
            raise AmbiguousControl(f"{found.reasons[0]}; or name the one to judge it as with --control "
                                   f"({' or '.join(control.slug for control in found.tied)})")
        choice = Choice(found.control, version, True, found.reasons) if found.control is not None else Choice(
            UNAUTHORIZED_API_CALLS, version, True,
            found.reasons + (f"judged as {UNAUTHORIZED_API_CALLS.slug}, the default",))
    choice.control.target(version)  # raises when the version has no such control
    return choice


def headline(status: str, choice: Choice) -> Optional[str]:
    """The first line for a control other than unauthorized calls (None: the command's own words for it)."""
    if choice.control is UNAUTHORIZED_API_CALLS:
        return None
    target = choice.control.target(choice.cis_version)
    return {
        "PASS": f"PASS: the pattern counts every event of {choice.control.slug} and nothing else.",
        "FAIL": f"FAIL: the pattern does not count exactly the {target.title}; the events below prove it.",
    }.get(status)


def exclusions_heading(choice: Choice) -> Optional[str]:
    if choice.control is UNAUTHORIZED_API_CALLS:
        return None
    return f"Narrow exclusions ({choice.control.target(choice.cis_version).missed} it deliberately does not count):"


def details(pattern: str, choice: Choice) -> Dict[str, Any]:
    """The information beside a verdict, as JSON."""
    control = choice.control
    return {
        "control": control.slug,
        "cis_version": choice.cis_version,
        "why": list(choice.reasons),
        "security_hub": {"control": control.security_hub, "accepts": security_hub_accepts(pattern, control),
                         "text": control.security_hub_text},
        "pattern_to_paste": control.canonical,
        "notes": list(control.notes),
    }


def detail_lines(pattern: str, choice: Choice) -> List[str]:
    """The same information as text, after the verdict."""
    control = choice.control
    how = "inferred: " + "; ".join(choice.reasons) if choice.inferred else "named with --control"
    lines = [f"Control: {control.slug} ({control.title}; CIS v{choice.cis_version} "
             f"{control.cis_number(choice.cis_version)}), {how}.",
             f"Security Hub: {security_hub_note(pattern, control)}.",
             f"Pattern to paste: {control.canonical}"]
    lines += [f"Note: {note}" for note in control.notes]
    return lines


def control_rows() -> List[Dict[str, Any]]:
    """Every control with its ids and CIS numbers (`trailguard controls --json`)."""
    return [{"slug": control.slug, "title": control.title, "cis": {"1.2": control.cis_v12,
                                                                    "1.3-5.0": control.cis_v13_to_v5,
                                                                    "6.0+": control.cis_v6},
             "security_hub": control.security_hub, "checkov": control.checkov_id, "cfn_lint": control.cfn_lint_id}
            for control in CONTROLS]


def control_table() -> List[str]:
    """Every control as a text table (`trailguard controls`)."""
    header = ("control", "CIS v1.2", "v1.3-v5", "v6+", "Security Hub", "Checkov", "cfn-lint")
    rows = [header] + [(row["slug"], row["cis"]["1.2"] or "-", row["cis"]["1.3-5.0"], row["cis"]["6.0+"],
                        row["security_hub"] or "-", row["checkov"], row["cfn_lint"]) for row in control_rows()]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
