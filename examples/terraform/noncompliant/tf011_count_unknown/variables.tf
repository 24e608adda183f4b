variable "trail_name" {
  default = "organization-trail"
}

variable "create_cis_alarms" {
  description = "\"true\" to create the CIS unauthorized-API-calls filter and alarm."
}
