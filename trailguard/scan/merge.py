"""`trailguard merge FILE...`: the reports of `trailguard scan --shard I/N` jobs joined into one report with one exit
code, as if one process had scanned everything.

JSON reports are complete (units, their results and declarations, errors, and the settings that judged them), so
their merge is rebuilt from the results and can be rendered in any format. SARIF logs are joined run into run (their
results, notifications and success, each control's verdict across them in the run's properties), which is what code
scanning needs; their exit code counts only failures and errors, since a SARIF log does not say whether the scans
allowed unproven controls.
"""

from __future__ import annotations

import argparse
import contextlib
import json
from dataclasses import fields
from pathlib import Path
from typing import Any, Dict, List, Sequence, TextIO, Tuple

from trailguard.controls.control import NEWEST
from trailguard.scan.chain import DEFAULT_FAIL_ON, NOT_PROVEN, PROVEN, UnitChain, units
from trailguard.scan.command import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, exit_code, final_code, write_reports
from trailguard.scan.inventory import Declared
from trailguard.scan.outputs import destinations
from trailguard.scan.results import FAILED, SKIPPED, Result, ScannerError
from trailguard.scan.selection import EVERY_CONTROL

_RESULT_FIELDS = {field.name for field in fields(Result)}
_CONTROL_RANK = (FAILED, PROVEN, SKIPPED, NOT_PROVEN)  # a control's verdict over several shards: the first found


class MergeError(Exception):
    """A file that is not a trailguard JSON report or SARIF log, or reports that cannot be joined."""


def read_reports(paths: Sequence[str]) -> List[Dict[str, Any]]:
    documents = []
    for path in paths:
        try:
            documents.append(json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, ValueError) as error:
            raise MergeError(f"cannot read {path}: {error}") from None
    kinds = {"sarif" if "runs" in document else "json" if "units" in document else "?" for document in documents}
    if kinds - {"sarif", "json"} or len(kinds) != 1:
        raise MergeError("merge takes only trailguard JSON reports, or only SARIF logs (`trailguard scan --format`)")
    return documents


def is_sarif(documents: Sequence[Dict[str, Any]]) -> bool:
    return "runs" in documents[0]


Joined = Tuple[List[UnitChain], List[Result], List[ScannerError], Dict[str, Any]]


def from_json(documents: Sequence[Dict[str, Any]]) -> Joined:
    """(units, results, errors, run settings) of the reports joined; they must have been judged alike."""
    runs = [{key: value for key, value in document.get("run", {}).items() if key != "shard"} for document in documents]
    if any(run != runs[0] for run in runs):
        raise MergeError("the reports were made with different settings (fail-on, allow-unproven, soft-fail, "
                         "cis-version, the checks chosen)")
    settings = runs[0]
    results: List[Result] = []
    declared: Dict[str, Declared] = {}
    for document in documents:
        for unit in document["units"]:
            if unit.get("declared") is not None:
                declared[unit["name"]] = Declared(unit["name"], unit["kind"], dict(unit["declared"]))
            results += [Result(**{key: value for key, value in result.items() if key in _RESULT_FIELDS})
                        for link in unit["links"] for result in link["results"]]
    errors = [ScannerError(**error) for document in documents for error in document["errors"]]
    found = units(results, declared, settings.get("fail_on", DEFAULT_FAIL_ON),
                  settings.get("controls", EVERY_CONTROL))
    return found, results, errors, settings


def join_sarif(documents: Sequence[Dict[str, Any]]) -> Tuple[Dict[str, Any], int]:
    """One SARIF log with one run holding every shard's results, and the exit code they imply."""
    merged = json.loads(json.dumps(documents[0]))
    run = merged["runs"][0]
    runs = [run for document in documents for run in document["runs"]]
    run["results"] = [result for each in runs for result in each.get("results", [])]
    invocations = [invocation for each in runs for invocation in each.get("invocations", [])]
    run["properties"] = _joined_properties([each.get("properties", {}) for each in runs])
    run["invocations"] = [{
        "executionSuccessful": all(invocation.get("executionSuccessful", False) for invocation in invocations),
        "toolExecutionNotifications": _unique([note for invocation in invocations
                                               for note in invocation.get("toolExecutionNotifications", [])])}]
    if not run["invocations"][0]["executionSuccessful"]:
        return merged, EXIT_ERROR
    failing = any(result.get("level") == "error" and not result.get("suppressions") for result in run["results"])
    return merged, EXIT_FINDINGS if failing else EXIT_OK



def _joined_properties(properties: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The runs' properties as one: the CIS version they share, and each control's verdict over all of them (FAILED
    anywhere, else PROVEN anywhere, else SKIPPED anywhere, else NOT PROVEN)."""
    versions = {each.get("cis-version") for each in properties}
    if len(versions) > 1:
        raise MergeError(f"the logs were judged by different CIS versions ({', '.join(sorted(map(str, versions)))})")
    controls: Dict[str, str] = {}
    for each in properties:
        for control, status in each.get("controls", {}).items():
            controls[control] = min(controls.get(control, status), status, key=_CONTROL_RANK.index)
    return {**(properties[0] if properties else {}), "controls": controls}


def _unique(notes: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Each shard's notification once (every shard without a trail warns alike)."""
    texts = [json.dumps(note, sort_keys=True) for note in notes]
    return [note for index, note in enumerate(notes) if texts.index(texts[index]) == index]


def merge(args: argparse.Namespace, out: TextIO) -> int:
    """`trailguard merge`: write the joined report in each requested format; the exit code of one whole scan."""
    documents = read_reports(args.files)
    if is_sarif(documents) and args.format not in (None, ["sarif"]):
        raise MergeError("SARIF logs merge into SARIF only; merge the JSON reports for other formats")
    defaults = (("format", ["sarif" if is_sarif(documents) else "text"]), ("output_file", []), ("color", "auto"),
                ("verbose", False))
    for name, default in defaults:
        if getattr(args, name) is None:
            setattr(args, name, default)
    if is_sarif(documents):
        merged, code = join_sarif(documents)
        for _, file in destinations(args.format, args.output_file, args.output_file_path):
            with (file.open("w", encoding="utf-8") if file else contextlib.nullcontext(out)) as handle:
                print(json.dumps(merged, indent=2), file=handle)
        return code
    found, results, errors, settings = from_json(documents)
    args.fail_on = settings.get("fail_on", DEFAULT_FAIL_ON)
    args.allow_unproven, args.soft_fail = settings.get("allow_unproven", False), settings.get("soft_fail", False)
    args.shard = None
    args.cis_version = settings.get("cis_version") or NEWEST
    args.controls = tuple(settings.get("controls", EVERY_CONTROL))
    write_reports(args, found, results, errors, out)
    return final_code(exit_code(found, bool(errors), args.allow_unproven), args.soft_fail)
