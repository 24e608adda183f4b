"""Every check, declared once: its IDs in both scanners, control, title, severity, what it attaches to in each
framework, where a cfn-lint match points, and its documentation page.

Everything else (the Checkov graph checks, the cfn-lint rule classes, the scan report, SARIF) derives from this
table, so adding a check is its rule module, an entry here, its examples and its docs page. The IDs are a contract
(users write them in skip comments and CI configurations): change them never.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple

from trailguard.controls import CONTROLS
from trailguard.controls.control import Control

DOCS_URL = "https://github.com/trailguard/trailguard/blob/main/docs/checks/{id}.md"

_TRAIL_PROPERTIES = ("IsMultiRegionTrail", "IsLogging", "IncludeGlobalServiceEvents", "EventSelectors",
                     "AdvancedEventSelectors", "CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn")


@dataclass(frozen=True)
class Check:
    """One check. `cfn_lint_rule` names its cfn-lint rule class (made from this entry); `rule` the module of
    `trailguard.rules` that judges it (its `RULE`); `link` the row of the chain it is shown on in `trailguard scan`;
    `cfn_lint_property` is where every cfn-lint match points; when it is None, a match points at the first of
    `cfn_lint_named_properties` that its message names and the resource sets (else at the resource)."""

    id: str
    cfn_lint_id: str
    cfn_lint_rule: str
    controls: Tuple[str, ...]  # the slugs of the CIS monitoring controls it serves
    title: str
    severity: str
    attached_to: str
    terraform_types: Tuple[str, ...]
    cloudformation_types: Tuple[str, ...]
    rule: str
    link: str
    cfn_lint_property: Optional[str] = None
    cfn_lint_named_properties: Tuple[str, ...] = ()

    @property
    def control(self) -> str:
        """The control it proves, or "all" for a check every control's chain shares (the trail, filter, alarm and
        topic checks)."""
        return self.controls[0] if len(self.controls) == 1 else "all"

    @property
    def chain_control(self) -> Optional[str]:
        """The control whose whole chain this check proves (None: a link every chain shares)."""
        return self.controls[0] if self.rule == "chain" else None

    @property
    def guideline(self) -> str:
        return DOCS_URL.format(id=self.id)

    @property
    def resource_types(self) -> Tuple[str, ...]:
        """The resource types it attaches to, in both frameworks."""
        return self.terraform_types + self.cloudformation_types


def _chain_check(control: Control) -> Check:
    """The chain check of one control (TG_AWS_4, TG_AWS_6 ... TG_AWS_19): its ids are the control's own."""
    numbers = " / ".join(number for number in (control.cis_v12, control.cis_v13_to_v5, control.cis_v6) if number)
    rule_name = "".join(part.capitalize() for part in control.slug.split("-")) + "Monitored"
    return Check(control.checkov_id, control.cfn_lint_id, rule_name, (control.slug,),
                 f"A metric filter and alarm monitor {control.title} (CIS AWS Foundations {numbers})", "HIGH", "trail",
                 ("aws_cloudtrail",), ("AWS::CloudTrail::Trail",), rule="chain", link="chain",
                 cfn_lint_named_properties=_TRAIL_PROPERTIES)


_EVERY_CONTROL = tuple(control.slug for control in CONTROLS)
_SHARED = (
    Check("TG_AWS_1", "E9101", "TrailDeliversManagementEvents", _EVERY_CONTROL,
          "CloudTrail trail is multi-region, logs management reads and writes and global service events, and "
          "delivers to CloudWatch Logs", "MEDIUM", "trail",
          ("aws_cloudtrail",), ("AWS::CloudTrail::Trail",), rule="trail", link="trail",
          cfn_lint_named_properties=_TRAIL_PROPERTIES),
    Check("TG_AWS_2", "E9102", "MonitoringFilterPattern", _EVERY_CONTROL,
          "Monitoring metric filter pattern counts exactly its CIS control's events", "MEDIUM", "metric filter",
          ("aws_cloudwatch_log_metric_filter",), ("AWS::Logs::MetricFilter",), rule="pattern", link="filter",
          cfn_lint_property="FilterPattern"),
    Check("TG_AWS_3", "E9103", "MonitoringFilterAlarm", _EVERY_CONTROL,
          "An alarm on the monitoring metric filter's metric fires on a single event and notifies an SNS topic",
          "MEDIUM", "metric filter",
          ("aws_cloudwatch_log_metric_filter",), ("AWS::Logs::MetricFilter",), rule="alarm", link="alarm",
          cfn_lint_property="MetricTransformations"),
)
_TOPIC = Check("TG_AWS_5", "W9105", "AlarmTopicSubscribed", _EVERY_CONTROL,
               "SNS topic of a monitoring alarm has a subscription", "LOW", "SNS topic",
               ("aws_sns_topic",), ("AWS::SNS::Topic",), rule="topic", link="topic",
               cfn_lint_named_properties=("Subscription",))

_CHAINS = tuple(_chain_check(control) for control in CONTROLS)

CHECKS: Dict[str, Check] = {
    check.id: check
    for check in sorted(_SHARED + (_TOPIC,) + _CHAINS, key=lambda check: int(check.id.rsplit("_", 1)[1]))
}
