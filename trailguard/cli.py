"""The `trailguard` command. Each subcommand is a small function; the scanners are only imported when used."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, List, Optional, Sequence, TextIO

from trailguard.account import command as account_arguments
from trailguard.controls import UnknownControl, UnknownVersion, describe, judge
from trailguard.pattern.errors import PatternError
from trailguard.pattern.evaluator import matches
from trailguard.pattern.judge import Verdict
from trailguard.scan import command as scan_command
from trailguard.scan.runner import DEFAULT_TIMEOUT
from trailguard.version import installed_version

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # SIGPIPE


class UsageError(Exception):
    """A mistake in how the command was called: exit 2 with the message."""


def _read_events(path: str) -> List[Any]:
    """Events from a file: a CloudTrail log file ({"Records": [...]}), a JSON array, one JSON event, JSON lines, or
    plain text lines (one log event each)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read events from {path}: {error}") from None
    try:
        document = json.loads(text)
    except ValueError:
        return [_json_or_text(line) for line in text.splitlines() if line.strip()]
    if isinstance(document, dict) and isinstance(document.get("Records"), list):
        return document["Records"]
    return document if isinstance(document, list) else [document]


def _json_or_text(line: str) -> Any:
    """A line of a log file: a JSON event when it parses as an object, else the raw text of the event."""
    try:
        event = json.loads(line)
    except ValueError:
        return line
    return event if isinstance(event, dict) else line


_HEADLINES = {
    "PASS": "PASS: the pattern counts every unauthorized API call and nothing else.",
    "FAIL": "FAIL: the pattern does not count exactly the unauthorized API calls; the events below prove it.",
    "CANNOT_DECIDE": "CANNOT DECIDE: trailguard could not prove this pattern right or wrong, so it fails closed.",
    "INVALID": "INVALID: AWS would not accept this pattern.",
}


def _print_verdict(verdict: Verdict, choice: describe.Choice, out: TextIO) -> None:
    """The three answers, each in its own words: a pass with its exclusions, a failure with the events that prove
    it (grouped by what they prove), an undecided pattern with the construct to rewrite; or the syntax error."""
    print(describe.headline(verdict.status, choice) or _HEADLINES[verdict.status], file=out)
    if verdict.error:
        print(f"  {verdict.error}", file=out)
    if verdict.exclusions:
        print(describe.exclusions_heading(choice) or "Narrow exclusions (denied calls it deliberately does not count):",
              file=out)
        for exclusion in verdict.exclusions:
            print(f"  {exclusion}", file=out)
    shown: List[str] = []
    for example in verdict.counterexamples:
        if example.sentence not in shown:
            shown.append(example.sentence)
            print(example.sentence[0].upper() + example.sentence[1:] + ":", file=out)
        print("  " + json.dumps(example.event, ensure_ascii=False), file=out)
        if example.fix:
            print(f"  Fix: {example.fix}", file=out)
    for hint in verdict.hints:
        print(f"Hint: {hint}", file=out)


def cmd_pattern(args: argparse.Namespace, out: TextIO) -> int:
    pattern = sys.stdin.read() if args.pattern == "-" else args.pattern
    try:
        choice = describe.choose(pattern, getattr(args, "control", None), getattr(args, "cis_version", None))
    except (UnknownControl, UnknownVersion, describe.AmbiguousControl) as error:
        raise UsageError(str(error).strip('"')) from None
    verdict = judge(pattern, choice.control, choice.cis_version)
    results = None
    if args.event:
        events = _read_events(args.event)
        try:
            results = [matches(pattern, event) for event in events]
        except PatternError:
            results = [False for _ in events]
    if args.json:
        document = {**verdict.to_json(), **describe.details(pattern, choice)}
        if results is not None:
            document["events"] = [{"index": index, "matches": hit} for index, hit in enumerate(results)]
        print(json.dumps(document, indent=2), file=out)
    else:
        _print_verdict(verdict, choice, out)
        if results is not None:
            print(f"Events in {args.event}:", file=out)
            for index, hit in enumerate(results):
                print(f"  event {index}: {'MATCH' if hit else 'no match'}", file=out)
        for line in describe.detail_lines(pattern, choice):
            print(line, file=out)
    return EXIT_OK if verdict.ok else EXIT_FINDINGS


def cmd_controls(args: argparse.Namespace, out: TextIO) -> int:
    """The CIS monitoring controls trailguard judges, with their ids and CIS numbers."""
    if args.json:
        print(json.dumps(describe.control_rows(), indent=2), file=out)
    else:
        for line in describe.control_table():
            print(line, file=out)
    return EXIT_OK


