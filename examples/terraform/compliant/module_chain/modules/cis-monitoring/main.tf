# CIS "unauthorized API calls" monitoring for one CloudTrail log group: the metric filter, the SNS topic with an
# e-mail subscription, and the alarm (from the nested ../alarm module).

locals {
  # CIS AWS Foundations v1.2 3.1 (v1.3-v5.0 4.1, v6.0 5.1).
  unauthorized_api_calls_pattern = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"
}

resource "aws_cloudwatch_log_metric_filter" "unauthorized_api_calls" {
  name           = "unauthorized-api-calls"
  log_group_name = var.log_group_name
  pattern        = local.unauthorized_api_calls_pattern

  metric_transformation {
    name      = "UnauthorizedAPICalls"
    namespace = var.metric_namespace
    value     = "1"
  }
}

resource "aws_sns_topic" "security_alerts" {
  name = "security-alerts"
}

resource "aws_sns_topic_subscription" "security_team" {
  topic_arn = aws_sns_topic.security_alerts.arn
  protocol  = "email"
  endpoint  = var.alert_email
}

module "unauthorized_api_calls_alarm" {
  source = "../alarm"

  name          = "cis-unauthorized-api-calls"
  description   = "Unauthorized API calls (CIS AWS Foundations 3.1 / 4.1 / 5.1)"
  metric_name   = aws_cloudwatch_log_metric_filter.unauthorized_api_calls.metric_transformation[0].name
  namespace     = aws_cloudwatch_log_metric_filter.unauthorized_api_calls.metric_transformation[0].namespace
  alarm_actions = [aws_sns_topic.security_alerts.arn]
}
