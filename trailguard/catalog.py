"""Every check, declared once: its IDs in both scanners, control, title, severity, what it attaches to in each
framework, where a cfn-lint match points, and its documentation page.

Everything else (the Checkov graph checks, the cfn-lint rule classes, the scan report, SARIF) derives from this
table, so adding a check is its rule module, an entry here, its examples and its docs page. The IDs are a contract
(users write them in skip comments and CI configurations): change them never.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple

DOCS_URL = "https://github.com/trailguard/trailguard/blob/main/docs/checks/{id}.md"

UNAUTHORIZED_API_CALLS = "unauthorized-api-calls"

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
    control: str
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
    def guideline(self) -> str:
        return DOCS_URL.format(id=self.id)

    @property
    def resource_types(self) -> Tuple[str, ...]:
        """The resource types it attaches to, in both frameworks."""
        return self.terraform_types + self.cloudformation_types


CHECKS: Dict[str, Check] = {
    check.id: check
    for check in (
        Check("TG_AWS_1", "E9101", "TrailDeliversManagementEvents", UNAUTHORIZED_API_CALLS,
              "CloudTrail trail is multi-region, logs management reads and writes and global service events, and "
              "delivers to CloudWatch Logs", "MEDIUM", "trail",
              ("aws_cloudtrail",), ("AWS::CloudTrail::Trail",), rule="trail", link="trail",
              cfn_lint_named_properties=_TRAIL_PROPERTIES),
        Check("TG_AWS_2", "E9102", "UnauthorizedCallsPattern", UNAUTHORIZED_API_CALLS,
              "Unauthorized-API-calls metric filter pattern matches every unauthorized call and nothing else",
              "MEDIUM", "metric filter",
              ("aws_cloudwatch_log_metric_filter",), ("AWS::Logs::MetricFilter",), rule="pattern", link="filter",
              cfn_lint_property="FilterPattern"),
        Check("TG_AWS_3", "E9103", "UnauthorizedCallsAlarm", UNAUTHORIZED_API_CALLS,
              "An alarm on the unauthorized-API-calls metric fires on a single call and notifies an SNS topic",
              "MEDIUM", "metric filter",
              ("aws_cloudwatch_log_metric_filter",), ("AWS::Logs::MetricFilter",), rule="alarm", link="alarm",
              cfn_lint_property="MetricTransformations"),
        Check("TG_AWS_4", "E9104", "UnauthorizedCallsMonitored", UNAUTHORIZED_API_CALLS,
              "Unauthorized API calls are monitored (CIS AWS Foundations 3.1 / 4.1 / 5.1)", "HIGH", "trail",
              ("aws_cloudtrail",), ("AWS::CloudTrail::Trail",), rule="chain", link="chain",
              cfn_lint_named_properties=_TRAIL_PROPERTIES),
        Check("TG_AWS_5", "W9105", "AlarmTopicSubscribed", UNAUTHORIZED_API_CALLS,
              "SNS topic of the unauthorized-API-calls alarm has a subscription", "LOW", "SNS topic",
              ("aws_sns_topic",), ("AWS::SNS::Topic",), rule="topic", link="topic",
              cfn_lint_named_properties=("Subscription",)),
    )
}