def cmd_checks_dir(args: argparse.Namespace, out: TextIO) -> int:
    """Where the installed package keeps its Checkov external checks (for `checkov --external-checks-dir`)."""
    from trailguard.scan.tools import checks_dir

    print(checks_dir(), file=out)
    return EXIT_OK


def cmd_checks(args: argparse.Namespace, out: TextIO) -> int:
    """Every check: Checkov id, cfn-lint id, control, severity, title and documentation page."""
    from trailguard.scan.checks import check_lines, check_rows

    if args.json:
        print(json.dumps(check_rows(), indent=2), file=out)
    else:
        for line in check_lines():
            print(line, file=out)
    return EXIT_OK


def cmd_scan(args: argparse.Namespace, out: TextIO) -> int:
    from trailguard.scan.command import scan

    paths = [Path(path) for path in args.paths]
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError("no such file or directory: " + ", ".join(missing))
    try:
        return scan(args, paths, out)
    except scan_command.USAGE_ERRORS as error:
        raise UsageError(str(error)) from None


def cmd_merge(args: argparse.Namespace, out: TextIO) -> int:
    """Join shards' reports (`trailguard scan --shard I/N`) into one, with one exit code."""
    from trailguard.scan import merge

    try:
        return merge.merge(args, out)
    except scan_command.USAGE_ERRORS + (merge.MergeError,) as error:
        raise UsageError(str(error)) from None


def cmd_account(args: argparse.Namespace, out: TextIO) -> int:
    """Read a live account, read-only, and prove the controls there (docs/account.md)."""
    from trailguard.account import command as account_command

    try:
        return account_command.run(args, out)
    except account_command.USAGE_ERRORS as error:
        raise UsageError(str(error).strip('"')) from None


def run_checkov(args: List[str]) -> int:
    """`trailguard checkov [args]`: the real checkov with trailguard's checks added and offline-safe; its own exit
    code, output and every flag stay as users know them."""
    from trailguard.scan.tools import ToolMissing, checkov_command

    try:
        command = checkov_command(args)
    except ToolMissing as error:
        print(f"trailguard: {error}", file=sys.stderr)
        return EXIT_USAGE
    return subprocess.run(command).returncode


def run_cfn_lint(args: List[str]) -> int:
    """`trailguard cfn-lint [args]`: cfn-lint with trailguard's rules, in-process; without cfn-lint installed, what to
    install instead of a traceback."""
    from trailguard.scan.tools import ToolMissing, require_cfn_lint

    try:
        require_cfn_lint()
    except ToolMissing as error:
        print(f"trailguard: {error}", file=sys.stderr)
        return EXIT_USAGE
    from trailguard.integrations.cfn_lint.runner import run_cfn_lint as run_in_process

    return run_in_process(args)


def checkov_main() -> int:
    """Console script `trailguard-checkov` (the pre-commit hook's entry): `trailguard checkov` under its own name."""
    return run_checkov(sys.argv[1:])


def cfn_lint_main() -> int:
    """Console script `trailguard-cfn-lint` (the pre-commit hook's entry): `trailguard cfn-lint`, except that files
    among the arguments that are not CloudFormation templates are left out, because a hook is handed every YAML and
    JSON file of a commit. Give option values with "=" (`--config-file=x.yaml`) so they are never taken for files."""
    from trailguard.scan.discover import TEMPLATE_SUFFIXES, is_cloudformation_template

    arguments = sys.argv[1:]
    candidates = [a for a in arguments if a.lower().endswith(TEMPLATE_SUFFIXES) and Path(a).is_file()]
    templates = [a for a in candidates if is_cloudformation_template(Path(a))]
    if candidates and not templates:
        return EXIT_OK  # only non-template files were handed over: nothing to lint
    return run_cfn_lint([a for a in arguments if a not in candidates or a in templates])


