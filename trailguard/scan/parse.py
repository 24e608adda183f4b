"""Read the scanners' JSON output into merged results, each placed in its deployment unit.

Anything that means "this file was not really checked" (a parsing error, a crashed rule, output that is not what the
scanner documents) becomes a `ScannerError`, never a quiet absence of findings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

from trailguard.catalog import CHECKS
from trailguard.scan.discover import calls_module
from trailguard.scan.results import CFN_TEMPLATE, FAILED, PLAN_FILE, TERRAFORM_ROOT, Result, ScannerError

CHECK_OF_RULE = {check.cfn_lint_id: check.id for check in CHECKS.values()}
_KIND = {"terraform": TERRAFORM_ROOT, "terraform_json": TERRAFORM_ROOT, "terraform_plan": PLAN_FILE,
         "cloudformation": CFN_TEMPLATE}
# cfn-lint's own rules that mean a template was not (fully) checked: cannot parse it, transform failed, rule crashed.
_CFN_LINT_TROUBLE = ("E0000", "E0001", "E0002")


def display(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when it is under it."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(resolved)


class UnitFinder:
    """Names the deployment unit of a Checkov record: the template or plan file, or the Terraform root module (a
    child module's resources belong to the root that calls it, directly or through other local modules)."""

    def __init__(self, terraform_directories: Sequence[Path]) -> None:
        self.roots = sorted({directory.resolve() for directory in terraform_directories})

    def unit(self, check_type: str, file: Path, resource: str) -> str:
        if _KIND.get(check_type) != TERRAFORM_ROOT:
            return display(file)
        directory = file.resolve().parent
        if resource.startswith("module."):
            callers = [root for root in self.roots if root != directory and calls_module(root, directory)]
            directory = callers[0] if callers else directory
        return display(directory)


def _documents(stdout: str) -> List[Dict[str, Any]]:
    """Checkov's reports: one JSON value per scanned directory, printed one after another (a list when a directory
    had several frameworks, a bare summary when nothing was scanned)."""
    decoder = json.JSONDecoder()
    documents: List[Any] = []
    position = 0
    text = stdout.strip()
    while position < len(text):
        value, position = decoder.raw_decode(text, position)
        documents += value if isinstance(value, list) else [value]
        while position < len(text) and text[position].isspace():
            position += 1
    if not documents or not all(isinstance(item, dict) for item in documents):
        raise ValueError("not a list of reports")
    return [item for item in documents if "results" in item]


def checkov_results(stdout: str, units: UnitFinder) -> Tuple[List[Result], List[ScannerError]]:
    try:
        documents = _documents(stdout)
    except ValueError as error:
        return [], [ScannerError("checkov", f"Checkov's output is not the JSON report it documents ({error})")]
    results: List[Result] = []
    errors: List[ScannerError] = []
    for document in documents:
        check_type = str(document.get("check_type", ""))
        section = document["results"]
        errors.extend(ScannerError("checkov", f"Checkov could not parse {display(Path(file))} ({check_type}), so "
                                              "nothing in it was checked")
                      for file in section.get("parsing_errors", []))
        for kind in ("passed_checks", "failed_checks", "skipped_checks"):
            results.extend(_checkov_result(check_type, record, units) for record in section.get(kind, [])
                           if str(record.get("check_id", "")) in CHECKS)
    return results, errors


def _checkov_result(check_type: str, record: Dict[str, Any], units: UnitFinder) -> Result:
    file = Path(record.get("file_abs_path") or record.get("file_path", ""))
    resource = str(record.get("resource", ""))
    check_result = record.get("check_result") or {}
    if check_type == "cloudformation":
        resource = resource.rsplit(".", 1)[-1]  # "AWS::CloudTrail::Trail.Trail" -> the logical id cfn-lint uses
    line_range = record.get("file_line_range") or [0]
    return Result(unit=units.unit(check_type, file, resource), kind=_KIND.get(check_type, check_type),
                  check_id=record["check_id"], resource=resource, file=display(file), line=int(line_range[0] or 0),
                  result=str(check_result.get("result", FAILED)), reasons=list(record.get("details") or []),
                  scanners=["checkov"], skip_reason=check_result.get("suppress_comment"))


def cfn_lint_results(stdout: str) -> Tuple[List[Result], List[ScannerError]]:
    try:
        matches = json.loads(stdout or "[]")
        if not isinstance(matches, list):
            raise ValueError("not a list of matches")
    except ValueError as error:
        return [], [ScannerError("cfn-lint", f"cfn-lint's output is not the JSON it documents ({error})")]
    results: List[Result] = []
    errors: List[ScannerError] = []
    for match in matches:
        rule = match.get("Rule", {}).get("Id", "")
        file = Path(match.get("Filename", ""))
        if rule in _CFN_LINT_TROUBLE and (rule != "E0002" or any(own in match.get("Message", "")
                                                                   for own in CHECK_OF_RULE)):
            errors.append(ScannerError("cfn-lint", f"{display(file)}: {rule} {match.get('Message', '')}"))
        elif rule in CHECK_OF_RULE:
            results.append(_cfn_lint_result(match, file, CHECK_OF_RULE[rule]))
    return results, errors


def _cfn_lint_result(match: Dict[str, Any], file: Path, check_id: str) -> Result:
    location = match.get("Location", {})
    path = location.get("Path") or []
    logical_id = str(path[1]) if len(path) > 1 else ""
    message = str(match.get("Message", ""))
    prefix = f"{logical_id}: "
    reason = message[len(prefix):] if message.startswith(prefix) else message
    return Result(unit=display(file), kind=CFN_TEMPLATE, check_id=check_id, resource=logical_id,
                  file=display(file), line=int(location.get("Start", {}).get("LineNumber", 0) or 0), result=FAILED,
                  reasons=[reason], scanners=["cfn-lint"])
