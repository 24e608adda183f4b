"""CloudFormation templates for `trailguard scan`'s tests: one trail delivering to a log group, and for each control
given a metric filter with its pattern and an alarm on it that notifies a subscribed SNS topic. The recorded inputs
(`RECORDED`: tests/fixtures/recorded/inputs/all_controls.yaml and monitoring_only.yaml, the same without the trail) are
`template()` with every control's canonical pattern, written by `python -m tests.scan_inputs` (a test keeps them
equal); the real scans build theirs in tmp_path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping, Optional

from trailguard.controls import CONTROLS

INPUTS = Path(__file__).resolve().parent / "fixtures" / "recorded" / "inputs"
# The recorded inputs: every control's canonical pattern, with the trail and without it (a monitoring-only unit).
RECORDED = {INPUTS / "all_controls.yaml": True, INPUTS / "monitoring_only.yaml": False}

_CHAIN = """AWSTemplateFormatVersion: "2010-09-09"
Description: "A trail delivering to CloudWatch Logs and, per control, a metric filter and an alarm to SNS."
Resources:
  TrailLogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: cloudtrail/management-events
      RetentionInDays: 365
  TrailLogsRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: cloudtrail.amazonaws.com
            Action: sts:AssumeRole
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: trail-bucket
      IsLogging: true
      IsMultiRegionTrail: true
      IncludeGlobalServiceEvents: true
      CloudWatchLogsLogGroupArn: !GetAtt TrailLogGroup.Arn
      CloudWatchLogsRoleArn: !GetAtt TrailLogsRole.Arn
  AlarmTopic:
    Type: AWS::SNS::Topic
  AlarmTopicEmail:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref AlarmTopic
      Protocol: email
      Endpoint: security-team@example.com
"""

_MONITORED = """  {name}Filter:
    Type: AWS::Logs::MetricFilter
    Properties:
      LogGroupName: !Ref TrailLogGroup
      FilterPattern: {pattern}
      MetricTransformations:
        - MetricName: {name}
          MetricNamespace: CISBenchmark
          MetricValue: "1"
  {name}Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: {name}
      Namespace: CISBenchmark
      Statistic: Sum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      AlarmActions:
        - !Ref AlarmTopic
"""


def template(patterns: Optional[Mapping[str, str]] = None, trail: bool = True) -> str:
    """The template monitoring each control of `patterns` (slug -> pattern; every control's canonical pattern by
    default) on the trail's log group; without the trail, the log group is the template's own."""
    chosen = patterns if patterns is not None else {control.slug: control.canonical for control in CONTROLS}
    before_role, after_role = _CHAIN.split("  TrailLogsRole:")
    chain = _CHAIN if trail else before_role + "  AlarmTopic:" + after_role.split("  AlarmTopic:")[1]
    return chain + "".join(_MONITORED.format(name="".join(part.capitalize() for part in slug.split("-")),
                                              pattern=json.dumps(pattern))
                            for slug, pattern in chosen.items())


if __name__ == "__main__":
    for path, with_trail in RECORDED.items():
        path.write_text(template(trail=with_trail))
        print(f"wrote {path}")
