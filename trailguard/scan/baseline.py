"""`--create-baseline FILE` / `--baseline FILE`: adopt trailguard in a repository with existing findings.

A baseline records the scan's current failures, each by check id, file, resource and a hash of its reasons. A later
scan with `--baseline` shows a failure the baseline records as skipped ("accepted in the baseline FILE"): still
listed, never hidden, and not failing the scan. A failure that is new, or whose reasons changed (the hash differs: the
pattern was edited and is wrong in a new way), fails as usual. docs/adoption.md says how to use it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Dict, List, Sequence, Set, Tuple

from trailguard.scan.chain import distinct_reasons
from trailguard.scan.results import SKIPPED, Result

VERSION = 1
Key = Tuple[str, str, str, str]


class BaselineError(Exception):
    """A baseline file that cannot be read."""


def reason_hash(result: Result) -> str:
    return hashlib.sha256("\n".join(distinct_reasons(result)).encode("utf-8")).hexdigest()[:16]


def _key(result: Result) -> Key:
    return result.check_id, result.file, result.resource, reason_hash(result)


def create(results: Sequence[Result], path: Path) -> int:
    """Write the failures to `path`; returns how many."""
    findings = [{"check_id": check_id, "file": file, "resource": resource, "reason_hash": digest}
                for check_id, file, resource, digest in sorted({_key(result) for result in results if result.failed})]
    path.write_text(json.dumps({"version": VERSION, "findings": findings}, indent=2) + "\n", encoding="utf-8")
    return len(findings)


def _load(path: Path) -> Set[Key]:
    try:
        document: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return {(entry["check_id"], entry["file"], entry["resource"], entry["reason_hash"])
                for entry in document["findings"]}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BaselineError(f"cannot read the baseline {path}: {error!r}") from None


def apply(results: List[Result], path: Path) -> List[Result]:
    """The results with each failure the baseline records turned into a skip that names the baseline."""
    accepted = _load(path)
    for result in results:
        if result.failed and _key(result) in accepted:
            result.result, result.skip_reason, result.baseline = SKIPPED, f"accepted in the baseline {path}", str(path)
    return results
