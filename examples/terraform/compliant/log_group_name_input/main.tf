# A CIS baseline packaged as two local modules, the way landing-zone repositories split them: the trail module takes
# the log group's name as an input (the root variable has no default; each environment sets it at apply time) and
# passes the log group on through an output; the alarm module puts the metric filter on it. The name is never
# known statically, but every link to the log group is written as a reference to the one
# aws_cloudwatch_log_group resource, so the chain is proven by reference identity. Passes every check.

module "cloudtrail_baseline" {
  source = "./modules/cloudtrail-baseline"

  trail_name     = "organization-trail"
  s3_bucket_name = var.cloudtrail_bucket_name
  log_group_name = var.cloudtrail_log_group_name
}

module "unauthorized_api_calls_alarm" {
  source = "./modules/unauthorized-api-calls-alarm"

  log_group_name = module.cloudtrail_baseline.log_group_name
  alert_email    = "security-team@example.com"
}
