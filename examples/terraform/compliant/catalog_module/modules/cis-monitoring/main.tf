# One metric filter and one alarm per CIS monitoring control, from a map of controls.

variable "log_group_name" {
  description = "The CloudWatch Logs log group the organization trail delivers to."
  type        = string
}

variable "alarm_topic" {
  description = "SNS topic ARN the alarms notify."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:", var.alarm_topic))
    error_message = "alarm_topic must be an SNS topic ARN."
  }
}

variable "controls" {
  description = "CIS monitoring controls: key => { metric_name, pattern }."
  type = map(object({
    metric_name = string
    pattern     = string
  }))
}

variable "namespace" {
  description = "Metric namespace shared by every CIS control."
  type        = string
  default     = "CISBenchmark"
}

resource "aws_cloudwatch_log_metric_filter" "control" {
  for_each = var.controls

  name           = "cis-${replace(each.key, "_", "-")}"
  log_group_name = var.log_group_name
  pattern        = each.value.pattern

  metric_transformation {
    name      = each.value.metric_name
    namespace = var.namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "control" {
  for_each = var.controls

  alarm_name          = "cis-${replace(each.key, "_", "-")}"
  metric_name         = aws_cloudwatch_log_metric_filter.control[each.key].metric_transformation[0].name
  namespace           = var.namespace
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic]
}
