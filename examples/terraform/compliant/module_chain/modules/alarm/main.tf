# A CloudWatch alarm that fires as soon as a counting metric records one event in a five-minute period.

variable "name" {
  description = "Alarm name."
  type        = string
}

variable "description" {
  description = "Alarm description."
  type        = string
  default     = ""
}

variable "metric_name" {
  description = "Metric to watch."
  type        = string
}

variable "namespace" {
  description = "Namespace of the metric."
  type        = string
}

variable "threshold" {
  description = "Number of events in one period that puts the alarm in ALARM."
  type        = number
  default     = 1
}

variable "alarm_actions" {
  description = "ARNs notified when the alarm fires."
  type        = list(string)
}

resource "aws_cloudwatch_metric_alarm" "this" {
  alarm_name          = var.name
  alarm_description   = var.description
  metric_name         = var.metric_name
  namespace           = var.namespace
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
}

output "arn" {
  description = "ARN of the alarm."
  value       = aws_cloudwatch_metric_alarm.this.arn
}
