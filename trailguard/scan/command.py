"""`trailguard scan [PATH ...]`: the report users read and CI gates on.

Exit codes, for a merge gate:
- 0: nothing failed and for every selected control some trail in the scan proves it (its chain check passed), or
  there was nothing to check;
- 1: a check failed (advisory TG_AWS_5 only with `--fail-on-advisory` or `--fail-on LOW`); 0 with `--soft-fail`;
- 2: usage errors, and whenever a scanner crashed, could not run or could not read a file (then nothing there was
  proven, so it must not look like a pass);
- 3: nothing failed, but for some selected control no trail in the scan proves it (a monitoring-only unit, alarm
  packs, a skipped chain check). Not a pass; a split layout whose trail lives elsewhere passes `--allow-unproven` to
  exit 0 here, and the report still says "not proven" (`--soft-fail` also exits 0 here).

The controls a scan must prove are all fifteen unless `--check` / `--skip-check` choose (selection.py); the CIS
version judged is `--cis-version` (settings.py), handed to both scanners.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Sequence, Set, TextIO, Tuple

from trailguard.controls.control import check_version
from trailguard.scan import across_units, baseline
from trailguard.scan.chain import SEVERITIES, UnitChain, blocks, units
from trailguard.scan.coverage import unproven
from trailguard.scan.discover import walk_files
from trailguard.scan.document import to_json
from trailguard.scan.inventory import declared
from trailguard.scan.outputs import OutputError, destinations
from trailguard.scan.report import render, render_errors
from trailguard.scan.results import Result, ScannerError
from trailguard.scan.runner import run_scan
from trailguard.scan.sarif import to_sarif
from trailguard.scan.selection import Selection
from trailguard.scan.settings import CONFIG_FILE, FORMATS, SettingsError, given_by_value, resolve, scalar_defaults
from trailguard.scan.shard import Shard, outside
from trailguard.scan.shard_groups import linked_units

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_NOT_PROVEN = 0, 1, 2, 3


DESCRIPTION = ("Run Checkov (Terraform, .tf.json, plan JSON, CloudFormation) and cfn-lint (CloudFormation) with only "
               "trailguard's checks, offline, and report per deployment unit the chain trail -> log group -> filter "
               "-> alarm -> topic for each CIS monitoring control. Exit 0 when every selected control is proven and "
               "nothing fails, 1 on findings, 2 on usage or scanner errors, 3 when nothing fails but some selected "
               "control has no trail in the scan that proves it.")


def _ids(text: str) -> List[str]:
    """`--check A,B` as Checkov takes it: comma-separated, repeatable."""
    return [part.strip() for part in text.split(",") if part.strip()]


USAGE_ERRORS = (SettingsError, OutputError, baseline.BaselineError)


def _add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that choose the reports and where they go (`scan` and `merge` alike)."""
    parser.add_argument("--format", "-o", "--output", action="append", choices=FORMATS, type=str.lower, default=None,
                        help="text for people (default), json for scripts, sarif (2.1.0) for code scanning; repeat "
                             "it for several reports from one run")
    parser.add_argument("--output-file", action="append", metavar="FORMAT=PATH", default=None,
                        help="write that format's report to PATH instead of standard output (repeatable)")
    parser.add_argument("--output-file-path", metavar="DIR|PATH,...", default=None,
                        help="as Checkov: a directory for every format's report (results_cli.txt, "
                             "results_json.json, results_sarif.sarif), or one entry per --format in order, "
                             "`console` for standard output")
    parser.add_argument("--color", choices=("auto", "always", "never"), default=None,
                        help="colour the text report: auto (default) colours a terminal unless NO_COLOR is set")
    parser.add_argument("-v", "--verbose", action="store_true", default=None,
                        help="show every link of passing units too (they take one line otherwise)")


def add_merge_arguments(merge: argparse.ArgumentParser) -> None:
    merge.add_argument("files", nargs="+", metavar="FILE",
                       help="the shards' reports: all JSON (`--format json`) or all SARIF")
    _add_output_arguments(merge)


