variable "log_group_name" {
  description = "The CloudTrail log group to put the metric filter on."
  type        = string
}

variable "alert_email" {
  type = string
}

variable "metric_namespace" {
  type    = string
  default = "CISBenchmark"
}
