# A CIS alarms module in the shape of terraform-aws-modules' cloudwatch `cis-alarms`: a catalogue of every CIS monitoring
# control, which the caller may override (`control_overrides`) or turn off one by one (`disabled_controls`), and one
# metric filter and one alarm per remaining control on the caller's log group, notifying the caller's alarm actions.

locals {
  controls = {
    UnauthorizedAPICalls = {
      description = "Unauthorized API calls (CIS 3.1 / 4.1 / 5.1)"
      pattern     = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"
    }
    NoMFAConsoleSignin = {
      description = "Console sign-in without MFA (CIS 3.2 / 4.2 / 5.2)"
      pattern     = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") && ($.userIdentity.type = \"IAMUser\") && ($.responseElements.ConsoleLogin = \"Success\") }"
    }
    RootUsage = {
      description = "Usage of the root user (CIS 3.3 / 4.3 / 5.3)"
      pattern     = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
    }
    IAMChanges = {
      description = "IAM policy changes (CIS 3.4 / 4.4 / 5.4)"
      pattern     = "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }"
    }
    CloudTrailCfgChanges = {
      description = "CloudTrail configuration changes (CIS 3.5 / 4.5 / 5.5)"
      pattern     = "{ ($.eventSource = cloudtrail.amazonaws.com) && (($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging)) }"
    }
    ConsoleSigninFailures = {
      description = "Console authentication failures (CIS 3.6 / 4.6 / 5.6)"
      pattern     = "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }"
    }
    DisableOrDeleteCMK = {
      description = "Disabling or scheduled deletion of customer managed keys (CIS 3.7 / 4.7 / 5.7)"
      pattern     = "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }"
    }
    S3BucketPolicyChanges = {
      description = "S3 bucket policy changes (CIS 3.8 / 4.8 / 5.8)"
      pattern     = "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"
    }
    AWSConfigChanges = {
      description = "AWS Config configuration changes (CIS 3.9 / 4.9 / 5.9)"
      pattern     = "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }"
    }
    SecurityGroupChanges = {
      description = "Security group changes (CIS 3.10 / 4.10 / 5.10)"
      pattern     = "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) }"
    }
    NACLChanges = {
      description = "Network ACL changes (CIS 3.11 / 4.11 / 5.11)"
      pattern     = "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"
    }
    NetworkGWChanges = {
      description = "Network gateway changes (CIS 3.12 / 4.12 / 5.12)"
      pattern     = "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }"
    }
    RouteTableChanges = {
      description = "Route table changes (CIS 3.13 / 4.13 / 5.13)"
      pattern     = "{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }"
    }
    VPCChanges = {
      description = "VPC changes (CIS 3.14 / 4.14 / 5.14)"
      pattern     = "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }"
    }
    OrganizationsChanges = {
      description = "AWS Organizations changes (CIS 4.15 / 5.15)"
      pattern     = "{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = \"AcceptHandshake\") || ($.eventName = \"AttachPolicy\") || ($.eventName = \"CreateAccount\") || ($.eventName = \"CreateOrganizationalUnit\") || ($.eventName = \"CreatePolicy\") || ($.eventName = \"DeclineHandshake\") || ($.eventName = \"DeleteOrganization\") || ($.eventName = \"DeleteOrganizationalUnit\") || ($.eventName = \"DeletePolicy\") || ($.eventName = \"DetachPolicy\") || ($.eventName = \"DisablePolicyType\") || ($.eventName = \"EnablePolicyType\") || ($.eventName = \"InviteAccountToOrganization\") || ($.eventName = \"LeaveOrganization\") || ($.eventName = \"MoveAccount\") || ($.eventName = \"RemoveAccountFromOrganization\") || ($.eventName = \"UpdatePolicy\") || ($.eventName = \"UpdateOrganizationalUnit\")) }"
    }
  }

  enabled_controls = {
    for name, control in merge(local.controls, var.control_overrides) : name => control
    if !contains(var.disabled_controls, name)
  }
}

resource "aws_cloudwatch_log_metric_filter" "this" {
  for_each = local.enabled_controls

  name           = "${var.name_prefix}${each.key}"
  pattern        = each.value.pattern
  log_group_name = var.log_group_name

  metric_transformation {
    name      = each.key
    namespace = var.namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.enabled_controls

  alarm_name                = "${var.name_prefix}${each.key}"
  alarm_description         = each.value.description
  metric_name               = aws_cloudwatch_log_metric_filter.this[each.key].metric_transformation[0].name
  namespace                 = var.namespace
  statistic                 = "Sum"
  period                    = 300
  evaluation_periods        = 1
  threshold                 = 1
  comparison_operator       = "GreaterThanOrEqualToThreshold"
  treat_missing_data        = "notBreaching"
  actions_enabled           = var.actions_enabled
  alarm_actions             = var.alarm_actions
  insufficient_data_actions = []
}
