output "metric_filter_name" {
  description = "Name of the unauthorized API calls metric filter."
  value       = aws_cloudwatch_log_metric_filter.unauthorized_api_calls.name
}

output "alarm_arn" {
  description = "ARN of the unauthorized API calls alarm."
  value       = module.unauthorized_api_calls_alarm.arn
}

output "topic_arn" {
  description = "ARN of the security alerts topic."
  value       = aws_sns_topic.security_alerts.arn
}
