"""Rewrite the expected results beside every example from the real scanners: `python -m tests.e2e.refresh`.

Checkov, cfn-lint and `trailguard scan` each run once over examples/ (tests/e2e/scanners.py), and every snapshot is
rewritten (tests/e2e/snapshots.py); the diff of the snapshots is the change a reviewer reads. `--check` writes
nothing: it lists every difference and exits 1 when there is one (CI can run it).

`--external-checks-dir` and `--append-rules` load another checkout's checks and rules, to record what that code does;
run it from outside this checkout with that checkout first on PYTHONPATH, so that `trailguard scan` runs it too.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from tests.e2e.examples import EXAMPLES, all_examples, examples_by_snapshot, snapshot_path, snapshots_on_disk
from tests.e2e.scanners import Scanners, run_cfn_lint, run_checkov, run_trailguard_scan
from tests.e2e.snapshots import (
    CFN_LINT,
    CHECKOV,
    SCAN,
    Sections,
    cfn_lint_sections,
    checkov_sections,
    dump,
    scan_sections,
    snapshots,
)


def scanned(scanners: Scanners) -> Dict[str, Sections]:
    """Each scanner's sections of every example, from one run of each over examples/."""
    with tempfile.TemporaryDirectory() as elsewhere:  # unit names stay absolute; no checkout is on the module path
        report = run_trailguard_scan(["json"], [str(EXAMPLES)], Path(elsewhere))["json"]
    document = json.loads(report.stdout)
    if document["errors"]:
        raise SystemExit(f"trailguard scan reported errors, so nothing is refreshed:\n{report.stderr}")
    return {CHECKOV: checkov_sections(run_checkov(scanners).records),
            CFN_LINT: cfn_lint_sections(run_cfn_lint(scanners.plugins)), SCAN: scan_sections(document)}


def expected_files(sections: Dict[str, Sections]) -> Dict[Path, str]:
    """{snapshot path: its text} for every example."""
    examples = all_examples()
    strays = sorted({example for found in sections.values() for example in found} - set(examples))
    if strays:
        raise SystemExit(f"results that belong to no example: {strays}")
    return {snapshot_path(example): dump(example, snapshot)
            for example, snapshot in snapshots(sections, examples).items()}


def differences(files: Dict[Path, str]) -> List[str]:
    """A unified diff per snapshot that would change, and each snapshot whose example is gone."""
    found = []
    for path, text in sorted(files.items()):
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != text:
            found.append("".join(difflib.unified_diff(current.splitlines(True), text.splitlines(True),
                                                      f"{path.relative_to(EXAMPLES)} (snapshot)",
                                                      f"{path.relative_to(EXAMPLES)} (scanners now)")))
    stale = set(snapshots_on_disk()) - set(examples_by_snapshot())
    found += [f"{path.relative_to(EXAMPLES)}: a snapshot of no example" for path in sorted(stale)]
    return found


def write(files: Dict[Path, str]) -> None:
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    for stale in set(snapshots_on_disk()) - set(files):
        stale.unlink()


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.refresh", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; list the differences, exit 1 if any")
    parser.add_argument("--external-checks-dir", type=Path, default=Scanners.checks_dir,
                        help="the Checkov checks to load (default: this checkout's checks/)")
    parser.add_argument("--append-rules", default=Scanners.plugins,
                        help="the cfn-lint rules to append: a directory or a module (default: plugins/)")
    args = parser.parse_args(argv)
    files = expected_files(scanned(Scanners(args.external_checks_dir.resolve(), args.append_rules)))
    changes = differences(files)
    if args.check:
        print("\n".join(changes) or "every snapshot matches the scanners")
        return 1 if changes else 0
    write(files)
    print(f"{len(files)} snapshots written, {len(changes)} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
