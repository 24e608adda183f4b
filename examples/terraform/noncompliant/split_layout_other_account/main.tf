# A split layout gone wrong: this trail root deploys to account 777788889999, but the metric filters and alarms
# on a log group of the same name are in the monitoring root of ../../compliant/split_layout, which deploys to
# 111122223333. CloudTrail delivers only to a log group of its own account, so those filters never see this trail's
# events: the chain fails. Scanned with that root (`trailguard scan examples/terraform`), the reason names it and why
# it is not linked (another account); scanned alone, it fails as any trail without filters (docs/cross-unit.md).
provider "aws" {
  region              = var.region
  allowed_account_ids = ["777788889999"]
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

resource "aws_s3_bucket" "cloudtrail" {
  bucket = "example-org-cloudtrail-111122223333"
}

resource "aws_cloudwatch_log_group" "cloudtrail" {
  name              = "aws-cloudtrail-logs-111122223333"
  retention_in_days = 365
}

data "aws_iam_policy_document" "cloudtrail_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "cloudtrail_to_logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.cloudtrail.arn}:*"]
  }
}

resource "aws_iam_role" "cloudtrail_to_logs" {
  name               = "cloudtrail-to-cloudwatch-logs"
  assume_role_policy = data.aws_iam_policy_document.cloudtrail_assume.json
}

resource "aws_iam_role_policy" "cloudtrail_to_logs" {
  name   = "cloudtrail-to-cloudwatch-logs"
  role   = aws_iam_role.cloudtrail_to_logs.id
  policy = data.aws_iam_policy_document.cloudtrail_to_logs.json
}

resource "aws_cloudtrail" "main" {
  name                          = "management-events"
  s3_bucket_name                = aws_s3_bucket.cloudtrail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.cloudtrail.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.cloudtrail_to_logs.arn
}
