"""`trailguard checks`: every check of the catalog with both scanners' ids, its control, severity, title and docs
page, so a CI configuration or a skip comment can be written without reading the source."""

from __future__ import annotations

from typing import Dict, List

from trailguard.catalog import CHECKS

COLUMNS = ("checkov_id", "cfn_lint_id", "control", "severity", "title", "docs_url")


def check_rows() -> List[Dict[str, str]]:
    return [{"checkov_id": check.id, "cfn_lint_id": check.cfn_lint_id, "control": check.control,
             "severity": check.severity, "title": check.title, "docs_url": check.guideline}
            for check in CHECKS.values()]


def check_lines() -> List[str]:
    """One line per check: the ids, control and severity in columns, then the title and the docs page."""
    lines = []
    for row in check_rows():
        lines.append(f"{row['checkov_id']:<10} {row['cfn_lint_id']:<6} {row['severity']:<6} {row['control']}")
        lines.append(f"{'':11}{row['title']}")
        lines.append(f"{'':11}{row['docs_url']}")
    return lines
