# The common module shape: the root owns the trail, its log group and the SNS topic, and calls a local CIS alarms
# module (`modules/cis-alarms`, shaped like terraform-aws-modules' cloudwatch `cis-alarms`) with the log group name and
# the topic. The module's catalogue holds every CIS monitoring control; the root overrides one entry, as teams do to
# pin a control's calls to its service (IAM policy changes with `eventSource = iam.amazonaws.com`), and disables none.
# Passes every check: TG_AWS_1 on the trail, TG_AWS_2 and TG_AWS_3 on the module's for_each filter, TG_AWS_4 and
# TG_AWS_6 ... TG_AWS_19 (one chain check per control) on the trail, TG_AWS_5 on the topic.

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

  control_overrides = {
    IAMChanges = {
      description = "IAM policy changes (CIS 3.4 / 4.4 / 5.4)"
      pattern     = "{ ($.eventSource = iam.amazonaws.com) && (($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy)) }"
    }
  }
}
