variable "trail_name" {
  type = string
}

variable "s3_bucket_name" {
  type = string
}

variable "log_group_name" {
  description = "Name of the CloudWatch Logs group the trail delivers to."
  type        = string
}

variable "retention_in_days" {
  type    = number
  default = 365
}