def add_arguments(scan: argparse.ArgumentParser, with_defaults: bool = True) -> None:
    """The options; each one left out is taken from the configuration file, else its default (`settings.DEFAULTS`).
    Without defaults, the options given are the only ones not None (what `given_options` reads)."""
    scan.add_argument("paths", nargs="*", metavar="PATH", default=["."],
                      help="files or directories to scan (default: the current directory)")
    _add_output_arguments(scan)
    scan.add_argument("--check", "-c", action="extend", type=_ids, metavar="ID", default=None,
                      help="report only these checks: Checkov or cfn-lint ids, wildcards (TG_AWS_*) or control slugs "
                           "(root-usage: its chain check and the checks every chain shares); comma-separated or "
                           "repeated")
    scan.add_argument("--skip-check", action="extend", type=_ids, metavar="ID", default=None,
                      help="leave these checks out (same forms as --check; a control slug leaves out that control "
                           "and its chain check; it wins over --check)")
    scan.add_argument("--skip-path", action="append", metavar="REGEX", default=None,
                      help="leave out files whose path (relative to the working directory) matches this regular "
                           "expression or glob, as Checkov's --skip-path (repeatable)")
    scan.add_argument("--fail-on", choices=SEVERITIES, default=None, type=str.upper,
                      help="the lowest severity whose failures fail the scan: MEDIUM (default) leaves the advisory "
                           "TG_AWS_5 (LOW) a warning, LOW fails on it too, HIGH fails only on the chain checks")
    scan.add_argument("--fail-on-advisory", action="store_const", const="LOW", dest="fail_on",
                      help="fail on advisory checks too (TG_AWS_5: a topic nobody subscribes to); same as "
                           "--fail-on LOW")
    scan.add_argument("--cis-version", metavar="VERSION", default=None,
                      help="judge by this CIS AWS Foundations Benchmark version's texts (default: the environment "
                           "variable TRAILGUARD_CIS_VERSION, else the newest); `trailguard controls` lists them")
    scan.add_argument("--soft-fail", action="store_true", default=None,
                      help="exit 0 on findings and when a control is not proven (the report is unchanged); a "
                           "scanner error still exits 2")
    scan.add_argument("--allow-unproven", action="store_true", default=None,
                      help="exit 0 instead of 3 when nothing fails but some control has no trail in the scan that "
                           "proves it (a monitoring-only unit whose trail is deployed elsewhere); the report still "
                           "says so")
    scan.add_argument("--baseline", metavar="FILE", default=None,
                      help="failures recorded in FILE (--create-baseline) are shown as skipped and do not fail")
    scan.add_argument("--create-baseline", metavar="FILE", default=None,
                      help="record this scan's failures in FILE, for --baseline")
    scan.add_argument("--shard", type=Shard.parse, metavar="I/N", default=None,
                      help="scan only shard I of N of the deployment units (for a CI matrix; `trailguard merge` "
                           "joins the shards' JSON reports)")
    scan.add_argument("--config", metavar="FILE", default=None,
                      help=f"read settings from FILE (default: {CONFIG_FILE}, else [tool.trailguard] in "
                           "pyproject.toml, in the first scanned directory)")
    if with_defaults:
        scan.set_defaults(**scalar_defaults())


def given_options(probe: argparse.Namespace) -> Set[str]:
    """The settings the command line gives, from its arguments parsed without defaults."""
    return {name for name, value in vars(probe).items() if value is not None}


