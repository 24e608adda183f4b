# The account baseline is a CloudFormation template kept inline in Terraform (a heredoc template_body): it holds
# the trail, its log group and delivery role, and the CIS metric filter and alarm; Terraform owns the bucket and the
# security topic and passes them as parameters. trailguard reads the inline template into this unit. The trail is
# fine (TG_AWS_1) and the alarm watches the metric (TG_AWS_3), but the filter uses the CIS v1.3 remediation text with
# the OR bug, so TG_AWS_2 and TG_AWS_4 fail; all four results report on the stack resource.

resource "aws_s3_bucket" "trail" {
  bucket = "example-org-cloudtrail-111122223333"
}

resource "aws_sns_topic" "security_alerts" {
  name = "security-alerts"
}

resource "aws_sns_topic_subscription" "security_team" {
  topic_arn = aws_sns_topic.security_alerts.arn
  protocol  = "email"
  endpoint  = "security-team@example.com"
}

resource "aws_cloudformation_stack" "account_baseline" {
  name         = "account-baseline"
  capabilities = ["CAPABILITY_IAM"]

  parameters = {
    TrailBucketName = aws_s3_bucket.trail.id
    AlarmTopicArn   = aws_sns_topic.security_alerts.arn
  }

  template_body = <<-YAML
    AWSTemplateFormatVersion: "2010-09-09"
    Description: Account baseline - organization trail to CloudWatch Logs with the CIS unauthorized-API-calls alarm.
    Parameters:
      TrailBucketName:
        Type: String
      AlarmTopicArn:
        Type: String
    Resources:
      TrailLogGroup:
        Type: AWS::Logs::LogGroup
        Properties:
          LogGroupName: cloudtrail/management-events
          RetentionInDays: 365
      TrailDeliveryRole:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal:
                  Service: cloudtrail.amazonaws.com
                Action: sts:AssumeRole
          Policies:
            - PolicyName: cloudwatch-logs-delivery
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Action:
                      - logs:CreateLogStream
                      - logs:PutLogEvents
                    Resource: !GetAtt TrailLogGroup.Arn
      Trail:
        Type: AWS::CloudTrail::Trail
        Properties:
          TrailName: organization-trail
          S3BucketName: !Ref TrailBucketName
          IsLogging: true
          IsMultiRegionTrail: true
          IncludeGlobalServiceEvents: true
          EnableLogFileValidation: true
          CloudWatchLogsLogGroupArn: !GetAtt TrailLogGroup.Arn
          CloudWatchLogsRoleArn: !GetAtt TrailDeliveryRole.Arn
      UnauthorizedApiCallsFilter:
        Type: AWS::Logs::MetricFilter
        Properties:
          LogGroupName: !Ref TrailLogGroup
          FilterPattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress != "delivery.logs.amazonaws.com") || ($.eventName != "HeadBucket") }'
          MetricTransformations:
            - MetricName: UnauthorizedAPICalls
              MetricNamespace: CISBenchmark
              MetricValue: "1"
      UnauthorizedApiCallsAlarm:
        Type: AWS::CloudWatch::Alarm
        Properties:
          AlarmName: cis-unauthorized-api-calls
          MetricName: UnauthorizedAPICalls
          Namespace: CISBenchmark
          Statistic: Sum
          Period: 300
          EvaluationPeriods: 1
          Threshold: 1
          ComparisonOperator: GreaterThanOrEqualToThreshold
          AlarmActions:
            - !Ref AlarmTopicArn
  YAML
}
