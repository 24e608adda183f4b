"""Put each finding's reason into Checkov's report: CLI "Details:", JSON "details", SARIF attachments.

Checkov never sets `details` on graph-check records, so the reasons computed in `run()` are kept here, keyed by
what the record will carry (absolute file path and resource address), and a wrapper around `Report.add_record`
copies them in. The wrapper runs in the process that runs the check, so it survives Checkov's forked runners.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Dict, List, Tuple

Key = Tuple[str, str, str]  # (check id, absolute file path, resource address)

_REASONS: Dict[Key, List[str]] = {}
_LOCK = threading.Lock()


def vertex_key(check_id: str, vertex: Dict[str, Any]) -> Key:
    resource = vertex.get("__address__") or vertex.get("id_") or vertex.get("block_name_") or ""
    return check_id, os.path.abspath(str(vertex.get("file_path_", ""))), str(resource)


def remember(check_id: str, vertex: Dict[str, Any], lines: List[str]) -> None:
    with _LOCK:
        _REASONS[vertex_key(check_id, vertex)] = list(lines)


def install_report_hook() -> None:
    """Wrap `Report.add_record` once per process (the check module may be executed several times)."""
    from checkov.common.output.report import Report

    if getattr(Report.add_record, "_trailguard", False):
        return
    original = Report.add_record

    def add_record(self: Any, record: Any) -> None:
        if str(getattr(record, "check_id", "")).startswith("TG_AWS_"):
            key = (record.check_id, os.path.abspath(str(record.file_abs_path or "")), str(record.resource))
            with _LOCK:
                lines = _REASONS.get(key, [])
            details = record.details if isinstance(record.details, list) else []
            record.details = details + [line for line in lines if line not in details]
        original(self, record)

    add_record._trailguard = True  # type: ignore[attr-defined]
    Report.add_record = add_record
