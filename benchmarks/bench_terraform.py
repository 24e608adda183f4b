"""What do trailguard's checks add to a Checkov scan of a Terraform monorepo?

Run: `.venv/bin/python benchmarks/bench_terraform.py [--sizes 20 40 80] [--repeat 3]`

Generates a monorepo of N accounts (each a root module: a trail, its log group, a `for_each` catalogue of the CIS
monitoring filters and alarms, and unrelated resources), then times, side by side and interleaved so that machine
noise hits both alike: Checkov with its built-in checks only, and Checkov with trailguard's checks added. It also
times trailguard's own work (loading the roots and judging them, without Checkov) to show how it grows with N.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CIS_CONTROLS = {
    "unauthorized_api_calls": '{ ($.errorCode = \\"*UnauthorizedOperation\\") || ($.errorCode = \\"AccessDenied*\\") }',
    "console_signin_without_mfa": '{ ($.eventName = \\"ConsoleLogin\\") && '
                                  '($.additionalEventData.MFAUsed != \\"Yes\\") }',
    "root_usage": '{ $.userIdentity.type = \\"Root\\" && $.userIdentity.invokedBy NOT EXISTS && '
                  '$.eventType != \\"AwsServiceEvent\\" }',
    "iam_policy_changes": '{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || '
                          '($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) }',
    "cloudtrail_changes": '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || '
                          '($.eventName = DeleteTrail) }',
    "console_auth_failures": '{ ($.eventName = ConsoleLogin) && ($.errorMessage = \\"Failed authentication\\") }',
    "cmk_deletion": '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || '
                    '($.eventName = ScheduleKeyDeletion)) }',
    "s3_policy_changes": '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketPolicy) || '
                         '($.eventName = DeleteBucketPolicy)) }',
    "security_group_changes": '{ ($.eventName = AuthorizeSecurityGroupIngress) || '
                              '($.eventName = RevokeSecurityGroupIngress) }',
    "vpc_changes": '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) }',
}


def account(index: int) -> str:
    controls = "\n".join(f'    {name} = {{ pattern = "{pattern}", metric = "{name}" }}'
                         for name, pattern in CIS_CONTROLS.items())
    unrelated = "\n".join(f'''
resource "aws_s3_bucket" "data_{n}" {{
  bucket = "acct{index}-data-{n}"
}}

resource "aws_security_group" "app_{n}" {{
  name        = "acct{index}-app-{n}"
  description = "application tier {n}"
  ingress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }}
}}
''' for n in range(8))
    return f'''
locals {{
  cis = {{
{controls}
  }}
}}

resource "aws_cloudwatch_log_group" "trail" {{
  name              = "acct{index}/cloudtrail"
  retention_in_days = 365
}}

resource "aws_cloudtrail" "main" {{
  name                       = "acct{index}-trail"
  s3_bucket_name             = "acct{index}-cloudtrail"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "${{aws_cloudwatch_log_group.trail.arn}}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/trail-to-logs"
}}

resource "aws_sns_topic" "alerts" {{
  name = "acct{index}-security-alerts"
}}

resource "aws_sns_topic_subscription" "oncall" {{
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = "oncall@example.com"
}}

resource "aws_cloudwatch_log_metric_filter" "cis" {{
  for_each       = local.cis
  name           = each.key
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = each.value.pattern
  metric_transformation {{
    name      = each.value.metric
    namespace = "CISBenchmark"
    value     = "1"
  }}
}}

resource "aws_cloudwatch_metric_alarm" "cis" {{
  for_each            = local.cis
  alarm_name          = "acct{index}-${{each.key}}"
  metric_name         = each.value.metric
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}}
{unrelated}
'''


def generate(directory: Path, accounts: int) -> None:
    for index in range(accounts):
        root = directory / f"account-{index:03d}"
        root.mkdir(parents=True)
        (root / "main.tf").write_text(account(index))


def checkov(directory: Path, with_trailguard: bool) -> float:
    command = [str(Path(sys.executable).parent / "checkov"), "--quiet", "--compact", "--skip-download",
               "--framework", "terraform", "-d", str(directory), "-o", "json"]
    if with_trailguard:
        command += ["--external-checks-dir", str(ROOT / "checks")]
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - started


def trailguard_alone(directory: Path) -> float:
    from trailguard.rules.analysis import analyse
    from trailguard.terraform.builder import build_model
    from trailguard.terraform.loader import forget_directories, load_root

    forget_directories()
    started = time.perf_counter()
    for root in sorted(directory.iterdir()):
        module = load_root(root)
        analyse(build_model(list(module.instances()), str(root), module.notes))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 40, 80])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'accounts':>8} {'checkov':>10} {'+trailguard':>12} {'added':>8} {'trailguard alone':>17} "
          f"{'per account':>12}")
    for size in args.sizes:
        directory = Path(tempfile.mkdtemp(prefix=f"tg-bench-{size}-"))
        try:
            generate(directory, size)
            without, with_checks = [], []
            for _ in range(args.repeat):  # interleaved, so both see the same machine load
                without.append(checkov(directory, False))
                with_checks.append(checkov(directory, True))
            alone = statistics.median(trailguard_alone(directory) for _ in range(args.repeat))
            base, added = statistics.median(without), statistics.median(with_checks)
            print(f"{size:>8} {base:>9.1f}s {added:>11.1f}s {100 * (added - base) / base:>7.1f}% {alone:>16.2f}s "
                  f"{1000 * alone / size:>10.1f}ms", flush=True)
        finally:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
