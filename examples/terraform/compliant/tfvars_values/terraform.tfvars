# CIS AWS Foundations v2.0+ text: `&&` binds tighter than `||`.
unauthorized_api_calls_pattern = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") && ($.sourceIPAddress != \"delivery.logs.amazonaws.com\") && ($.eventName != \"HeadBucket\") }"

# Overridden by security.auto.tfvars, which Terraform loads after this file.
metric_namespace = "Default"
