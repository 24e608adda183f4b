# The log group and the SNS topic are managed by the platform team's stack; this root module only creates the
# trail, the filter and the alarm, and names the others literally: the log group by ARN on the trail and by
# name on the filter, the topic by ARN on the alarm. Literal names join the chain as references do.
# TG_AWS_5 has no topic in scope to judge. Passes TG_AWS_1 to TG_AWS_4.

resource "aws_s3_bucket" "trail" {
  bucket = "example-org-cloudtrail-111122223333"
}

resource "aws_cloudtrail" "main" {
  name                          = "organization-trail"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  cloud_watch_logs_group_arn    = "arn:aws:logs:us-east-1:111122223333:log-group:cloudtrail:*"
  cloud_watch_logs_role_arn     = "arn:aws:iam::111122223333:role/CloudTrail_CloudWatchLogs_Role"
}

resource "aws_cloudwatch_log_metric_filter" "unauthorized_api_calls" {
  name           = "unauthorized-api-calls"
  log_group_name = "cloudtrail"
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
  alarm_actions       = ["arn:aws:sns:us-east-1:111122223333:security-alerts"]
}
