"""The documentation tells the truth: every check has its page, and every failure reason the code can emit is there.

Failure reasons are found in the code itself: every failure kind of the checks' reason catalogue
(`trailguard.rules.reasons`), and every message string the judge hands to `fail`, `append` or `extend` or returns in
a list, so a new reason without documentation fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Iterator, List

import pytest

from trailguard.catalog import CHECKS
from trailguard.rules.reasons import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "docs" / "checks"
JUDGE = ROOT / "trailguard" / "pattern" / "judge.py"
PLACEHOLDER = re.compile(r"\{[^}]*\}")
MINIMUM = 12  # shorter fixed pieces ("its ", "; ") say nothing on their own


@pytest.mark.parametrize("check", CHECKS.values(), ids=lambda check: check.id)
def test_every_check_has_its_page(check):
    page = PAGES / f"{check.id}.md"
    assert page.is_file()
    text = page.read_text()
    assert text.startswith(f"# {check.id} / {check.cfn_lint_id}:")
    assert "Skipping it, with a reason" in text and check.guideline.endswith(f"docs/checks/{check.id}.md")


def _messages(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "fail", "append", "extend") and isinstance(node.func.value, ast.Name) and node.func.value.id in (
                "outcome", "problems", "found", "reasons"):
            yield from node.args
        elif isinstance(node, ast.Return) and isinstance(node.value, (ast.List, ast.Tuple)):
            yield from node.value.elts


def _fixed_pieces(node: ast.AST) -> List[str]:
    pieces: List[str] = []
    for part in ast.walk(node):
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            pieces.append(part.value)
    return pieces


def _fragment(pieces: List[str]) -> str:
    """The longest fixed piece of a message, up to its first ";" or "(" (the advice and the examples vary)."""
    longest = max((p.strip(" ;:,()") for p in pieces), key=len, default="")
    return re.split(r"[;(]", longest)[0].strip() if len(longest) >= MINIMUM else ""


def documented_fragments() -> List[str]:
    judged = [_fixed_pieces(message) for message in _messages(ast.parse(JUDGE.read_text()))]
    catalogued = [PLACEHOLDER.split(kind.template) for kind in CATALOGUE.values() if kind.failure]
    return sorted({fragment for pieces in judged + catalogued for fragment in [_fragment(pieces)] if fragment})


def test_the_extraction_finds_the_reasons():
    fragments = documented_fragments()
    assert "the trail records only its own region" in fragments
    assert len(fragments) > 25


@pytest.mark.parametrize("fragment", documented_fragments())
def test_every_failure_reason_is_documented(fragment):
    text = " ".join(page.read_text() for page in PAGES.glob("*.md"))
    assert fragment in " ".join(text.split()), f"undocumented failure reason: {fragment!r}"
