"""`trailguard.scan.across_units` in-process, on results shaped as the scanners report them (the real scanners run
in test_scan_across_units.py): what it changes, what it adds, and that it never turns its own error into a pass."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import List

import pytest

from tests.units.layouts import ORGANIZATION, config, copy_tree, provider, split
from trailguard.findings import FAILED, PASSED
from trailguard.scan import across_units
from trailguard.scan.results import TERRAFORM_ROOT, Result
from trailguard.scan.runner import Scan
from trailguard.scan.settings import SettingsError
from trailguard.units.proof import CHAIN_CHECKS


def _chain(unit: str, trail: str, result: str) -> List[Result]:
    return [Result(unit, TERRAFORM_ROOT, check_id, trail, f"{unit}/main.tf", 1, result, ["scanner's reason"],
                   ["checkov"]) for check_id in CHAIN_CHECKS]


def _prove(base: Path, results: List[Result]) -> Scan:
    outcome = Scan(results=results)
    os.chdir(base)
    outcome.results = across_units.prove([Path(".")], outcome, set(), argparse.Namespace(paths=["."], config=None))
    return outcome


@pytest.fixture(autouse=True)
def _back_home():
    home = os.getcwd()
    yield
    os.chdir(home)


def test_nothing_failed_and_no_organization_leaves_the_results_as_they_are(tmp_path):
    results = _chain("trail", "aws_cloudtrail.main", PASSED)
    assert _prove(split(tmp_path), results).results == results


def test_a_failed_chain_with_a_proven_link_is_judged_again(tmp_path):
    outcome = _prove(split(tmp_path), _chain("trail", "aws_cloudtrail.main", FAILED))
    assert {result.result for result in outcome.results} == {PASSED}
    assert all(result.scanners == ["checkov", "trailguard"] for result in outcome.results)
    assert outcome.results[0].reasons[0].startswith("linked across units: filters and alarms on log group ")


def test_an_unlinked_chain_keeps_its_verdict_and_names_the_candidate(tmp_path):
    results = _chain("trail", "aws_cloudtrail.main", FAILED)
    outcome = _prove(split(tmp_path, monitoring_provider=provider(None)), results)
    assert {result.result for result in outcome.results} == {FAILED}
    assert outcome.results[0].reasons[0] == "scanner's reason"
    assert outcome.results[0].reasons[1].startswith("a log group named aws-cloudtrail-logs-111122223333 is also in "
                                                    "unit monitoring (it states no account and region")


def test_an_organization_trail_adds_passing_results_to_its_member_units(tmp_path):
    base = copy_tree(ORGANIZATION, tmp_path / "org")
    outcome = _prove(base, _chain(".", "aws_cloudtrail.main", PASSED))
    added = outcome.results[len(CHAIN_CHECKS):]
    assert sorted({result.unit for result in added}) == ["members/member_a", "members/member_b"]
    assert {(result.result, result.resource) for result in added} == {
        (PASSED, "covered by organization trail aws_cloudtrail.main (unit .)")}


def test_an_internal_error_leaves_the_scanners_verdicts_and_says_so(tmp_path, monkeypatch):
    def broken(*_):
        raise RuntimeError("boom")
    monkeypatch.setattr(across_units, "scan_units", broken)
    results = _chain("trail", "aws_cloudtrail.main", FAILED)
    outcome = _prove(split(tmp_path), results)
    assert outcome.results == results and {result.result for result in outcome.results} == {FAILED}
    assert outcome.notes == ["internal error in the cross-unit proof (RuntimeError: boom); no link between units was "
                             "followed, please report it"]


def test_a_declaration_that_cannot_be_read_stops_the_scan(tmp_path):
    base = split(tmp_path)
    config(base, {"links": [{"trail": "aws_cloudtrail.main"}]})
    with pytest.raises(SettingsError, match="trail-unit"):
        _prove(base, _chain("trail", "aws_cloudtrail.main", FAILED))
