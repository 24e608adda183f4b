"""What a check says about one resource: a `Finding`, PASSED or FAILED, with its `Reason`s as data.

A reason is not a sentence assembled early and picked apart later: it keeps its kind (`code`), its words, the other
resource and link it is about (the filter whose pattern breaks the chain, the alarm that does not fire), the event that
proves it, and the reasons it cites. The text a user reads is rendered from it at the edges (Checkov details, cfn-lint
messages, the scan report, SARIF), always by `Reason.text`, so every scanner says the same.

The kinds of reason are a catalogue (`trailguard.rules.reasons`), like pyflakes' messages: the docs test reads it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Tuple

from trailguard.model import Model, Resource
from trailguard.pattern.verdict import compact

PASSED = "PASSED"
FAILED = "FAILED"

EVIDENCE_SEPARATOR = ": "  # between a reason's words and the event that proves it


@dataclass(frozen=True)
class Reason:
    """Why a check failed (or, for a pass, what it found). `link` and `resource` name what the reason is about when
    it is not the finding's own resource ("filter F", "alarm A", "trail"); `causes` are the reasons it cites; the
    evidence event is shown as the judge shows it (`pattern.verdict.compact`)."""

    code: str
    words: str = ""
    link: str = ""
    resource: str = ""
    evidence: Optional[Mapping[str, Any]] = None
    causes: Tuple[Reason, ...] = ()

    def text(self) -> str:
        """The reason in words: "<link> <resource>: " when it is about another resource, its words, the reasons it
        cites joined by "; ", and last the event that proves it."""
        body = " ".join(part for part in (self.words, "; ".join(cause.text() for cause in self.causes)) if part)
        if self.evidence is not None:
            body += EVIDENCE_SEPARATOR + compact(self.evidence)
        if not self.link:
            return body
        return f"{self.link} {self.resource}: {body}" if self.resource else f"{self.link}: {body}"


@dataclass(frozen=True)
class ReasonKind:
    """One kind of reason in the catalogue: its code and the template of its words (`str.format`). `failure` is
    False for what a passing check reports (its details)."""

    code: str
    template: str
    failure: bool = True

    def __call__(self, *, link: str = "", resource: str = "", evidence: Optional[Mapping[str, Any]] = None,
                 causes: Tuple[Reason, ...] = (), **words: Any) -> Reason:
        return Reason(self.code, self.words(**words), link, resource, evidence, causes)

    def words(self, **words: Any) -> str:
        """The template filled in: for a kind whose words are part of another reason's."""
        return self.template.format(**words)


@dataclass(frozen=True)
class Finding:
    """One check on one resource: `why` are the reasons it failed, `found` what a pass found (its details)."""

    check_id: str
    resource: Resource
    result: str
    why: Tuple[Reason, ...] = ()
    found: Tuple[Reason, ...] = ()

    @property
    def passed(self) -> bool:
        return self.result == PASSED

    @property
    def reasons(self) -> Tuple[str, ...]:
        """The failure reasons in words."""
        return tuple(reason.text() for reason in self.why)

    @property
    def details(self) -> Tuple[str, ...]:
        """What a pass found, in words."""
        return tuple(reason.text() for reason in self.found)

    def message(self) -> str:
        """One line for scanners that show a single message per finding."""
        return "; ".join(self.reasons or self.details)


def finding_lines(model: Model, finding: Finding) -> List[str]:
    """What a scanner shows for a finding: its reasons when it failed, its details when it passed, each naming the
    condition branch it holds in (both adapters use this, so both scanners say the same)."""
    lines = list(finding.reasons) if not finding.passed else list(finding.details)
    return [f"when {model.branch}: {line}" for line in lines] if model.branch else lines


def split_evidence(text: str) -> Tuple[str, Optional[Mapping[str, Any]]]:
    """A reason's words and the event that proves it, read back from its text as `Reason.text` wrote it (the scan
    reads the scanners' output, which is text): the event is the JSON object after the last words, if any."""
    start = text.find(EVIDENCE_SEPARATOR + '{"')
    if start < 0:
        return text, None
    try:
        event = json.loads(text[start + len(EVIDENCE_SEPARATOR):])
    except ValueError:
        return text, None
    return (text[:start], event) if isinstance(event, dict) else (text, None)


# TG_AWS_4's citation of another link's reason, as `Reason.text` writes it: "filter F: R" or "trail: R".
_CITATION = re.compile(r"\b(?P<link>filter|trail)(?: (?P<resource>[^:]+?))?: (?P<cause>.+)", re.DOTALL)


def read_citation(text: str) -> Optional[Reason]:
    """A reason that cites another link's reason, read back from its text (the scan reads the scanners' output, which
    is text) after any prefix an adapter adds (a condition branch, an instance): its link, resource and the cited
    cause; None for a reason that cites nothing."""
    match = _CITATION.search(text)
    if match is None:
        return None
    return Reason("cites", link=match["link"], resource=match["resource"] or "",
                  causes=(Reason("cited", words=match["cause"]),))
