"""Every example's results, from the real scanners, equal the snapshot beside it (one test per scanner).

A failure prints a diff per example: the snapshot's lines (-) against what the scanner reports now (+). When the
change is intended, `python -m tests.e2e.refresh` rewrites the snapshots, and their diff is what a reviewer reads.
"""

from __future__ import annotations

from typing import Any, Dict, List, Set, Tuple

import pytest

from tests.e2e.conftest import MODULE_SAMPLE
from tests.e2e.examples import (
    all_examples,
    cloudformation_examples,
    example_of,
    examples_by_snapshot,
    snapshot_path,
    snapshots_on_disk,
)
from tests.e2e.scanners import CheckovRun
from tests.e2e.snapshots import (
    CFN_LINT,
    CHECKOV,
    SCAN,
    cfn_lint_sections,
    checkov_sections,
    scan_sections,
    section_differences,
)
from trailguard.catalog import CHECKS
from trailguard.scan.discover import is_cloudformation_template

CHECK_OF_RULE = {check.cfn_lint_id: check.id for check in CHECKS.values()}


def _no_differences(differences: List[str]) -> None:
    if differences:
        pytest.fail(f"{len(differences)} example(s) differ from their snapshots:\n\n" + "\n\n".join(differences),
                    pytrace=False)


def test_every_example_has_a_snapshot():
    missing = [example for example in all_examples() if not snapshot_path(example).is_file()]
    assert not missing, missing
    assert len(all_examples()) >= 100


def test_every_snapshot_has_an_example():
    examples = examples_by_snapshot()
    assert len(examples) == len(all_examples()), "two examples would share one snapshot"
    assert [path for path in snapshots_on_disk() if path not in examples] == []


def test_no_scanner_takes_a_snapshot_for_a_template(checkov_run: CheckovRun):
    """`trailguard scan`'s discovery and the pre-commit cfn-lint hook's entry both ask `is_cloudformation_template`;
    Checkov's cloudformation runner, given the whole tree, neither judges nor fails to parse a snapshot."""
    assert [path for path in snapshots_on_disk() if is_cloudformation_template(path)] == []
    judged = {record["file_abs_path"] for record in checkov_run.records}
    assert [path for path in judged if path.endswith("expected.yaml")] == []
    assert [document["summary"]["parsing_errors"] for document in checkov_run.documents
            if document.get("summary", {}).get("parsing_errors")] == []


def test_checkov_gives_the_snapshot_results(checkov_run: CheckovRun):
    assert "internal error" not in checkov_run.stderr, checkov_run.stderr[-3000:]
    _no_differences(section_differences(CHECKOV, checkov_sections(checkov_run.records), all_examples()))


def test_cfn_lint_gives_the_snapshot_results(cfn_lint_plugins: List[Dict[str, Any]]):
    _no_differences(section_differences(CFN_LINT, cfn_lint_sections(cfn_lint_plugins), cloudformation_examples()))


def test_cfn_lint_loads_the_same_rules_by_module_name(cfn_lint_plugins, cfn_lint_module):
    by_module, by_plugins = cfn_lint_sections(cfn_lint_module), cfn_lint_sections(cfn_lint_plugins)
    sampled = {example_of(str(path)) for path in MODULE_SAMPLE}
    assert len(sampled) >= 8 and set(by_module) <= sampled and set(by_module) & set(by_plugins)
    assert by_module == {example: found for example, found in by_plugins.items() if example in sampled}


def test_trailguard_scan_gives_the_snapshot_verdicts(scan_json: Dict[str, Any]):
    assert scan_json["errors"] == []
    _no_differences(section_differences(SCAN, scan_sections(scan_json), all_examples()))


def test_every_cloudformation_example_passes_cfn_lints_own_rules(cfn_lint_plugins):
    assert [(match["Filename"], match["Rule"]["Id"], match["Message"]) for match in cfn_lint_plugins
            if match["Rule"]["Id"] not in CHECK_OF_RULE] == []


def test_checkov_and_cfn_lint_fail_the_same_resources(checkov_run: CheckovRun, cfn_lint_plugins):
    """cfn-lint reports a match of the mapped rule (E9101..W9105) exactly where Checkov says FAILED; a resource
    skipped in Checkov is ignored by cfn-lint through its Metadata too."""
    examples = set(cloudformation_examples())
    by_checkov: Set[Tuple[str, str, str]] = {
        (example_of(record["file_abs_path"]), record["check_id"], record["resource"].rsplit(".", 1)[-1])
        for record in checkov_run.records
        if record["check_result"]["result"] == "FAILED" and example_of(record["file_abs_path"]) in examples}
    by_cfn_lint = {(example_of(match["Filename"]), CHECK_OF_RULE[match["Rule"]["Id"]], match["Location"]["Path"][1])
                   for match in cfn_lint_plugins if match["Rule"]["Id"] in CHECK_OF_RULE}
    assert sorted(by_cfn_lint - by_checkov) == [] and sorted(by_checkov - by_cfn_lint) == []
    assert len(by_checkov) >= 40
