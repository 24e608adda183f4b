"""The ARN rules both adapters share."""

import pytest

from trailguard.arns import is_sns_topic_arn, log_group_name


@pytest.mark.parametrize(("arn", "expected"), [
    ("arn:aws:sns:us-east-1:111122223333:security-alerts", True),
    ("arn:aws-us-gov:sns:us-gov-west-1:111122223333:alerts", True),
    ("arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:alerts", True),
    ("arn:aws:lambda:us-east-1:111122223333:function:sns:prod", False),
    ("arn:aws:lambda:us-east-1:111122223333:function:pager", False),
    ("sns", False),
    ("", False),
])
def test_sns_topic_arns(arn, expected):
    assert is_sns_topic_arn(arn) is expected


@pytest.mark.parametrize(("arn", "expected"), [
    ("arn:aws:logs:us-east-1:111122223333:log-group:cloudtrail:*", "cloudtrail"),
    ("arn:aws:logs:us-east-1:111122223333:log-group:aws-cloudtrail-logs/org", "aws-cloudtrail-logs/org"),
    ("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${TrailLogGroup}:*", "${TrailLogGroup}"),
    ("arn:aws:sns:us-east-1:111122223333:log-group:x", None),
    ("cloudtrail", None),
])
def test_log_group_names(arn, expected):
    assert log_group_name(arn) == expected

