# A landing-zone shape: the root owns the trail and passes a map of every CIS monitoring control to a reusable
# catalogue module, which creates one metric filter and one alarm per control with for_each. The module's
# unauthorized-API-calls filter is judged by TG_AWS_2/3 and completes the chain from the root's trail (TG_AWS_4).

locals {
  cis_controls = {
    unauthorized_api_calls = {
      metric_name = "UnauthorizedAPICalls"
      pattern     = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"
    }
    root_account_usage = {
      metric_name = "RootAccountUsage"
      pattern     = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
    }
    console_signin_without_mfa = {
      metric_name = "ConsoleSigninWithoutMFA"
      pattern     = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") && ($.userIdentity.type = \"IAMUser\") && ($.responseElements.ConsoleLogin = \"Success\") }"
    }
    cloudtrail_configuration_changes = {
      metric_name = "CloudTrailConfigurationChanges"
      pattern     = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"
    }
  }
}

resource "aws_s3_bucket" "trail" {
  bucket = "example-landing-zone-cloudtrail-111122223333"
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = "landing-zone/cloudtrail"
  retention_in_days = 400
}

resource "aws_iam_role" "trail_to_logs" {
  name = "landing-zone-cloudtrail-to-logs"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "cloudtrail.amazonaws.com" }
    }]
  })
}

resource "aws_cloudtrail" "main" {
  name                          = "landing-zone-trail"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.trail_to_logs.arn
}

resource "aws_sns_topic" "security_alerts" {
  name = "landing-zone-security-alerts"
}

resource "aws_sns_topic_subscription" "security_team" {
  topic_arn = aws_sns_topic.security_alerts.arn
  protocol  = "email"
  endpoint  = "security-team@example.com"
}

module "cis_monitoring" {
  source = "./modules/cis-monitoring"

  log_group_name = aws_cloudwatch_log_group.trail.name
  alarm_topic    = aws_sns_topic.security_alerts.arn
  controls       = local.cis_controls
}
