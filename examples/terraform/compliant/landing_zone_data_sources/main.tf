# A landing-zone security account: the trail's log group, its delivery role and the security topic are created by
# the account-baseline stack, and this root reads them through data sources by their literal names. A data
# source's literal arguments are its values: both the trail and the filter name the log group
# "aws-controltower/CloudTrailLogs", the role is set, and the data topic is an SNS topic. Passes every check; the
# topic is managed elsewhere, so TG_AWS_5 has nothing to attach to here.

data "aws_cloudwatch_log_group" "cloudtrail" {
  name = "aws-controltower/CloudTrailLogs"
}

data "aws_iam_role" "cloudtrail_to_cloudwatch" {
  name = "aws-controltower-CloudWatchLogsRole"
}

data "aws_sns_topic" "security_notifications" {
  name = "aws-controltower-SecurityNotifications"
}

resource "aws_cloudtrail" "organization" {
  name                          = "organization-trail"
  s3_bucket_name                = var.log_archive_bucket
  is_multi_region_trail         = true
  is_organization_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  cloud_watch_logs_group_arn    = "${data.aws_cloudwatch_log_group.cloudtrail.arn}:*"
  cloud_watch_logs_role_arn     = data.aws_iam_role.cloudtrail_to_cloudwatch.arn
}

resource "aws_cloudwatch_log_metric_filter" "unauthorized_api_calls" {
  name           = "unauthorized-api-calls"
  log_group_name = data.aws_cloudwatch_log_group.cloudtrail.name
  pattern        = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"

  metric_transformation {
    name      = "UnauthorizedAPICalls"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "unauthorized_api_calls" {
  alarm_name          = "cis-unauthorized-api-calls"
  alarm_description   = "Unauthorized API calls (CIS AWS Foundations 3.1 / 4.1 / 5.1)"
  metric_name         = aws_cloudwatch_log_metric_filter.unauthorized_api_calls.metric_transformation[0].name
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [data.aws_sns_topic.security_notifications.arn]
}
