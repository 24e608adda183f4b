variable "log_group_name" {
  description = "Name of the CloudWatch Logs group the CloudTrail trail delivers to."
  type        = string
}

variable "metric_namespace" {
  description = "CloudWatch namespace of the CIS metrics."
  type        = string
  default     = "CISBenchmark"
}

variable "alert_email" {
  description = "E-mail address subscribed to the security alerts topic."
  type        = string
}
