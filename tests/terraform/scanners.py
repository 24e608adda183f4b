"""Run the real Checkov as users do on a few roots or files, and index its results by root. (The whole examples tree
is scanned once per session, in tests/e2e/.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[2]
CHECKS = ROOT / "checks"
Result = Tuple[str, List[str]]  # (PASSED | FAILED | SKIPPED, details)


def checkov_command() -> str:
    found = shutil.which("checkov", path=str(Path(sys.executable).parent)) or shutil.which("checkov")
    assert found, "checkov is not installed next to this Python"
    return found


def run_checkov(*args: str, env: Dict[str, str] = None, timeout: int = 900) -> subprocess.CompletedProcess:
    """`checkov --skip-download --external-checks-dir checks --check TG_AWS_* ...`, offline, JSON output."""
    command = [checkov_command(), "--skip-download", "-o", "json", "--external-checks-dir", str(CHECKS),
               "--check", "TG_AWS_*", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, cwd=str(ROOT))


def results_by_case(stdout: str, base: Path) -> Dict[str, Dict[Tuple[str, str], Result]]:
    """{case: {(check id, resource): (result, details)}}, where a case is `<compliant|noncompliant>/<name>`."""
    documents = json.loads(stdout) if stdout.strip() else []
    documents = documents if isinstance(documents, list) else [documents]
    cases: Dict[str, Dict[Tuple[str, str], Result]] = {}
    for document in documents:
        results = document.get("results", {})
        for kind in ("passed_checks", "failed_checks", "skipped_checks"):
            for record in results.get(kind, []):
                path = Path(record["file_abs_path"]).resolve().relative_to(base.resolve())
                case = "/".join(path.parts[:2])
                key = (record["check_id"], record["resource"])
                assert key not in cases.get(case, {}), f"two results for {key} in {case}"
                cases.setdefault(case, {})[key] = (record["check_result"]["result"], record.get("details") or [])
    return cases
