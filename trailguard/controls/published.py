"""Every pattern CIS published for a monitoring control, judged: the table docs/controls.md shows.

The verdict is taken from the judge for each version that printed the text, so a table in the docs can never say
something the engine does not (tests/controls/test_published_texts.py checks the committed table against this).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Sequence, Tuple

from trailguard.controls import CONTROLS, judge
from trailguard.controls.control import NEWEST, Control, PublishedText
from trailguard.pattern.verdict import Verdict


@dataclass(frozen=True)
class JudgedText:
    control: Control
    text: PublishedText
    verdicts: Tuple[Tuple[str, Verdict], ...]  # (CIS version, verdict) for each version that printed it

    @property
    def statuses(self) -> Tuple[str, ...]:
        return tuple(dict.fromkeys(verdict.status for _, verdict in self.verdicts))

    def says(self) -> str:
        """The first thing trailguard says about the text: its error, or its first reason, or why it passes."""
        verdict = self.verdicts[-1][1]
        if verdict.error:
            return verdict.error
        if verdict.counterexamples:
            return verdict.counterexamples[0].sentence
        return "counts exactly the control's events" + (
            f"; excludes {'; '.join(verdict.exclusions)}" if verdict.exclusions else ""
        )


def judged_texts(controls: Sequence[Control] = CONTROLS) -> List[JudgedText]:
    return [
        JudgedText(control, text, tuple((version, judge(text.text, control, version)) for version in text.versions))
        for control in controls
        for text in control.published
    ]


def markdown_table(controls: Sequence[Control] = CONTROLS) -> str:
    """The judged texts as a Markdown table (`|` inside a pattern escaped); one control's, or every control's."""
    lines = [
        "| control | CIS versions | where | pattern as published | deserves | trailguard says |",
        "|---|---|---|---|---|---|",
    ]
    for judged in judged_texts(controls):
        versions = judged.text.versions
        span = versions[0] if len(versions) == 1 else f"{versions[0]}-{versions[-1]}"
        status = "/".join(judged.statuses)
        cells = [
            f"`{judged.control.slug}`",
            span,
            judged.text.where,
            _code(judged.text.text),
            _escaped(f"{judged.text.deserves}: {judged.text.why}"),
            _escaped(f"**{status}**: {judged.says()}"),
        ]
        lines.append("| " + " | ".join(cell.replace("\n", " ") for cell in cells) + " |")
    return "\n".join(lines)


def security_hub_verdicts(control: Control) -> Tuple[Tuple[str, Verdict], ...]:
    """Security Hub's exact text judged under the CIS v1.4 text it cites and under the newest (empty: no control)."""
    if control.security_hub_text is None:
        return ()
    return tuple((version, judge(control.security_hub_text, control, version)) for version in ("1.4", NEWEST))


def security_hub_table() -> str:
    """Each Security Hub control's exact text, and what trailguard says of it under CIS v1.4 and the newest text."""
    lines = [
        f"| control | Security Hub | its exact text | CIS v1.4 | CIS v{NEWEST} |",
        "|---|---|---|---|---|",
    ]
    for control in CONTROLS:
        verdicts = security_hub_verdicts(control)
        if not verdicts:
            continue
        cells = [f"`{control.slug}`", str(control.security_hub), _code(str(control.security_hub_text))]
        cells += [_escaped(f"**{verdict.status}**" + ("" if verdict.ok else f": {_first_reason(verdict)}"))
                  for _, verdict in verdicts]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _first_reason(verdict: Verdict) -> str:
    if verdict.error:
        return verdict.error
    return verdict.counterexamples[0].sentence if verdict.counterexamples else ""


def control_sections() -> str:
    """One section per control: its ids, what it must count, its notes and the pattern to paste."""
    sections = []
    for control in CONTROLS:
        numbers = f"CIS v1.2 {control.cis_v12 or '(none)'}, v1.3-v5.0 {control.cis_v13_to_v5}, v6.0+ {control.cis_v6}"
        lines = [
            f"### `{control.slug}`: {control.title}",
            "",
            f"{numbers}; Security Hub {control.security_hub or '(none)'}; chain check {control.checkov_id} "
            f"(Checkov) / {control.cfn_lint_id} (cfn-lint); first in CIS v{control.first_version}.",
            "",
            f"Must count: {control.counts}.",
            "",
            f"May count or not: {control.either_way or 'nothing else'}.",
            "",
        ]
        lines += [f"- {note}" for note in control.notes] + ([""] if control.notes else [])
        lines += ["Pattern to paste:", "", "```", control.canonical, "```", ""]
        sections.append("\n".join(lines))
    return "\n".join(sections).rstrip() + "\n"


def _code(text: str) -> str:
    return "`" + text.replace("|", "\\|") + "`"


def _escaped(text: str) -> str:
    return text.replace("|", "\\|")
