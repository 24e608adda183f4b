output "log_group_name" {
  description = "The trail's CloudWatch Logs group, for metric filters."
  value       = aws_cloudwatch_log_group.this.name
}

output "trail_arn" {
  value = aws_cloudtrail.this.arn
}
