variable "log_group_name" {
  description = "The CloudWatch Logs group the trail delivers to."
  type        = string
}

variable "alarm_actions" {
  description = "ARNs notified when an alarm fires (an SNS topic)."
  type        = list(string)
}

variable "namespace" {
  description = "The namespace of the metrics."
  type        = string
  default     = "CISBenchmark"
}

variable "name_prefix" {
  description = "Prefix of every filter and alarm name."
  type        = string
  default     = ""
}

variable "actions_enabled" {
  description = "Whether the alarms notify their actions."
  type        = bool
  default     = true
}

variable "disabled_controls" {
  description = "Catalogue keys of the controls to leave out."
  type        = list(string)
  default     = []
}

variable "control_overrides" {
  description = "Catalogue entries replacing or adding to the built-in ones (description and pattern)."
  type        = map(object({ description = string, pattern = string }))
  default     = {}
}
