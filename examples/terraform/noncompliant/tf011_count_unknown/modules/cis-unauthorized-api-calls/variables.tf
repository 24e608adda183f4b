variable "enabled" {
  description = "Set to \"false\" to create nothing."
  default     = "true"
}

variable "log_group_name" {}

variable "alarm_actions" {
  type = list(string)
}

variable "alarm_name_prefix" {
  default = "cis"
}

variable "metric_namespace" {
  default = "CISBenchmark"
}
