"""What a scan's files declare, counted from their text: trails, metric filters, alarms and SNS topics per unit.

The scanners report only the resources trailguard's checks attach to, so a unit whose filters belong to no CIS
monitoring control (an application's own log metrics), or that a scanner left without a result, would leave no trace,
and a report saying "nothing found" there would be wrong. The counts let the report say what was found instead.
They are declarations (a `for_each` block counts once), and they never decide a verdict: only the checks do.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection, Dict, Sequence

from trailguard.scan.discover import cloudformation_templates, walk_files
from trailguard.scan.parse import UnitFinder, display
from trailguard.scan.results import CFN_TEMPLATE, TERRAFORM_ROOT

# (noun, Terraform type, CloudFormation type), in chain order.
KINDS = (("trail", "aws_cloudtrail", "AWS::CloudTrail::Trail"),
         ("metric filter", "aws_cloudwatch_log_metric_filter", "AWS::Logs::MetricFilter"),
         ("alarm", "aws_cloudwatch_metric_alarm", "AWS::CloudWatch::Alarm"),
         ("SNS topic", "aws_sns_topic", "AWS::SNS::Topic"))
_HCL = {noun: re.compile(rf'^\s*resource\s+"{tf}"\s', re.MULTILINE) for noun, tf, _ in KINDS}
_TF_JSON = {noun: re.compile(rf'"{tf}"\s*:\s*[{{\[]') for noun, tf, _ in KINDS}
_TEMPLATE = {noun: re.compile(rf"""["']?Type["']?\s*:\s*["']?{re.escape(cfn)}["']?\s*[,}}\n]""")
             for noun, _, cfn in KINDS}


@dataclass
class Declared:
    """One deployment unit's declarations, by noun."""

    name: str
    kind: str
    counts: Dict[str, int] = field(default_factory=dict)

    def add(self, text: str, patterns: Dict[str, re.Pattern[str]]) -> None:
        for noun, pattern in patterns.items():
            self.counts[noun] = self.counts.get(noun, 0) + len(pattern.findall(text))

    def count(self, noun: str) -> int:
        return self.counts.get(noun, 0)

    @property
    def anything(self) -> bool:
        return any(self.counts.values())

    @property
    def in_scope(self) -> bool:
        """Whether the controls concern this unit: it declares a trail or a metric filter. Alarms and topics alone
        (an application's own notifications) are not about it, so they neither prove nor leave anything unproven."""
        return bool(self.count("trail") or self.count("metric filter"))

    def describe(self) -> str:
        """"3 metric filters, 3 alarms and 1 SNS topic" (only the nouns it has)."""
        parts = [f"{n} {noun}{'s' if n != 1 else ''}" for noun, n in ((k, self.count(k)) for k, _, _ in KINDS) if n]
        return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] if parts else "nothing"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def declared(paths: Sequence[Path], unscanned: Collection[str] = (),
             left_out: Collection[str] = ()) -> Dict[str, Declared]:
    """The declarations of every unit under the paths, keyed by the unit name the report uses; the `unscanned` units
    (files the scan refused, already reported as errors) are left out: no scanner saw them, so nothing is said. So are
    the `left_out` files (absolute paths: skip paths, other shards' units)."""
    units: Dict[str, Declared] = {}
    files = [file for file in walk_files(paths) if os.path.abspath(file) not in left_out]
    terraform = [file for file in files if file.name.endswith((".tf", ".tf.json"))]
    finder = UnitFinder(sorted({file.parent for file in terraform}))
    for file in terraform:
        # A child module's resources belong to the root module calling it (a "module." address asks for that).
        name = finder.unit("terraform", file, "module.")
        unit = units.setdefault(name, Declared(name, TERRAFORM_ROOT))
        unit.add(_read(file), _TF_JSON if file.name.endswith(".json") else _HCL)
    for template in cloudformation_templates(files):
        name = display(template)
        units.setdefault(name, Declared(name, CFN_TEMPLATE)).add(_read(template), _TEMPLATE)
    return {name: unit for name, unit in units.items() if name not in unscanned}
