"""The one scan of the examples per scanner, shared by every test of the session that reads it.

Checkov (every framework, plan files included), cfn-lint (with the rules from plugins/, and once more by module name)
and `trailguard scan` (its scanners run once, its text, JSON and SARIF rendered from that run) each go over examples/
once, side by side: each is mostly a subprocess. No other test scans the whole examples tree.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Dict, List

import pytest

from tests.e2e.examples import ROOT, cloudformation_templates
from tests.e2e.scanners import CheckovRun, ScanReport, run_cfn_lint, run_checkov, run_trailguard_scan

SCAN_FORMATS = ("text", "json", "sarif")
MODULE_SAMPLE = cloudformation_templates()[::6]  # every sixth template: compliant and noncompliant, nested stacks


@dataclass
class ExamplesScanned:
    checkov: CheckovRun
    cfn_lint_plugins: List[Dict[str, Any]]  # `--append-rules=plugins`, the way a clone loads the rules
    cfn_lint_module: List[Dict[str, Any]]  # `--append-rules=trailguard.cfn_lint_rules` (as an installed package) on
    # MODULE_SAMPLE: the rules are the same objects either way, so a sample proves the loading, at a sixth of the cost
    scan_reports: Dict[str, ScanReport]  # `trailguard scan examples` in every format


@pytest.fixture(scope="session")
def examples_scanned() -> ExamplesScanned:
    with ThreadPoolExecutor(4) as pool:
        checkov = pool.submit(run_checkov)
        plugins = pool.submit(run_cfn_lint, str(ROOT / "plugins"))
        module = pool.submit(run_cfn_lint, "trailguard.cfn_lint_rules", MODULE_SAMPLE)
        scan = pool.submit(run_trailguard_scan, SCAN_FORMATS)
        return ExamplesScanned(checkov.result(), plugins.result(), module.result(), scan.result())


@pytest.fixture(scope="session")
def checkov_run(examples_scanned: ExamplesScanned) -> CheckovRun:
    return examples_scanned.checkov


@pytest.fixture(scope="session")
def cfn_lint_plugins(examples_scanned: ExamplesScanned) -> List[Dict[str, Any]]:
    return examples_scanned.cfn_lint_plugins


@pytest.fixture(scope="session")
def cfn_lint_module(examples_scanned: ExamplesScanned) -> List[Dict[str, Any]]:
    return examples_scanned.cfn_lint_module


@pytest.fixture(scope="session")
def scan_reports(examples_scanned: ExamplesScanned) -> Dict[str, ScanReport]:
    return examples_scanned.scan_reports


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
