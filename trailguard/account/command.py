"""`trailguard account`: read the caller's account (or the organization's) and report the chain per account and
region, as `trailguard scan` reports files.

Exit codes as `trailguard scan`'s: 0 when a trail proves the control and nothing fails; 1 on findings, a failed read
among them (it is "not proven", never a pass); 2 on usage errors, boto3 missing included; 3 when nothing fails but no
trail proves the control.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any, List, Sequence, TextIO

from trailguard.account.aws import require_boto3
from trailguard.account.collect import survey
from trailguard.account.errors import AwsMissing
from trailguard.account.report import locate_by_arn, results
from trailguard.controls.control import UnknownVersion, check_version
from trailguard.rules.analysis import configured_cis_version
from trailguard.scan.chain import UnitChain, units
from trailguard.scan.command import exit_code
from trailguard.scan.document import to_json
from trailguard.scan.outputs import OutputError, destinations
from trailguard.scan.report import render
from trailguard.scan.results import Result
from trailguard.scan.sarif import to_sarif
from trailguard.scan.selection import controls_in
from trailguard.scan.settings import FORMATS

DESCRIPTION = ("Read the caller's AWS account, read-only (or with --organization every account of the organization "
               "that the role --role-name opens), and prove each CIS monitoring control per account and region of a "
               "trail's log group: trail -> log group -> metric filter -> alarm -> SNS topic, with the same rules as "
               "`trailguard scan`. Every failed read is a FAILED \"not proven\" result. Exit 0 when the control is "
               "proven and nothing fails, 1 on findings, 2 on usage errors, 3 when nothing fails but nothing proves "
               "the control. docs/account.md has the IAM policy it needs.")


class AccountUsageError(ValueError):
    """A mistake in how `trailguard account` was called."""


USAGE_ERRORS = (AccountUsageError, AwsMissing, OutputError, UnknownVersion)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--region", action="append", metavar="REGION", default=None,
                        help="a region to read (repeatable; default: the profile's region). Multi-region and "
                             "organization trails are seen from any region")
    parser.add_argument("--profile", metavar="NAME", default=None, help="the AWS profile to read with")
    parser.add_argument("--organization", action="store_true",
                        help="read every active account of the organization (organizations:ListAccounts), entering "
                             "each by the role --role-name")
    parser.add_argument("--role-name", metavar="NAME", default=None,
                        help="the role to assume in other accounts: each account with --organization, and the owner "
                             "account of an organization trail seen from a member account")
    parser.add_argument("--cis-version", metavar="V", default=None,
                        help="judge by this CIS version's text (default: the newest)")
    parser.add_argument("--format", "-o", action="append", choices=FORMATS, type=str.lower, default=None,
                        help="text (default), json or sarif; repeat it for several reports from one run")
    parser.add_argument("--output-file", action="append", metavar="FORMAT=PATH", default=None,
                        help="write that format's report to PATH instead of standard output (repeatable)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show every link of passing units too")


def _session(args: argparse.Namespace) -> Any:
    boto3 = require_boto3()
    from botocore.exceptions import BotoCoreError

    try:
        return boto3.Session(profile_name=args.profile, region_name=(args.region or [None])[0])
    except BotoCoreError as error:  # a profile that does not exist
        raise AccountUsageError(str(error)) from None


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Read, judge and report; returns the exit code."""
    if args.organization and not args.role_name:
        raise AccountUsageError("--organization needs --role-name: the role to assume in each account")
    cis_version = args.cis_version = check_version(args.cis_version or configured_cis_version())
    formats = args.format or ["text"]
    targets = destinations(formats, args.output_file or [], None)  # a mistake there is told before reading
    session = _session(args)
    regions = args.region or ([session.region_name] if session.region_name else [])
    if not regions:
        raise AccountUsageError("no region: give --region (or configure a region for the profile)")
    read = survey(session, regions, cis_version, args.role_name, args.organization)
    found = results(read, regions, cis_version)
    chains = units(found, controls=controls_in(cis_version))
    for format_, file in targets:
        if file is None:
            _render(format_, chains, found, regions, args, out)
            continue
        file.parent.mkdir(parents=True, exist_ok=True)
        with file.open("w", encoding="utf-8") as handle:
            _render(format_, chains, found, regions, args, handle)
    return exit_code(chains, False, False)


def _render(format_: str, chains: Sequence[UnitChain], found: List[Result], regions: Sequence[str],
            args: argparse.Namespace, out: TextIO) -> None:
    if format_ == "text":
        colour = not os.environ.get("NO_COLOR") and hasattr(out, "isatty") and out.isatty()
        render(chains, [], out, colour, args.verbose, args.cis_version, controls_in(args.cis_version))
    elif format_ == "json":
        run_settings = {"regions": list(regions), "organization": args.organization, "role_name": args.role_name,
                        "cis_version": args.cis_version, "controls": list(controls_in(args.cis_version))}
        print(json.dumps(to_json(chains, [], run_settings), indent=2), file=out)
    else:
        print(json.dumps(locate_by_arn(to_sarif(found, [], chains, {"cis_version": args.cis_version})), indent=2),
              file=out)
