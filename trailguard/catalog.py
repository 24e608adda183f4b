"""The five checks: their IDs in both scanners, titles, severities and documentation pages.

The IDs are a contract (users write them in skip comments and CI configurations): change them never.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict

DOCS_URL = "https://github.com/trailguard/trailguard/blob/main/docs/checks/{id}.md"


@dataclass(frozen=True)
class Check:
    id: str
    cfn_lint_id: str
    title: str
    severity: str
    attached_to: str

    @property
    def guideline(self) -> str:
        return DOCS_URL.format(id=self.id)


CHECKS: Dict[str, Check] = {
    check.id: check
    for check in (
        Check("TG_AWS_1", "E9101", "CloudTrail trail is multi-region, logs management reads and writes and global "
              "service events, and delivers to CloudWatch Logs", "MEDIUM", "trail"),
        Check("TG_AWS_2", "E9102", "Unauthorized-API-calls metric filter pattern matches every unauthorized call and "
              "nothing else", "MEDIUM", "metric filter"),
        Check("TG_AWS_3", "E9103", "An alarm on the unauthorized-API-calls metric fires on a single call and notifies "
              "an SNS topic", "MEDIUM", "metric filter"),
        Check("TG_AWS_4", "E9104", "Unauthorized API calls are monitored (CIS AWS Foundations 3.1 / 4.1 / 5.1)",
              "HIGH", "trail"),
        Check("TG_AWS_5", "W9105", "SNS topic of the unauthorized-API-calls alarm has a subscription", "LOW",
              "SNS topic"),
    )
}
