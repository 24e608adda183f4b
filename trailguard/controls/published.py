"""Every pattern CIS published for a monitoring control, judged: the table docs/controls.md shows.

The verdict is taken from the judge for each version that printed the text, so a table in the docs can never say
something the engine does not (tests/controls/test_published_texts.py checks the committed table against this).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Tuple

from trailguard.controls import CONTROLS, judge
from trailguard.controls.control import Control, PublishedText
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


def judged_texts() -> List[JudgedText]:
    return [
        JudgedText(control, text, tuple((version, judge(text.text, control, version)) for version in text.versions))
        for control in CONTROLS
        for text in control.published
    ]


def markdown_table() -> str:
    """The judged texts as a Markdown table (`|` inside a pattern escaped)."""
    lines = [
        "| control | CIS versions | where | pattern as published | deserves | trailguard says |",
        "|---|---|---|---|---|---|",
    ]
    for judged in judged_texts():
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
        ]
        lines += [f"- {note}" for note in control.notes] + ([""] if control.notes else [])
        lines += ["Pattern to paste:", "", "```", control.canonical, "```", ""]
        sections.append("\n".join(lines))
    return "\n".join(sections).rstrip() + "\n"


def _code(text: str) -> str:
    return "`" + text.replace("|", "\\|") + "`"


def _escaped(text: str) -> str:
    return text.replace("|", "\\|")
