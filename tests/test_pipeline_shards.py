"""`trailguard scan --shard I/N` and `trailguard merge`: N shards of a copy of examples (a selection of its cases:
both languages, compliant and not, every control, a split layout and an organization trail the cross-unit proof
joins), scanned by the real scanners and merged, are the one full scan (the JSON report whole, the SARIF log's
results), with its exit code; and a unit's shard depends on its own path only."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from tests.scan_replay import ROOT
from trailguard.scan.shard import Shard, ShardError, outside

SHARDS = 3


# The cases copied: enough units that no shard of three is empty, and the layouts whose units must share a shard.
CASES = ("terraform/compliant/split_layout", "terraform/compliant/organization_trail",
         "terraform/compliant/cis_controls_for_each", "terraform/compliant/basic", "terraform/compliant/plan_json",
         "terraform/noncompliant/or_bug_pattern", "terraform/noncompliant/split_layout_other_account",
         "terraform/noncompliant/cis_controls_published_traps", "cloudformation/compliant/cis_controls.yaml",
         "cloudformation/compliant/split_layout_trail.yaml", "cloudformation/compliant/split_layout",
         "cloudformation/noncompliant/or_bug.yaml", "cloudformation/noncompliant/accepted_risk_skipped.yaml",
         "cloudformation/noncompliant/cis_wrong_patterns.yaml")


def _copy_cases(base: Path) -> Path:
    for case in CASES:
        source, target = ROOT / "examples" / case, base / "examples" / case
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    return base


def _scan(cases: Path, directory: Path, *options: str) -> Tuple[int, Dict[str, Any], Dict[str, Any]]:
    """`trailguard scan examples` writing its JSON report and SARIF log from one run."""
    report, log = directory / "report.json", directory / "report.sarif"
    directory.mkdir()
    done = subprocess.run([sys.executable, "-m", "trailguard", "scan", "examples", "-o", "json", "-o", "sarif",
                           "--output-file", f"json={report}", "--output-file", f"sarif={log}", *options],
                          cwd=cases, capture_output=True, text=True)
    return done.returncode, json.loads(report.read_text()), json.loads(log.read_text())


def _merge(*files: Path) -> Tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "trailguard", "merge", *map(str, files), "-o", "json"], cwd=ROOT,
                          capture_output=True, text=True)
    return done.returncode, done.stdout


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> List[Tuple[int, Dict[str, Any], Dict[str, Any]]]:
    """The full scan first, then each shard; two at a time (each is mostly a Checkov subprocess)."""
    base = tmp_path_factory.mktemp("shards")
    cases = _copy_cases(tmp_path_factory.mktemp("cases"))
    options = [()] + [("--shard", f"{index}/{SHARDS}") for index in range(1, SHARDS + 1)]
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda each: _scan(cases, base / str(each[0]), *each[1]), enumerate(options)))


def test_every_unit_is_in_exactly_one_shard(scans):
    full = {unit["name"] for unit in scans[0][1]["units"]}
    shards = [{unit["name"] for unit in report["units"]} for _, report, _ in scans[1:]]
    assert sum(map(len, shards)) == len(full) and set().union(*shards) == full
    assert all(shards)  # the cases are enough that no shard is empty


def test_the_shards_json_merged_is_the_full_scan_with_its_exit_code(scans, tmp_path):
    code, full, _ = scans[0]
    files = []
    for index, (_, report, _) in enumerate(scans[1:]):
        files.append(tmp_path / f"shard{index}.json")
        files[-1].write_text(json.dumps(report))
    merged_code, merged = _merge(*files)
    assert json.loads(merged) == full and merged_code == code == 1


def test_the_shards_sarif_merged_has_the_full_scans_results(scans, tmp_path):
    _, _, full = scans[0]
    files = []
    for index, (_, _, log) in enumerate(scans[1:]):
        files.append(tmp_path / f"shard{index}.sarif")
        files[-1].write_text(json.dumps(log))
    done = subprocess.run([sys.executable, "-m", "trailguard", "merge", *map(str, files)], cwd=ROOT,
                          capture_output=True, text=True)
    merged = json.loads(done.stdout)

    def results(log: Dict[str, Any]) -> List[str]:
        return sorted(json.dumps(result, sort_keys=True) for result in log["runs"][0]["results"])

    assert done.returncode == 1 and results(merged) == results(full)
    assert len(merged["runs"]) == 1 and merged["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_a_units_shard_does_not_move_when_other_units_are_added(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("a", "b", "c", "a/modules/m"):
        (tmp_path / name).mkdir(parents=True, exist_ok=True)
        (tmp_path / name / "main.tf").write_text('resource "aws_sns_topic" "t" {}\n')
    (tmp_path / "a" / "main.tf").write_text('module "m" {\n  source = "./modules/m"\n}\n')
    files = sorted(tmp_path.rglob("*.tf"))
    before = [outside(Shard(index, 4), files) for index in range(1, 5)]
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "main.tf").write_text("")
    after = [outside(Shard(index, 4), sorted(tmp_path.rglob("*.tf"))) for index in range(1, 5)]
    d = str(tmp_path / "d" / "main.tf")
    assert [shard | {d} for shard in before] == [shard | {d} for shard in after]
    module = str(tmp_path / "a" / "modules" / "m" / "main.tf")
    assert [module in shard for shard in before] == [str(tmp_path / "a" / "main.tf") in shard for shard in before]


def test_units_the_cross_unit_proof_joins_share_a_shard(monkeypatch):
    """A trail root and the monitoring root it is proven to be linked to (same account and region) are scanned by one
    shard, whatever N: split apart, neither shard could prove the chain the full scan proves."""
    from argparse import Namespace

    from trailguard.scan.shard_groups import linked_units

    monkeypatch.chdir(ROOT)
    layout = Path("examples/terraform/compliant/split_layout")  # the trail's root, its monitoring root below it
    groups = linked_units([layout], set(), Namespace(paths=[str(layout)], config=None))
    trail, monitoring = layout.resolve(), (layout / "monitoring").resolve()
    assert groups[trail] == groups[monitoring]
    files = sorted(layout.rglob("*.tf"))
    for count in range(2, 9):
        kept = [shard for shard in range(1, count + 1) if not {str((trail / "main.tf").resolve()),
                str((monitoring / "main.tf").resolve())} & outside(Shard(shard, count), files, groups)]
        assert len(kept) == 1, count


@pytest.mark.parametrize("text", ["0/3", "4/3", "1", "a/b", "1/0"])
def test_a_shard_is_i_of_n(text):
    with pytest.raises(ShardError):
        Shard.parse(text)


def test_reports_judged_by_different_cis_versions_or_controls_do_not_merge(tmp_path):
    from tests.scan_replay import replay

    files = []
    for index, options in enumerate((("--cis-version", "4.0"), ("--cis-version", "7.0"), ("--check", "root-usage"))):
        files.append(tmp_path / f"shard{index}.json")
        files[-1].write_text(replay("all_controls", "--format", "json", *options)[1])
    for pair in ((files[0], files[1]), (files[1], files[2])):
        done = subprocess.run([sys.executable, "-m", "trailguard", "merge", *map(str, pair)], cwd=ROOT,
                              capture_output=True, text=True)
        assert done.returncode == 2 and "different settings" in done.stderr and "cis-version" in done.stderr


def test_sarif_logs_merge_each_controls_verdict(tmp_path):
    from trailguard.scan.merge import MergeError, join_sarif

    def log(version: str, **controls: str) -> Dict[str, Any]:
        return {"runs": [{"results": [], "invocations": [{"executionSuccessful": True}],
                          "properties": {"cis-version": version, "controls": controls}}]}

    merged, code = join_sarif([log("7.0", a="NOT PROVEN", b="PROVEN", c="SKIPPED"),
                               log("7.0", a="PROVEN", b="FAILED", c="NOT PROVEN")])
    assert merged["runs"][0]["properties"] == {"cis-version": "7.0",
                                               "controls": {"a": "PROVEN", "b": "FAILED", "c": "SKIPPED"}}
    with pytest.raises(MergeError, match="different CIS versions"):
        join_sarif([log("7.0"), log("4.0")])
