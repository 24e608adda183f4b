variable "trail_name" {
  default = "organization-trail"
}
