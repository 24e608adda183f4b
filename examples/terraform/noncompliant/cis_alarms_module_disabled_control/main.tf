# The CIS alarms module of compliant/cis_alarms_module (shaped like terraform-aws-modules' cloudwatch `cis-alarms`),
# called with `disabled_controls = ["RootUsage"]`: a team turned the root-usage alarm off because it fired on a
# break-glass login, and the for_each catalogue quietly creates no filter for it. Every other control is right.
# Expected: TG_AWS_7 (root usage) fails on the trail, saying no metric filter for root-usage is on the trail's log
# group and giving the pattern to add; TG_AWS_1 ... TG_AWS_6 and TG_AWS_8 ... TG_AWS_19 pass.

resource "aws_s3_bucket" "cloudtrail" {
  bucket = "example-org-cloudtrail-111122223333"
}

resource "aws_cloudwatch_log_group" "cloudtrail" {
  name              = "aws-cloudtrail-logs-111122223333"
  retention_in_days = 365
}

data "aws_iam_policy_document" "cloudtrail_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "cloudtrail_to_logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.cloudtrail.arn}:*"]
  }
}

resource "aws_iam_role" "cloudtrail_to_logs" {
  name               = "cloudtrail-to-cloudwatch-logs"
  assume_role_policy = data.aws_iam_policy_document.cloudtrail_assume.json
}

resource "aws_iam_role_policy" "cloudtrail_to_logs" {
  name   = "cloudtrail-to-cloudwatch-logs"
  role   = aws_iam_role.cloudtrail_to_logs.id
  policy = data.aws_iam_policy_document.cloudtrail_to_logs.json
}

resource "aws_cloudtrail" "main" {
  name                          = "management-events"
  s3_bucket_name                = aws_s3_bucket.cloudtrail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.cloudtrail.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.cloudtrail_to_logs.arn
}

resource "aws_sns_topic" "cis_alarms" {
  name = "cis-benchmark-alarms"
}

resource "aws_sns_topic_subscription" "security_team" {
  topic_arn = aws_sns_topic.cis_alarms.arn
  protocol  = "email"
  endpoint  = "security-team@example.com"
}

module "cis_alarms" {
  source = "./modules/cis-alarms"

  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  alarm_actions  = [aws_sns_topic.cis_alarms.arn]
  name_prefix    = "cis-"

  disabled_controls = ["RootUsage"]

  control_overrides = {
    IAMChanges = {
      description = "IAM policy changes (CIS 3.4 / 4.4 / 5.4)"
      pattern     = "{ ($.eventSource = iam.amazonaws.com) && (($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy)) }"
    }
  }
}
