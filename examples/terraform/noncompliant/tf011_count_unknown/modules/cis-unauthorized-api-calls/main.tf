resource "aws_cloudwatch_log_metric_filter" "unauthorized_api_calls" {
  count = var.enabled == "true" ? "1" : "0"

  name           = "${var.alarm_name_prefix}-unauthorized-api-calls"
  log_group_name = var.log_group_name
  pattern        = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"

  metric_transformation {
    name      = "UnauthorizedAPICalls"
    namespace = var.metric_namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "unauthorized_api_calls" {
  count = var.enabled == "true" ? "1" : "0"

  alarm_name          = "${var.alarm_name_prefix}-unauthorized-api-calls"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = "1"
  metric_name         = "UnauthorizedAPICalls"
  namespace           = var.metric_namespace
  period              = "300"
  statistic           = "Sum"
  threshold           = "1"
  actions_enabled     = "true"
  alarm_actions       = ["${var.alarm_actions}"]
}
