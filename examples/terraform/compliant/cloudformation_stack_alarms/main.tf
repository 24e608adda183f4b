# The trail, its log group and the security topic are Terraform; the CIS metric filter and alarm come from a
# CloudFormation template the security team maintains, deployed with aws_cloudformation_stack and
# template_body = file(...). trailguard reads the local template with its CloudFormation builder, passes it the
# stack's parameters (the log group's name, the topic's ARN as a reference), and judges the whole chain in one
# unit. Passes every check; the template's filter reports on the stack resource, each line naming it.

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

resource "aws_sns_topic" "security_alerts" {
  name = "security-alerts"
}

resource "aws_sns_topic_subscription" "security_team" {
  topic_arn = aws_sns_topic.security_alerts.arn
  protocol  = "email"
  endpoint  = "security-team@example.com"
}

resource "aws_cloudformation_stack" "cis_alarms" {
  name          = "cis-unauthorized-api-calls"
  template_body = file("${path.module}/cis-unauthorized-api-calls.yaml")

  parameters = {
    CloudTrailLogGroupName = aws_cloudwatch_log_group.trail.name
    AlarmTopicArn          = aws_sns_topic.security_alerts.arn
  }
}
