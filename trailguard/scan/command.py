"""`trailguard scan [PATH ...]`: the report users read and CI gates on.

Exit codes, for a merge gate:
- 0: nothing failed and some trail in the scan proves the control (TG_AWS_4 passed), or there was nothing to check;
- 1: a check failed (advisory TG_AWS_5 only with `--fail-on-advisory` or `--fail-on LOW`);
- 2: usage errors, and whenever a scanner crashed, could not run or could not read a file (then nothing there was
  proven, so it must not look like a pass);
- 3: nothing failed, but no trail in the scan proves the control (a monitoring-only unit, alarm packs, a skipped
  chain). Not a pass; a split layout whose trail lives elsewhere passes `--allow-unproven` to exit 0 here, and the
  report still says "not proven".
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import List, Sequence, TextIO

from trailguard.scan.chain import DEFAULT_FAIL_ON, SEVERITIES, UnitChain, blocks, units
from trailguard.scan.document import to_json
from trailguard.scan.inventory import declared
from trailguard.scan.report import render, render_errors
from trailguard.scan.runner import run_scan
from trailguard.scan.sarif import to_sarif

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_NOT_PROVEN = 0, 1, 2, 3


DESCRIPTION = ("Run Checkov (Terraform, .tf.json, plan JSON, CloudFormation) and cfn-lint (CloudFormation) with only "
               "trailguard's checks, offline, and report per deployment unit the chain trail -> log group -> filter "
               "-> alarm -> topic. Exit 0 when the control is proven and nothing fails, 1 on findings, 2 on usage or "
               "scanner errors, 3 when nothing fails but no trail in the scan proves the control.")


def add_arguments(scan: argparse.ArgumentParser) -> None:
    scan.add_argument("paths", nargs="*", metavar="PATH", default=["."],
                      help="files or directories to scan (default: the current directory)")
    scan.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                      help="text for people (default), json for scripts, sarif (2.1.0) for code scanning")
    scan.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                      help="colour the text report: auto (default) colours a terminal unless NO_COLOR is set")
    scan.add_argument("-v", "--verbose", action="store_true",
                      help="show every link of passing units too (they take one line otherwise)")
    scan.add_argument("--fail-on", choices=SEVERITIES, default=DEFAULT_FAIL_ON, type=str.upper,
                      help="the lowest severity whose failures fail the scan: MEDIUM (default) leaves the advisory "
                           "TG_AWS_5 (LOW) a warning, LOW fails on it too, HIGH fails only on TG_AWS_4")
    scan.add_argument("--fail-on-advisory", action="store_const", const="LOW", dest="fail_on",
                      help="fail on advisory checks too (TG_AWS_5: a topic nobody subscribes to); same as "
                           "--fail-on LOW")
    scan.add_argument("--allow-unproven", action="store_true",
                      help="exit 0 instead of 3 when nothing fails but no trail in the scan proves the control (a "
                           "monitoring-only unit whose trail is deployed elsewhere); the report still says so")


def _colour(choice: str, out: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return not os.environ.get("NO_COLOR") and hasattr(out, "isatty") and out.isatty()


def scan(args: argparse.Namespace, paths: List[Path], out: TextIO) -> int:
    """Scan existing paths and print the report in the requested format; returns the exit code."""
    outcome = run_scan(paths, args.timeout)
    found = units(outcome.results, declared(paths, {error.file for error in outcome.errors}), args.fail_on)
    if args.format == "text":
        render(found, outcome.errors, out, _colour(args.color, out), args.verbose)
    elif args.format == "json":
        print(json.dumps(to_json(found, outcome.errors), indent=2), file=out)
    else:
        print(json.dumps(to_sarif(outcome.results, outcome.errors, found), indent=2), file=out)
    render_errors(outcome.errors, sys.stderr)
    return exit_code(found, bool(outcome.errors), args.allow_unproven)


def exit_code(found: Sequence[UnitChain], errors: bool, allow_unproven: bool) -> int:
    """The merge gate's answer (see the module docstring): errors, then failures, then whether anything proves the
    control."""
    if errors:
        return EXIT_ERROR
    if any(blocks(result, unit.fail_on) for unit in found for result in unit.results):
        return EXIT_FINDINGS
    if found and not any(unit.proven for unit in found) and not allow_unproven:
        return EXIT_NOT_PROVEN
    return EXIT_OK
