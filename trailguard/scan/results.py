"""What the scanners reported, merged: one result per (deployment unit, check, resource), failing if any scanner
says it fails, so two scanners that disagree can never add up to a pass; a skip the user wrote, in either scanner's
form, is the one thing that outranks a failure (the user accepted that risk, with a reason)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from trailguard.findings import FAILED, PASSED

SKIPPED = "SKIPPED"
_RANK = {PASSED: 0, FAILED: 1, SKIPPED: 2}

# The kinds of deployment unit, as the report names them (the model's framework names are `model.TERRAFORM`, ...).
TERRAFORM_ROOT, PLAN_FILE, CFN_TEMPLATE = "Terraform root module", "Terraform plan file", "CloudFormation template"


@dataclass
class Result:
    """One check on one resource of one deployment unit, as the scanners reported it."""

    unit: str
    kind: str
    check_id: str
    resource: str
    file: str
    line: int
    result: str
    reasons: List[str] = field(default_factory=list)
    scanners: List[str] = field(default_factory=list)
    skip_reason: Optional[str] = None
    baseline: Optional[str] = None  # the baseline file that accepts this failure (a skip kept outside the source)

    @property
    def failed(self) -> bool:
        return self.result == FAILED

    def absorb(self, other: Result) -> None:
        """Merge another scanner's report on the same check and resource: a skip wins, else the worse result; reasons
        add up."""
        if _RANK[other.result] > _RANK[self.result]:
            self.result = other.result
            self.skip_reason = other.skip_reason or self.skip_reason
            self.file, self.line = other.file, other.line or self.line
        joined = "; ".join(self.reasons)
        self.reasons += [reason for reason in other.reasons if reason not in self.reasons and reason != joined]
        self.scanners += [scanner for scanner in other.scanners if scanner not in self.scanners]


class Results:
    """All results of a scan, merged by (unit, check, resource) in the order they were first reported."""

    def __init__(self) -> None:
        self._by_key: Dict[Tuple[str, str, str], Result] = {}

    def add(self, result: Result) -> None:
        key = (result.unit, result.check_id, result.resource)
        if key in self._by_key:
            self._by_key[key].absorb(result)
        else:
            self._by_key[key] = result

    def all(self) -> List[Result]:
        return list(self._by_key.values())


@dataclass
class ScannerError:
    """A scanner that crashed, could not run, or could not read a file: the scan proves nothing there. `file` names
    the one file it is about, when it is about one (a template trailguard would not hand to a scanner)."""

    scanner: str
    message: str
    stderr: str = ""
    file: str = ""
