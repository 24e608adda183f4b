"""The documentation made from the control modules, so that no page says what the data does not: the generated parts
of docs/controls.md and one page per control's chain check (docs/checks/TG_AWS_6.md ... TG_AWS_19.md), all from one
template. `python -m trailguard.check_pages` rewrites them; tests/controls/test_docs_pages.py fails while a page
and the data disagree, and proves that each page's Terraform and CloudFormation fix passes its check.

TG_AWS_4 (unauthorized API calls, the first chain check) keeps its hand-written page: it also holds the failure
reasons every chain check shares, which the generated pages point to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from trailguard.catalog import CHECKS, Check
from trailguard.controls import CONTROLS, UNAUTHORIZED_API_CALLS
from trailguard.controls.control import NEWEST, Control
from trailguard.controls.published import control_sections, markdown_table, security_hub_table, security_hub_verdicts

ROOT = Path(__file__).resolve().parents[1]
CONTROLS_PAGE = Path("docs") / "controls.md"
# The generated parts of docs/controls.md, each between its two markers.
SECTIONS: Tuple[Tuple[str, str], ...] = (
    ("<!-- controls:start -->", "<!-- controls:end -->"),
    ("<!-- published-texts:start -->", "<!-- published-texts:end -->"),
    ("<!-- security-hub:start -->", "<!-- security-hub:end -->"),
)
NAMESPACE = "CISBenchmark"
TOPIC_TF = "aws_sns_topic.cis_alarms"
TOPIC_CFN = "CisAlarmsTopic"


def chain_check(control: Control) -> Check:
    return CHECKS[control.checkov_id]


def generated_controls() -> List[Control]:
    """The controls whose check page is generated (every one but unauthorized API calls)."""
    return [control for control in CONTROLS if control is not UNAUTHORIZED_API_CALLS]


def page_path(control: Control) -> Path:
    return Path("docs") / "checks" / f"{control.checkov_id}.md"


def metric_name(control: Control) -> str:
    """`IamPolicyChanges`: the metric the fix's filter publishes and its alarm watches."""
    return "".join(part.capitalize() for part in control.slug.split("-"))


def terraform_fix(control: Control) -> str:
    """A metric filter, an alarm that fires on one event, and a subscribed SNS topic, for a trail delivering to
    `aws_cloudwatch_log_group.trail` (docs/checks/TG_AWS_1.md shows the trail)."""
    name = control.slug.replace("-", "_")
    pattern = control.canonical.replace("\\", "\\\\").replace('"', '\\"')
    return f'''resource "aws_cloudwatch_log_metric_filter" "{name}" {{
  name           = "{control.slug}"
  log_group_name = aws_cloudwatch_log_group.trail.name # the log group the trail delivers to
  pattern        = "{pattern}"

  metric_transformation {{
    name      = "{metric_name(control)}"
    namespace = "{NAMESPACE}"
    value     = "1"
  }}
}}

resource "aws_cloudwatch_metric_alarm" "{name}" {{
  alarm_name          = "cis-{control.slug}"
  metric_name         = "{metric_name(control)}"
  namespace           = "{NAMESPACE}"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [{TOPIC_TF}.arn]
}}

resource "aws_sns_topic" "cis_alarms" {{
  name = "cis-alarms"
}}

resource "aws_sns_topic_subscription" "cis_alarms_email" {{
  topic_arn = {TOPIC_TF}.arn
  protocol  = "email"
  endpoint  = "security-team@example.com"
}}
'''


def cloudformation_fix(control: Control) -> str:
    """The same three resources as CloudFormation, for a trail delivering to the log group `TrailLogGroup`."""
    logical = metric_name(control)
    return f'''  {logical}Filter:
    Type: AWS::Logs::MetricFilter
    Properties:
      LogGroupName: !Ref TrailLogGroup # the log group the trail delivers to
      FilterPattern: '{control.canonical}'
      MetricTransformations:
        - MetricName: {logical}
          MetricNamespace: {NAMESPACE}
          MetricValue: "1"

  {logical}Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: cis-{control.slug}
      MetricName: {logical}
      Namespace: {NAMESPACE}
      Statistic: Sum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      TreatMissingData: notBreaching
      AlarmActions:
        - !Ref {TOPIC_CFN}

  {TOPIC_CFN}:
    Type: AWS::SNS::Topic
    Properties:
      Subscription:
        - Protocol: email
          Endpoint: security-team@example.com
'''


def _numbers(control: Control) -> str:
    return (f"v1.2 {control.cis_v12 or '(none: the control first appears in v1.3)'}, v1.3–v5.0 "
            f"{control.cis_v13_to_v5}, v6.0+ {control.cis_v6}")


def _security_hub(control: Control) -> List[str]:
    if control.security_hub_text is None:
        return ["Security Hub has no control for it; trailguard's verdict is the only one."]
    verdicts = security_hub_verdicts(control)
    said = "; ".join(f"under CIS v{version} trailguard says **{verdict.status}**" for version, verdict in verdicts)
    return [
        f"Security Hub {control.security_hub} accepts one exact text, CIS's in AWS's spacing; a pattern that means "
        "the same but is written otherwise, or that follows a newer CIS text, fails there. Beside every verdict "
        "trailguard says, for information, whether Security Hub would accept the pattern. Its text:",
        "",
        "```",
        control.security_hub_text,
        "```",
        "",
        f"Judged by meaning, {said}.",
    ]


