variable "log_archive_bucket" {
  description = "The log-archive account's CloudTrail bucket."
  type        = string
  default     = "aws-controltower-logs-111122223333-us-east-1"
}