def _seconds(text: str) -> float:
    """A positive number of seconds (`--timeout`)."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"not a positive number of seconds: {text!r}")
    return seconds


def build_parser(with_defaults: bool = True) -> argparse.ArgumentParser:
    """The command line; `with_defaults=False` leaves every scan option unset unless given (to tell what a
    configuration file may fill in)."""
    parser = argparse.ArgumentParser(
        prog="trailguard",
        description="Prove that unauthorized AWS API calls are monitored (CIS AWS Foundations 3.1 / 4.1 / 5.1).",
    )
    parser.add_argument("--version", action="version", version=f"trailguard {installed_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    pattern = commands.add_parser(
        "pattern", help="judge a CloudWatch Logs filter pattern offline (like `aws logs test-metric-filter`)",
        description="Judge a metric-filter pattern for a CIS monitoring control (named with --control, else the "
                    "one the pattern is about) and show CloudTrail events that prove what is wrong. Exit 0 when it "
                    "is right, 1 when not, 2 on usage errors.")
    pattern.add_argument("pattern", metavar="PATTERN", help="the filter pattern, or - to read it from standard input")
    pattern.add_argument("--control", metavar="SLUG", help="the control to judge for (`trailguard controls` lists "
                                                           "them); default: inferred from the pattern")
    pattern.add_argument("--cis-version", metavar="V", help="judge by this CIS version's text (default: the newest)")
    pattern.add_argument("--json", action="store_true", help="print one JSON object")
    pattern.add_argument("--event", metavar="FILE",
                         help="also test the pattern against the events in FILE (CloudTrail log file, JSON array, "
                              "JSON lines, or text lines)")
    pattern.set_defaults(handler=cmd_pattern)
    controls = commands.add_parser(
        "controls", help="list the CIS monitoring controls with their ids and CIS numbers",
        description="List the CIS monitoring controls trailguard judges: slug, CIS numbers, Security Hub control, "
                    "Checkov and cfn-lint chain check ids.")
    controls.add_argument("--json", action="store_true", help="print one JSON array")
    controls.set_defaults(handler=cmd_controls)
    checks = commands.add_parser(
        "checks", help="list every check: Checkov and cfn-lint ids, control, severity, title, documentation",
        description="List every check trailguard adds: its Checkov id, cfn-lint id, control, severity, title and "
                    "documentation page (for --check, --skip-check and skip comments).")
    checks.add_argument("--json", action="store_true", help="print one JSON array")
    checks.set_defaults(handler=cmd_checks)
    checks_dir = commands.add_parser(
        "checks-dir", help="print the directory to pass to `checkov --external-checks-dir`",
        description="Print the directory of trailguard's Checkov checks in this installation, for "
                    "`checkov --external-checks-dir \"$(trailguard checks-dir)\"`.")
    checks_dir.set_defaults(handler=cmd_checks_dir)
    scan = commands.add_parser(
        "scan", help="run Checkov and cfn-lint with trailguard's checks and report the chain per deployment unit",
        description=scan_command.DESCRIPTION)
    scan_command.add_arguments(scan, with_defaults)
    scan.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT if with_defaults else None, metavar="SECONDS",
                      help=f"stop a scanner that runs longer than this and exit 2 (default: {DEFAULT_TIMEOUT:g})")
    scan.set_defaults(handler=cmd_scan)
    merge = commands.add_parser(
        "merge", help="join the reports of `trailguard scan --shard I/N` jobs into one, with one exit code",
        description="Join the JSON reports (or the SARIF logs) of sharded scans into one report. JSON reports can be "
                    "rendered in every format; SARIF logs only as SARIF. The exit code is the one a single scan of "
                    "everything would have had.")
    scan_command.add_merge_arguments(merge)
    merge.set_defaults(handler=cmd_merge)
    account = commands.add_parser(
        "account", help="read a live AWS account, read-only, and prove the controls there (extra trailguard[aws])",
        description=account_arguments.DESCRIPTION)
    account_arguments.add_arguments(account)
    account.set_defaults(handler=cmd_account)
    commands.add_parser("checkov", help="run checkov with trailguard's checks added, offline (all arguments pass "
                                        "through)")
    commands.add_parser("cfn-lint", help="run cfn-lint with trailguard's rules added (all arguments pass through)")
    return parser


def main(argv: Optional[Sequence[str]] = None, out: TextIO = sys.stdout) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["cfn-lint"]:
        # Everything after `cfn-lint` belongs to cfn-lint, untouched (argparse would take -h, -i, ... for itself).
        return run_cfn_lint(arguments[1:])
    if arguments[:1] == ["checkov"]:
        return run_checkov(arguments[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    if not getattr(args, "handler", None):
        parser.print_help(out)
        return EXIT_USAGE
    if args.command == "scan":
        args.given = scan_command.given_options(build_parser(with_defaults=False).parse_args(arguments))
    try:
        code = args.handler(args, out)
        out.flush()  # inside the try: a closed pipe fails here, not in Python's flush at exit
        return code
    except UsageError as error:
        print(f"trailguard: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader stopped reading (`trailguard pattern ... | head`): what it did not read is not lost, so no
        # traceback; the rest goes nowhere (Python would otherwise fail again flushing stdout at exit), and the exit
        # code is a shell's for a command killed by SIGPIPE, never a pass.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
