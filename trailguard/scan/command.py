"""`trailguard scan [PATH ...]`: the report users read and CI gates on.

Exit 0 when everything passes, 1 when any check fails, 2 on usage errors and whenever a scanner crashed, could not
run or could not read a file (then nothing there was proven, so it must not look like a pass).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import List, TextIO

from trailguard.scan.chain import units
from trailguard.scan.document import to_json
from trailguard.scan.report import render, render_errors
from trailguard.scan.runner import run_scan
from trailguard.scan.sarif import to_sarif

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


DESCRIPTION = ("Run Checkov (Terraform, .tf.json, plan JSON, CloudFormation) and cfn-lint (CloudFormation) with only "
               "trailguard's checks, offline, and report per deployment unit the chain trail -> log group -> filter "
               "-> alarm -> topic. Exit 0 when everything passes, 1 on findings, 2 on usage or scanner errors.")


def add_arguments(scan: argparse.ArgumentParser) -> None:
    scan.add_argument("paths", nargs="*", metavar="PATH", default=["."],
                      help="files or directories to scan (default: the current directory)")
    scan.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                      help="text for people (default), json for scripts, sarif (2.1.0) for code scanning")
    scan.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                      help="colour the text report: auto (default) colours a terminal unless NO_COLOR is set")
    scan.add_argument("-v", "--verbose", action="store_true",
                      help="show every link of passing units too (they take one line otherwise)")


def _colour(choice: str, out: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return not os.environ.get("NO_COLOR") and hasattr(out, "isatty") and out.isatty()


def scan(args: argparse.Namespace, paths: List[Path], out: TextIO) -> int:
    """Scan existing paths and print the report in the requested format; returns the exit code."""
    outcome = run_scan(paths)
    found = units(outcome.results)
    if args.format == "text":
        render(found, outcome.errors, out, _colour(args.color, out), args.verbose)
    elif args.format == "json":
        print(json.dumps(to_json(found, outcome.errors), indent=2), file=out)
    else:
        print(json.dumps(to_sarif(outcome.results, outcome.errors), indent=2), file=out)
    render_errors(outcome.errors, sys.stderr)
    if outcome.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(result.failed for result in outcome.results) else EXIT_OK
