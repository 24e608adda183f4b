variable "cloudtrail_bucket_name" {
  description = "S3 bucket that receives the trail's log files."
  type        = string
}

variable "cloudtrail_log_group_name" {
  description = "CloudWatch Logs group the trail delivers to, set per environment."
  type        = string
}
