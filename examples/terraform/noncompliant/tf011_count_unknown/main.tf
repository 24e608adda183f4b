# The Terraform 0.11-era configuration of compliant/tf011_string_count, but the alarm module's switch comes from
# a root variable nobody sets (create_cis_alarms has no default and no tfvars value). Whether the filter and the alarm
# exist cannot be computed, so they are not dropped: each is named, and TG_AWS_2, TG_AWS_3 and TG_AWS_4 fail
# naming variable "create_cis_alarms" and how to give it a value.

resource "aws_s3_bucket" "trail" {
  bucket = "example-org-cloudtrail-111122223333"
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = "${var.trail_name}-events"
  retention_in_days = "365"
}

resource "aws_iam_role" "trail_to_logs" {
  name               = "${var.trail_name}-cloudwatch-logs"
  assume_role_policy = file("${path.module}/cloudtrail-assume-role.json")
}

resource "aws_cloudtrail" "main" {
  name                          = var.trail_name
  s3_bucket_name                = aws_s3_bucket.trail.id
  enable_logging                = "true"
  is_multi_region_trail         = "true"
  include_global_service_events = "true"
  enable_log_file_validation    = "true"
  cloud_watch_logs_group_arn    = aws_cloudwatch_log_group.trail.arn
  cloud_watch_logs_role_arn     = aws_iam_role.trail_to_logs.arn
}

module "unauthorized_api_calls" {
  source = "./modules/cis-unauthorized-api-calls"

  enabled           = var.create_cis_alarms
  log_group_name    = aws_cloudwatch_log_group.trail.name
  alarm_actions     = ["${aws_sns_topic.security_alerts.arn}"]
  alarm_name_prefix = var.trail_name
}

resource "aws_sns_topic" "security_alerts" {
  name = "${var.trail_name}-security-alerts"
}

resource "aws_sns_topic_subscription" "security_team" {
  topic_arn = aws_sns_topic.security_alerts.arn
  protocol  = "sqs"
  endpoint  = "arn:aws:sqs:us-east-1:111122223333:security-alerts"
}
