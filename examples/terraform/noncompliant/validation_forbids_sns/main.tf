# The alarm's only action is a variable without a default whose validation mentions "arn:aws:sns:" but forbids
# it: whatever is deployed is not an SNS topic. trailguard decides the validation by its meaning, so the text
# ":sns:" proves nothing and TG_AWS_3 (and so TG_AWS_4) fails, naming the unresolved input.

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

resource "aws_cloudwatch_log_metric_filter" "unauthorized_api_calls" {
  name           = "unauthorized-api-calls"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"

  metric_transformation {
    name      = "UnauthorizedAPICalls"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

variable "incident_target_arn" {
  description = "ARN of the incident-response target (a Lambda function, not SNS) that receives CIS alarms."
  type        = string

  validation {
    condition     = !startswith(var.incident_target_arn, "arn:aws:sns:")
    error_message = "Alarms go to the incident-response Lambda, not to an SNS topic (arn:aws:sns:...)."
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
  alarm_actions       = [var.incident_target_arn]
}
