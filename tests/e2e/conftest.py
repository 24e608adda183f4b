"""The one scan of the examples per scanner, shared by every test of the session that reads it.

Checkov (every framework, plan files included), cfn-lint (with the rules from plugins/, and once more by module name)
and `trailguard scan` (its scanners run once, its text, JSON and SARIF rendered from that run) each go over examples/
once. No other test scans the whole examples tree.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest

from tests.e2e.examples import ROOT
from tests.e2e.scanners import CheckovRun, ScanReport, run_cfn_lint, run_checkov, run_trailguard_scan

SCAN_FORMATS = ("text", "json", "sarif")


@pytest.fixture(scope="session")
def checkov_run() -> CheckovRun:
    return run_checkov()


@pytest.fixture(scope="session")
def cfn_lint_plugins() -> List[Dict[str, Any]]:
    """cfn-lint's matches with `--append-rules=plugins`, the way a clone loads the rules."""
    return run_cfn_lint(str(ROOT / "plugins"))


@pytest.fixture(scope="session")
def cfn_lint_module() -> List[Dict[str, Any]]:
    """cfn-lint's matches with `--append-rules=trailguard.cfn_lint_rules`, the way an installed package is used."""
    return run_cfn_lint("trailguard.cfn_lint_rules")


@pytest.fixture(scope="session")
def scan_reports() -> Dict[str, ScanReport]:
    """`trailguard scan examples` in every format, from one run of its scanners."""
    return run_trailguard_scan(SCAN_FORMATS)


@pytest.fixture(scope="session")
def scan_text(scan_reports: Dict[str, ScanReport]) -> ScanReport:
    return scan_reports["text"]


@pytest.fixture(scope="session")
def scan_json(scan_reports: Dict[str, ScanReport]) -> Dict[str, Any]:
    report = scan_reports["json"]
    assert report.code == 1, report.stderr
    return json.loads(report.stdout)


@pytest.fixture(scope="session")
def scan_sarif(scan_reports: Dict[str, ScanReport]) -> Dict[str, Any]:
    report = scan_reports["sarif"]
    assert report.code == 1, report.stderr
    return json.loads(report.stdout)
