"""The refresh script's `--check` mode, on the session's one scan of the examples (its scanners are not run again):
silent and exit 0 when every snapshot matches, exit 1 with a diff naming the example when one does not."""

from __future__ import annotations

import copy
from typing import Any, Dict

import pytest

from tests.e2e import refresh
from tests.e2e.snapshots import CFN_LINT, CHECKOV, SCAN, Sections, cfn_lint_sections, checkov_sections, scan_sections


@pytest.fixture(scope="module")
def sections(checkov_run, cfn_lint_plugins, scan_json) -> Dict[str, Sections]:
    """What `refresh.scanned` returns, built from the session's scans."""
    return {CHECKOV: checkov_sections(checkov_run.records), CFN_LINT: cfn_lint_sections(cfn_lint_plugins),
            SCAN: scan_sections(scan_json)}


def _check(monkeypatch, capsys, found: Dict[str, Any]) -> tuple:
    monkeypatch.setattr(refresh, "scanned", lambda scanners: found)
    code = refresh.main(["--check"])
    return code, capsys.readouterr().out


def test_check_passes_when_every_snapshot_matches(monkeypatch, capsys, sections):
    assert _check(monkeypatch, capsys, sections) == (0, "every snapshot matches the scanners\n")


def test_check_fails_with_a_diff_of_the_example_that_changed(monkeypatch, capsys, sections):
    changed = copy.deepcopy(sections)
    entry = changed[CHECKOV]["cloudformation/noncompliant/or_bug.yaml"][0]
    entry["result"] = "SKIPPED" if entry["result"] != "SKIPPED" else "PASSED"
    code, out = _check(monkeypatch, capsys, changed)
    assert code == 1
    assert out.startswith("--- cloudformation/noncompliant/or_bug.expected.yaml (snapshot)\n")
    assert f"+  result: {entry['result']}" in out and out.count("(snapshot)") == 1
