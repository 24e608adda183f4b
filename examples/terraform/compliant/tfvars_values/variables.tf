variable "unauthorized_api_calls_pattern" {
  description = "CloudWatch Logs filter pattern for unauthorized API calls (set per environment in terraform.tfvars)."
  type        = string
}

variable "metric_namespace" {
  description = "CloudWatch namespace of the CIS metrics (set in security.auto.tfvars)."
  type        = string
}
