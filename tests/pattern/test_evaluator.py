"""The evaluator: AWS's matching semantics, especially the ones that decide CIS verdicts."""

import json

import pytest

from trailguard.pattern.evaluator import matches, split_fields

EVENT = {
    "eventSource": "s3.amazonaws.com",
    "eventName": "GetObject",
    "errorCode": "AccessDenied",
    "sourceIPAddress": "203.0.113.10",
    "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/alice"},
    "readOnly": True,
    "requestParameters": None,
    "bytes": 1500,
    "resources": [{"ARN": "arn:aws:s3:::logs", "type": "AWS::S3::Bucket"}, {"ARN": "arn:aws:s3:::data"}],
}


@pytest.mark.parametrize(("pattern", "expected"), [
    ('{ $.errorCode = "AccessDenied" }', True),
    ('{ $.errorCode = "accessdenied" }', False),           # case-sensitive
    ('{ $.errorCode = "Access" }', False),                  # anchored: no substring match
    ('{ $.errorCode = "Access*" }', True),
    ('{ $.errorCode = "*Denied" }', True),
    ('{ $.errorCode = "*ess*ni*" }', True),
    ('{ $.errorCode = AccessDenied* }', True),              # bare value
    ('{ $.errorCode != "AccessDenied" }', False),
    ('{ $.errorCode != "Throttling*" }', True),
    ('{ $.errorMessage = "*" }', False),                    # absent field: = is false
    ('{ $.errorMessage != "x" }', False),                   # absent field: != is false too
    ('{ $.errorMessage NOT EXISTS }', True),
    ('{ $.errorCode NOT EXISTS }', False),
    ('{ $.userIdentity = "*" }', False),                    # object field: = is false
    ('{ $.userIdentity != "x" }', False),                   # object field: != is false
    ('{ $.userIdentity.type = "IAMUser" }', True),
    ('{ $.readOnly IS TRUE }', True),
    ('{ $.readOnly IS FALSE }', False),
    ('{ $.requestParameters IS NULL }', True),
    ('{ $.errorCode IS NULL }', False),
    ('{ $.bytes > 1000 }', True),
    ('{ $.bytes = 1500 }', True),
    ('{ $.bytes = 1500.0 }', True),
    ('{ $.bytes != 1500 }', False),
    ('{ $.bytes = "1500" }', False),                        # a string never equals a number
    ('{ $.eventName > 5 }', False),                         # and a number never compares with a string
    ('{ $.resources[0].ARN = "arn:aws:s3:::logs" }', True),
    ('{ $.resources[1].ARN = "arn:aws:s3:::logs" }', False),
    ('{ $.resources[5].ARN = "*" }', False),
    ('{ $.resources[*].ARN = "arn:aws:s3:::data" }', True),
    ('{ $.resources[1].type NOT EXISTS }', True),
    ('{ $.errorCode = %Denied% }', True),                   # regex: searched anywhere
    ('{ $.errorCode = %^Denied% }', False),
    ('{ $.errorCode != %Throttl% }', True),
    ('{ $.sourceIPAddress = %^\\d+\\.\\d+\\.\\d+\\.\\d+$% }', True),
    ('{ $.errorCode = "AccessDenied" && $.eventName = "GetObject" }', True),
    ('{ $.errorCode = "AccessDenied" && $.eventName = "PutObject" }', False),
    ('{ $.eventName = "PutObject" || $.errorCode = "AccessDenied" && $.readOnly IS TRUE }', True),
    ('{ ($.eventName = "PutObject" || $.errorCode = "AccessDenied") && $.readOnly IS FALSE }', False),
    ("", True),
])
def test_json_semantics(pattern, expected):
    assert matches(pattern, EVENT) is expected


def test_the_or_bug_counts_an_ordinary_successful_call():
    or_bug = ('{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || '
              '($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }')
    ordinary = {"eventSource": "ec2.amazonaws.com", "eventName": "DescribeInstances", "sourceIPAddress": "203.0.113.10",
                "userIdentity": {"type": "IAMUser"}}
    assert matches(or_bug, ordinary)


def test_json_patterns_read_raw_json_text_and_never_match_non_json():
    assert matches('{ $.errorCode = "AccessDenied" }', json.dumps(EVENT))
    assert not matches('{ $.errorCode = "AccessDenied" }', "AccessDenied at 10:00")
    assert not matches('{ $.errorCode = "AccessDenied" }', "[1, 2]")


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    ("ERROR", "[ERROR] disk full", True),
    ("ERROR", "[error] disk full", False),
    ("ERROR disk", "[ERROR] disk full", True),
    ("ERROR memory", "[ERROR] disk full", False),
    ("?ERROR ?WARN", "[WARN] disk full", True),
    ("?ERROR ?WARN", "[INFO] disk full", False),
    ("ERROR -disk", "[ERROR] disk full", False),
    ('"disk full"', "[ERROR] disk full", True),
    ("%ERR[A-Z]+%", "[ERROR] disk full", True),
])
def test_term_patterns_search_the_raw_text(pattern, text, expected):
    assert matches(pattern, text) is expected


def test_term_patterns_see_a_json_event_as_its_text():
    assert matches("AccessDenied", EVENT)
    assert not matches("UnauthorizedOperation", EVENT)


LINE = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 1534'


@pytest.mark.parametrize(("pattern", "expected"), [
    ("[ip, identity, user, timestamp, request, status, size]", True),
    ("[ip, identity, user, timestamp, request, status=404, size]", True),
    ("[ip, identity, user, timestamp, request, status=4*, size]", True),
    ("[ip, identity, user, timestamp, request, status=5* || status=4*, size>1000]", True),
    ("[ip, identity, user, timestamp, request, status=200, size]", False),
    ("[ip, ..., status=404, size]", True),
    ("[..., size<1000]", False),
    ("[ip, user]", True),                                   # the last field takes the rest of the line
    ("[ip, user=frank]", False),
    ("[ip, ..., bytes=1534]", True),
    ("[ip, ..., status=404]", False),
])
def test_space_delimited_patterns_read_fields_by_position(pattern, expected):
    assert matches(pattern, LINE) is expected


def test_split_fields_keeps_quoted_and_bracketed_runs_together():
    assert split_fields(LINE) == ["127.0.0.1", "-", "frank", "10/Oct/2000:13:25:15 -0700",
                                  "GET /apache_pb.gif HTTP/1.0", "404", "1534"]


def test_a_one_megabyte_value_is_evaluated_quickly():
    event = {"errorCode": "A" * 1_000_000 + "UnauthorizedOperation"}
    assert matches('{ $.errorCode = "*UnauthorizedOperation" }', event)
    assert not matches('{ $.errorCode = "*a*b*c*d*e*f" }', event)
