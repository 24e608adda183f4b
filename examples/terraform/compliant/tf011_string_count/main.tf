# A Terraform 0.11-era configuration as `terraform 0.12upgrade` leaves it: switches are the strings "true" and
# "false", numbers are quoted, and the alarm module is toggled with count = var.enabled == "true" ? "1" : "0".
# Terraform converts the string "1" to the number 1 and "true" to true, so the filter and the alarm exist once
# each and the trail is multi-region. Passes every check (the counted resources report as [0]).

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

  enabled           = "true"
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