def _colour(choice: str, out: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return not os.environ.get("NO_COLOR") and hasattr(out, "isatty") and out.isatty()


def _left_out(paths: Sequence[Path], selection: Selection, args: argparse.Namespace) -> Tuple[Set[str], Set[str]]:
    """The files left out of the scan (absolute paths): by the user's skip paths, and by those and the shard
    together. A shard keeps the units the cross-unit proof may join together, and that proof sees every unit the
    user did not leave out (a StackSet in another shard still says where its templates deploy)."""
    if not selection.skip_paths and args.shard is None:
        return set(), set()
    files = list(walk_files(paths))
    skipped = {os.path.abspath(file) for file in files if selection.skips(file)}
    if args.shard is None:
        return skipped, skipped
    return skipped, skipped | outside(args.shard, files, linked_units(paths, skipped, args))


def render_report(format_: str, found: Sequence[UnitChain], results: Sequence[Result],
                  errors: Sequence[ScannerError], out: TextIO, args: argparse.Namespace) -> None:
    """One report in one format (the same units, whatever the format)."""
    if format_ == "text":
        render(found, errors, out, _colour(args.color, out), args.verbose, args.cis_version, args.controls)
    elif format_ == "json":
        print(json.dumps(to_json(found, errors, run_settings(args)), indent=2), file=out)
    else:
        print(json.dumps(to_sarif(results, errors, found, run_settings(args)), indent=2), file=out)


def run_settings(args: argparse.Namespace) -> Dict[str, Any]:
    """What `trailguard merge` needs to judge merged shards as this scan judged its own: the CIS version and the
    controls the scan must prove among them."""
    return {"fail_on": args.fail_on, "allow_unproven": bool(args.allow_unproven), "soft_fail": bool(args.soft_fail),
            "cis_version": args.cis_version, "controls": list(args.controls),
            "shard": str(args.shard) if args.shard else None}


def write_reports(args: argparse.Namespace, found: Sequence[UnitChain], results: Sequence[Result],
                  errors: Sequence[ScannerError], out: TextIO) -> None:
    for format_, file in destinations(args.format, args.output_file, args.output_file_path):
        if file is None:
            render_report(format_, found, results, errors, out, args)
            continue
        file.parent.mkdir(parents=True, exist_ok=True)
        with file.open("w", encoding="utf-8") as handle:
            render_report(format_, found, results, errors, handle, args)
    render_errors(errors, sys.stderr)


def scan(args: argparse.Namespace, paths: List[Path], out: TextIO) -> int:
    """Scan existing paths and write the report in every requested format; returns the exit code. `args.given` names
    the settings the command line gave (the others come from a configuration file, if any)."""
    resolve(args, args.given if hasattr(args, "given") else given_by_value(args))
    selection = Selection(args.check, args.skip_check, args.skip_path)
    unknown = selection.unknown_checks()
    if unknown:
        raise SettingsError(f"no check is named {unknown[0]!r} (`trailguard checks` lists them)")
    absent = selection.absent_controls(args.cis_version)
    if absent:
        raise SettingsError(f"CIS v{check_version(args.cis_version)} has no control named {absent[0]!r}, so the scan "
                            "would prove nothing (`trailguard controls` shows each control's CIS numbers)")
    args.controls = selection.controls(args.cis_version)
    skipped, left_out = _left_out(paths, selection, args)
    destinations(args.format, args.output_file, args.output_file_path)  # a mistake there is told before scanning
    outcome = run_scan(paths, args.timeout, left_out, cis_version=args.cis_version)
    outcome.results = across_units.prove(paths, outcome, skipped, args)  # links between units (docs/cross-unit.md)
    results = [result for result in outcome.results if selection.wants(result.check_id)]
    if args.create_baseline:
        count = baseline.create(results, Path(args.create_baseline))
        print(f"trailguard: recorded {count} failure(s) in the baseline {args.create_baseline}", file=sys.stderr)
    if args.baseline:
        baseline.apply(results, Path(args.baseline))
    found = units(results, declared(paths, {error.file for error in outcome.errors}, left_out), args.fail_on,
                  args.controls)
    write_reports(args, found, results, outcome.errors, out)
    for note in outcome.notes:
        print(f"trailguard: note: {note}", file=sys.stderr)
    return final_code(exit_code(found, bool(outcome.errors), args.allow_unproven), args.soft_fail)


def final_code(code: int, soft_fail: bool) -> int:
    """`--soft-fail`: findings and unproven controls exit 0; a scanner error never does."""
    return EXIT_OK if soft_fail and code in (EXIT_FINDINGS, EXIT_NOT_PROVEN) else code


def exit_code(found: Sequence[UnitChain], errors: bool, allow_unproven: bool) -> int:
    """The merge gate's answer (see the module docstring): errors, then failures, then whether some selected control
    has no trail in the scan that proves it."""
    if errors:
        return EXIT_ERROR
    if any(blocks(result, unit.fail_on) for unit in found for result in unit.results):
        return EXIT_FINDINGS
    if unproven(found) and not allow_unproven:
        return EXIT_NOT_PROVEN
    return EXIT_OK