def _version_note(control: Control) -> str:
    if len(control.targets) > 1:
        changes = ", ".join(f"v{first}" for first, _ in control.targets[1:])
        return (f"This control's events change with the CIS version (from {changes}; see the notes above), so the "
                "version judged decides the verdict.")
    if control.first_version != "1.2":
        return (f"The control first appears in CIS v{control.first_version}: judged by an older version, the check "
                "does not run. Its events are the same in every version that has it.")
    return "Its events are the same in every CIS version; the version changes only the CIS number shown."


def check_page(control: Control) -> str:
    """The page of one control's chain check."""
    check = chain_check(control)
    source = f"trailguard/controls/{control.slug.replace('-', '_')}.py"
    lines = [
        f"# {check.id} / {check.cfn_lint_id}: {check.title}",
        "",
        f"<!-- Generated from {source} by `python -m trailguard.check_pages`: edit the module, not this page. -->",
        "",
        f"**Attached to:** each CloudTrail trail (`aws_cloudtrail`, `AWS::CloudTrail::Trail`). **Severity:** "
        f"{check.severity} (error in cfn-lint). **Control:** `{control.slug}`. **CIS AWS Foundations:** "
        f"{_numbers(control)}. **Security Hub:** {control.security_hub or '(none)'}.",
        "",
        "## What it proves",
        "",
        f"The whole chain from this trail for {control.title}: the trail passes [TG_AWS_1](TG_AWS_1.md), and the "
        "metric filters on its log group that pass [TG_AWS_2](TG_AWS_2.md) (their pattern, judged for this "
        "control) and [TG_AWS_3](TG_AWS_3.md) (an alarm that fires on one event and notifies SNS) together count "
        "every event of the control. One filter usually does it; two filters that split the calls between them do "
        "it together, and the finding names the filters it used. This is the CIS control itself. Links are "
        "followed within one deployment unit (a template; a Terraform root module with its children; a plan file).",
        "",
        "## Why it matters",
        "",
        control.rationale[0].upper() + control.rationale[1:] + ".",
        "",
        "## What the filter must count",
        "",
        f"- **Must count:** {control.counts}.",
        f"- **May count or not** (don't care): {control.either_way or 'nothing else'}.",
        "- **Must not count:** every other event CloudTrail writes. A filter that counts one fails TG_AWS_2 with the "
        "event; so does one that misses an event it must count. Unless the control says otherwise, a failed "
        "attempt (one with an errorCode) counts like a successful call.",
        "",
    ]
    lines += [f"Note: {note}." for note in control.notes] + ([""] if control.notes else [])
    lines += [
        "## Where CIS's own texts go wrong, and what trailguard says",
        "",
        "Each pattern CIS printed for this control, judged by each version that printed it "
        "([all controls](../controls.md)):",
        "",
        markdown_table([control]),
        "",
        "## Security Hub",
        "",
        *_security_hub(control),
        "",
        "## The fix",
        "",
        "The pattern to paste (it passes under every CIS version that has the control; test any pattern offline "
        f"with `trailguard pattern --control {control.slug} '<pattern>'`):",
        "",
        "```",
        control.canonical,
        "```",
        "",
        "Terraform, beside the trail and its log group:",
        "",
        "```hcl",
        terraform_fix(control).rstrip("\n"),
        "```",
        "",
        "CloudFormation, under `Resources:` beside the trail and its log group:",
        "",
        "```yaml",
        cloudformation_fix(control).rstrip("\n"),
        "```",
        "",
        "## Failure reasons and fixes",
        "",
        f"The same as every control's chain check, listed in [TG_AWS_4](TG_AWS_4.md#failure-reasons-and-fixes): the "
        f"first link that breaks (the trail, the pattern of the filter that gets furthest, or its alarm) and the "
        f"reasons of that link; `no metric filter for {control.slug} on the trail's log group` with the pattern to "
        "paste; or, when the filters with a working alarm split the control's calls but leave some out, `the chain "
        "breaks at the patterns: the filters with a working alarm (...) together do not count every event of "
        f"{control.slug}`, with an event none of them counts.",
        "",
        "## CIS version",
        "",
        f"{_version_note(control)} The version is `TRAILGUARD_CIS_VERSION` in the environment (the plain Checkov and "
        "cfn-lint paths), `--cis-version` for `trailguard scan` and `trailguard pattern`, or `cis-version:` in "
        f"`.trailguard.yaml`; the default is the newest text (v{NEWEST}). See [rules](../rules.md#cis-version).",
        "",
        "## Skipping it, with a reason",
        "",
        f"`#checkov:skip={check.id}:<why>` inside the trail's block; CloudFormation `Metadata` on the trail "
        f"(`checkov: skip` with `id: {check.id}`, or `cfn-lint: config: ignore_checks: [{check.cfn_lint_id}]`). A "
        "skip silences this control only; the trail, filter and alarm checks still run.",
    ]
    return "\n".join(lines) + "\n"


def with_sections(page: str, bodies: Sequence[str]) -> str:
    """docs/controls.md with each generated part replaced by its body."""
    for (start, end), body in zip(SECTIONS, bodies):
        before, rest = page.split(start, 1)
        page = f"{before}{start}\n{body.rstrip()}\n{end}{rest.split(end, 1)[1]}"
    return page


def rendered(root: Path = ROOT) -> Dict[Path, str]:
    """Every generated file, by its path under the repository, as it should read."""
    controls_page = (root / CONTROLS_PAGE).read_text(encoding="utf-8")
    pages = {CONTROLS_PAGE: with_sections(controls_page, (control_sections(), markdown_table(),
                                                          security_hub_table()))}
    pages.update({page_path(control): check_page(control) for control in generated_controls()})
    return pages


def main() -> None:
    for path, text in rendered().items():
        (ROOT / path).write_text(text, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
