# The CIS alarms come from a CloudFormation template in S3 (template_url), deployed next to a Terraform trail.
# trailguard does not fetch remote templates, so the filter and the alarm are not seen: TG_AWS_4 fails, and its
# reasons name the stack and its template_url instead of pretending the unit was seen whole.

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

resource "aws_cloudformation_stack" "cis_alarms" {
  name         = "cis-alarms"
  template_url = "https://example-org-templates.s3.amazonaws.com/security/cis-alarms-v1.4.yaml"

  parameters = {
    CloudTrailLogGroupName = aws_cloudwatch_log_group.trail.name
    AlarmEmail             = "security-team@example.com"
  }
}
