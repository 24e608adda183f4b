# The monitoring is packaged as a local module: the root creates the trail and its log group and calls
# ./modules/cis-monitoring with the log group's name; that module creates the metric filter and the SNS topic and
# calls a nested ./modules/alarm for the alarm. Links are followed through module inputs and outputs, two levels
# deep. Passes every check (results attach to the module resources' addresses).

resource "aws_s3_bucket" "trail" {
  bucket = "example-org-cloudtrail-111122223333"
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = "cloudtrail/management-events"
  retention_in_days = 365
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
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.trail_to_logs.arn
}

module "cis_monitoring" {
  source = "./modules/cis-monitoring"

  log_group_name   = aws_cloudwatch_log_group.trail.name
  metric_namespace = "CISBenchmark"
  alert_email      = "security-team@example.com"
}
