# The audit account's side of a two-account setup: the trail delivers to CloudWatch Logs here, and the metric
# filter and alarm live in the security-monitoring account's own root module (separate_monitoring_account).
# trailguard follows links within one deployment unit only, so TG_AWS_4 fails here: the chain leaves this root.
# Declare it with a skip that says where the chain continues, e.g. inside aws_cloudtrail.main:
#   #checkov:skip=TG_AWS_4:filter and alarm live in the security-monitoring root module (SEC-42)

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
