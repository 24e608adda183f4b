# One log group per log source, created with for_each and named after an organisation prefix that has no default
# (the pipeline passes -var org_prefix=...). The trail delivers to the "cloudtrail" instance and the filter reads
# the name of the same instance: the link is proven by the reference to that instance, although neither name is
# known statically. Passes every check.

variable "org_prefix" {
  description = "Prefix of every log group name, e.g. /example-org."
  type        = string
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(["cloudtrail", "vpc-flow-logs"])

  name              = "${var.org_prefix}/${each.key}"
  retention_in_days = 365
}

resource "aws_s3_bucket" "trail" {
  bucket = "example-org-cloudtrail-111122223333"
}

data "aws_iam_policy_document" "trail_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "trail_to_logs" {
  name               = "cloudtrail-to-cloudwatch-logs"
  assume_role_policy = data.aws_iam_policy_document.trail_assume.json
}

resource "aws_cloudtrail" "main" {
  name                          = "organization-trail"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.this["cloudtrail"].arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.trail_to_logs.arn
}

resource "aws_cloudwatch_log_metric_filter" "unauthorized_api_calls" {
  name           = "unauthorized-api-calls"
  log_group_name = aws_cloudwatch_log_group.this["cloudtrail"].name
  pattern        = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"

  metric_transformation {
    name      = "UnauthorizedAPICalls"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_sns_topic" "security_alerts" {
  name = "security-alerts"
}

resource "aws_sns_topic_subscription" "security_team" {
  topic_arn = aws_sns_topic.security_alerts.arn
  protocol  = "email"
  endpoint  = "security-team@example.com"
}

resource "aws_cloudwatch_metric_alarm" "unauthorized_api_calls" {
  alarm_name          = "cis-unauthorized-api-calls"
  metric_name         = "UnauthorizedAPICalls"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.security_alerts.arn]
}
