"""The snapshot of an example: what each scanner that judges it reports, as plain YAML a reviewer reads in a diff.

A snapshot has one section per scanner, each built from that scanner's real output over the whole examples tree:

- `checkov`: every result of a TG_AWS_* check, as (check, resource) -> result with Checkov's `details` lines (the
  reasons), the skip comment of a skipped result, and for Terraform the file of the root module that holds it;
- `cfn-lint` (CloudFormation only): every match, trailguard's rules and cfn-lint's own alike, with its rule, level,
  the template path it points at, and its message;
- `trailguard scan`: the deployment unit's verdict (result, whether the control is proven, the note) and each of its
  results as the JSON report gives them.

Entries are sorted, this checkout's location is removed from every string, and a section with nothing in it is left
out. Line numbers are left out too: moving a resource in its file is not a change of result.
"""

from __future__ import annotations

import difflib
from typing import Any, Callable, Dict, Iterable, List, Optional

import yaml

from tests.e2e.examples import example_of, relative, snapshot_path, without_checkout

CHECKOV, CFN_LINT, SCAN = "checkov", "cfn-lint", "trailguard scan"
SECTIONS = (CHECKOV, CFN_LINT, SCAN)
Snapshot = Dict[str, Any]
Sections = Dict[str, Any]  # {example: the section of that example}
HEADER = ("# What the scanners report on examples/{example} (format: tests/e2e/snapshots.py).\n"
          "# Written by `python -m tests.e2e.refresh`: review its diff, never edit it by hand.\n")


def _clean(value: Any) -> Any:
    """A scanner's value with this checkout's location removed from every string in it."""
    if isinstance(value, str):
        return without_checkout(value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    return value


def _example(path: str) -> str:
    """The example a scanner's path belongs to; a path of no example is kept under its own name, so that a result
    there shows up as a difference instead of vanishing."""
    return example_of(path) or f"(no example) {without_checkout(path)}"


def _grouped(entries: Iterable[tuple], order: Callable[[Dict[str, Any]], Any]) -> Sections:
    """{example: its entries, sorted} from (example, entry) pairs."""
    sections: Dict[str, List[Dict[str, Any]]] = {}
    for example, entry in entries:
        sections.setdefault(example, []).append(_clean(entry))
    return {example: sorted(found, key=order) for example, found in sections.items()}


def checkov_sections(records: Iterable[Dict[str, Any]]) -> Sections:
    """Checkov's JSON records, by example."""
    def entry(record: Dict[str, Any]) -> tuple:
        example = _example(record["file_abs_path"])
        found: Dict[str, Any] = {"check": record["check_id"], "resource": record["resource"]}
        if example.startswith("terraform/"):
            found["file"] = relative(record["file_abs_path"])[len(example) + 1:]
        found["result"] = record["check_result"]["result"]
        if record["check_result"].get("suppress_comment"):
            found["skip comment"] = record["check_result"]["suppress_comment"]
        found["details"] = list(record.get("details") or [])
        return example, found

    return _grouped(map(entry, records), lambda found: (found["check"], found["resource"], found.get("file", "")))


def cfn_lint_sections(matches: Iterable[Dict[str, Any]]) -> Sections:
    """cfn-lint's JSON matches, by template."""
    def entry(match: Dict[str, Any]) -> tuple:
        return _example(match["Filename"]), {
            "rule": match["Rule"]["Id"], "level": match["Level"],
            "path": "/".join(str(part) for part in match["Location"]["Path"]), "message": match["Message"]}

    return _grouped(map(entry, matches), lambda found: (found["rule"], found["path"], found["message"]))


def _scan_result(result: Dict[str, Any], link: str) -> Dict[str, Any]:
    found = {"link": link, "check": result["check_id"], "resource": result["resource"], "result": result["result"],
             "scanners": ", ".join(sorted(result["scanners"])), "reasons": result["reasons"]}
    if result.get("skip_reason"):
        found["skip reason"] = result["skip_reason"]
    return found


def scan_sections(report: Dict[str, Any]) -> Sections:
    """`trailguard scan --format json`'s units, by example: {example: {unit name: verdict and results}}."""
    sections: Sections = {}
    for unit in report["units"]:
        verdict: Dict[str, Any] = {"kind": unit["kind"], "result": unit["result"], "proven": unit["proven"]}
        if unit.get("note"):
            verdict["note"] = unit["note"]
        verdict["links"] = {link["link"]: link["result"] for link in unit["links"]}
        verdict["results"] = [_scan_result(result, link["link"]) for link in unit["links"]
                              for result in link["results"]]
        name = without_checkout(unit["name"])
        sections.setdefault(_example(name), {})[name] = _clean(verdict)
    return sections


def snapshots(sections: Dict[str, Sections], examples: Iterable[str]) -> Dict[str, Snapshot]:
    """{example: its snapshot} from {section name: {example: section}}."""
    return {example: {name: sections[name][example] for name in SECTIONS
                      if name in sections and example in sections[name]} for example in examples}


def _yaml(value: Any) -> str:
    """Block-style YAML with one entry per line, however long, so that a diff shows a changed reason whole."""
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, default_flow_style=False, width=2 ** 20)


def dump(example: str, snapshot: Snapshot) -> str:
    """A snapshot as the text of its file."""
    return HEADER.format(example=example) + _yaml(snapshot)


def load(example: str) -> Optional[Snapshot]:
    path = snapshot_path(example)
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else None


def section_diff(example: str, name: str, expected: Any, actual: Any) -> str:
    """A readable diff of one example's section: the snapshot's (expected) against the scanner's (actual)."""
    def lines(value: Any) -> List[str]:
        return _yaml(value).splitlines() if value is not None else []

    return "\n".join(difflib.unified_diff(lines(expected), lines(actual), f"{example} ({name}, snapshot)",
                                          f"{example} ({name}, actual)", lineterm=""))


def section_differences(name: str, actual: Sections, examples: Iterable[str]) -> List[str]:
    """One diff per example whose snapshot's section differs from the scanner's actual output."""
    differences = []
    for example in sorted(set(examples) | set(actual)):
        stored = load(example)
        expected = (stored or {}).get(name)
        if expected != actual.get(example):
            differences.append(section_diff(example, name, expected, actual.get(example)))
    return differences
