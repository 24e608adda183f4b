"""What do the trailguard rules add to cfn-lint? Run: `.venv/bin/python benchmarks/bench_cfn_lint.py [repetitions]`.

Generates templates of 50, 200 and 800 resources (CIS metric filters and alarms for each of the fifteen monitoring
controls in turn, half the resources or at least one pair per control, the rest SQS queues, plus one trail, log group
and topic: every chain check passes) in a temporary directory and times cfn-lint on each, without and with
`--append-rules=trailguard.cfn_lint_rules`, interleaving the two so machine noise hits both alike. cfn-lint runs
in-process (cfnlint.api, the same rules and runner as the command) so interpreter start-up does not hide the cost;
the times are CPU times of this process, which other work on a shared machine barely moves.
Goal (issues 4 and 12): the rules add under 10% to cfn-lint's own time, and grow linearly.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from cfnlint.api import ManualArgs, lint
from cfnlint.decode.decode import decode_str
from cfnlint.version import __version__ as cfn_lint_version

from trailguard.controls import CONTROLS
from trailguard.integrations.cfn_lint.matches import template_problems

SIZES = (50, 200, 800)

HEADER = """AWSTemplateFormatVersion: "2010-09-09"
Description: trailguard cfn-lint benchmark
Resources:
  TrailLogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 365
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      S3BucketName: trail-bucket
      CloudWatchLogsLogGroupArn: !GetAtt TrailLogGroup.Arn
      CloudWatchLogsRoleArn: arn:aws:iam::111122223333:role/trail-to-logs
  AlarmTopic:
    Type: AWS::SNS::Topic
    Properties:
      Subscription:
        - Protocol: email
          Endpoint: security-team@example.com
"""

MONITOR = """  Filter{i}:
    Type: AWS::Logs::MetricFilter
    Properties:
      FilterName: {slug}-{i}
      LogGroupName: !Ref TrailLogGroup
      FilterPattern: '{pattern}'
      MetricTransformations:
        - MetricName: {slug}-{i}
          MetricNamespace: CISBenchmark
          MetricValue: "1"
  Alarm{i}:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: {slug}-{i}
      Namespace: CISBenchmark
      Statistic: Sum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      AlarmActions:
        - !Ref AlarmTopic
"""

QUEUE = """  Queue{i}:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 345600
"""


def template(size: int) -> str:
    """`size` resources: a filter and an alarm for each control in turn (size/4 pairs, at least one per control), the
    rest queues, plus the three above. The patterns are the ones trailguard asks users to paste."""
    pairs = max(size // 4, len(CONTROLS))
    parts = [HEADER]
    controls = [CONTROLS[i % len(CONTROLS)] for i in range(pairs)]
    parts += [MONITOR.format(i=i, slug=control.slug, pattern=control.canonical) for i, control in enumerate(controls)]
    parts += [QUEUE.format(i=i) for i in range(size - 2 * pairs)]
    return "".join(parts)


def lint_seconds(text: str, rules: Optional[str]) -> Tuple[float, int]:
    config = ManualArgs(regions=["us-east-1"], **({"append_rules": [rules]} if rules else {}))
    start = time.process_time()
    matches = lint(text, config=config)
    # 800 resources exceed CloudFormation's quota of 500, which cfn-lint reports (E3010): expected, not counted.
    return time.process_time() - start, sum(1 for match in matches if match.rule.id != "E3010")


def rules_seconds(text: str) -> float:
    """The trailguard rules' own work on a decoded template (model, analyse, problems), without cfn-lint around it."""
    decoded, _ = decode_str(text)
    start = time.process_time()
    template_problems(decoded)
    return time.process_time() - start


def main(repetitions: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        texts: Dict[int, str] = {}
        for size in SIZES:
            path = Path(directory) / f"bench_{size}.yaml"
            path.write_text(template(size))
            texts[size] = path.read_text()
        lint_seconds(texts[SIZES[0]], "trailguard.cfn_lint_rules")  # warm imports and schemas for both
        times: Dict[Tuple[int, str], List[float]] = {}
        for _ in range(repetitions):
            for size in SIZES:
                for rules in (None, "trailguard.cfn_lint_rules"):
                    seconds, matches = lint_seconds(texts[size], rules)
                    assert matches == 0, f"the benchmark template of {size} resources should be clean"
                    times.setdefault((size, "with" if rules else "without"), []).append(seconds)
                times.setdefault((size, "alone"), []).append(rules_seconds(texts[size]))
    print(f"cfn-lint {cfn_lint_version}, Python {sys.version.split()[0]}, CPU seconds, median of {repetitions} "
          "interleaved runs")
    print(f"{'resources':>9}  {'cfn-lint':>9}  {'+trailguard':>11}  {'ratio':>6}  {'rules alone':>11}  "
          f"{'share':>6}")
    for size in SIZES:
        plain, rules, alone = (statistics.median(times[(size, kind)]) for kind in ("without", "with", "alone"))
        print(f"{size:>9}  {plain:>8.3f}s  {rules:>10.3f}s  {rules / plain:>6.3f}  {alone:>10.4f}s  "
              f"{alone / plain:>6.1%}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
