"""The account's findings as the results `trailguard scan` renders, so both commands report alike (text, JSON, SARIF).

One result per (unit, check, resource), with the resource's ARN; each failed read is a FAILED result of its own on the
check it keeps from being proven (the trail's reads and the way into an account: TG_AWS_1; the filters: TG_AWS_2; the
alarms: TG_AWS_3; the subscriptions: TG_AWS_5), and an account that sees no trail at all fails TG_AWS_1.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence
from urllib.parse import quote

from trailguard.account.collect import Unit
from trailguard.findings import FAILED, finding_lines
from trailguard.rules.analysis import analyse
from trailguard.scan.results import Result, Results

KIND = "AWS account and region"
SCANNER = "aws"
_CHECK_OF_CALL = {"logs:DescribeMetricFilters": "TG_AWS_2", "cloudwatch:DescribeAlarms": "TG_AWS_3",
                  "sns:ListSubscriptionsByTopic": "TG_AWS_5"}
NO_TRAIL = ("no CloudTrail trail records this account's events: DescribeTrails, shadow and organization trails "
            "included, found none in {regions}; create a multi-region trail (or an organization trail) that delivers "
            "to CloudWatch Logs")


_LISTED = 5  # accounts named in a unit's kind; the rest are counted (an organization may have thousands)


def _kind(unit: Unit) -> str:
    """"AWS account and region", and the other accounts its trails were seen from (an organization trail's)."""
    others = sorted(unit.seen_from - {unit.account})
    if not others:
        return KIND
    more = f" and {len(others) - _LISTED} more" if len(others) > _LISTED else ""
    return f"{KIND}, its trail seen from account(s) {', '.join(others[:_LISTED])}{more}"


def _result(unit: Unit, check_id: str, resource: str, result: str, reasons: List[str]) -> Result:
    return Result(unit.name, _kind(unit), check_id, resource, "", 0, result, reasons, [SCANNER])


def results(units: Sequence[Unit], regions: Sequence[str], cis_version: Optional[str] = None) -> List[Result]:
    """Every check on every unit's model, every failed read, and every account without a trail."""
    merged = Results()
    for unit in units:
        for finding in analyse(unit.model, cis_version):
            merged.add(_result(unit, finding.check_id, finding.resource.id, finding.result,
                               finding_lines(unit.model, finding)))
        for failure in unit.failures:
            merged.add(_result(unit, _CHECK_OF_CALL.get(failure.call, "TG_AWS_1"), failure.arn, FAILED,
                               [failure.text()]))
        if unit.without_trail:
            merged.add(_result(unit, "TG_AWS_1", f"account {unit.account}", FAILED,
                               [NO_TRAIL.format(regions=", ".join(regions))]))
    return merged.all()


def locate_by_arn(sarif: Dict[str, Any]) -> Dict[str, Any]:
    """A live resource has no file: each SARIF result's artifact is the resource's ARN (a URI of its own)."""
    for run in sarif["runs"]:
        for result in run["results"]:
            for location in result["locations"]:
                resource = location["logicalLocations"][0]["name"]
                location["physicalLocation"] = {"artifactLocation": {"uri": quote(resource, safe=":/*")}}
    return sarif
