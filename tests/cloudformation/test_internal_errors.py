"""An exception inside trailguard must become a visible failure in cfn-lint, never a silent pass.

cfn-lint runs in-process (cfnlint.api) so the analysis can be made to raise; no scanner output is mocked.
"""

from pathlib import Path

from cfnlint.api import ManualArgs, lint

from tests.unauthorized_calls import CFN_LINT_IDS
from trailguard.catalog import CHECKS
from trailguard.rules import analysis

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cloudformation" / "compliant" / "plain_chain.yaml"


def _lint() -> list:
    return lint(EXAMPLE.read_text(), config=ManualArgs(append_rules=["trailguard.cfn_lint_rules"],
                                                       regions=["us-east-1"]))


def _unauthorized_calls_matches() -> list:
    """The example carries unauthorized calls only: the other controls' chain rules fail on it, by design."""
    return [match for match in _lint() if match.rule.id in CFN_LINT_IDS]


def test_the_compliant_example_has_no_matches_in_process():
    assert _unauthorized_calls_matches() == []


def test_an_exception_in_the_analysis_fails_every_attached_resource(monkeypatch):
    def explode(model):
        raise RuntimeError("boom")

    monkeypatch.setattr(analysis, "analyse", explode)
    matches = {(match.rule.id, match.path[1], match.message) for match in _lint()}
    reason = "internal error in trailguard (RuntimeError: boom); please report it"
    chains = {(check.cfn_lint_id, "Trail", f"Trail: {reason}") for check in CHECKS.values() if check.chain_control}
    assert matches == chains | {
        ("E9101", "Trail", f"Trail: {reason}"),
        ("E9102", "UnauthorizedApiCallsFilter", f"UnauthorizedApiCallsFilter: {reason}"),
        ("E9103", "UnauthorizedApiCallsFilter", f"UnauthorizedApiCallsFilter: {reason}"),
        ("W9105", "AlarmTopic", f"AlarmTopic: {reason}"),
    }
