"""Hypothesis budgets relative to the profile (tests/conftest.py), for property tests whose single example is far
dearer than an ordinary one: they run a share of the profile's examples, so `thorough` still raises them."""

from __future__ import annotations

from hypothesis import settings


def share_of_examples(fraction: float) -> int:
    """`fraction` of the loaded profile's `max_examples`, at least 10."""
    return max(10, round(settings.default.max_examples * fraction))
