"""Filter-pattern / log-event pairs transcribed from AWS public documentation.

Each entry of ``EXAMPLES`` is a dict with these keys:

* ``source``: the exact URL of the AWS page the pattern (and, unless ``note`` says otherwise, the event)
  came from.
* ``pattern``: the CloudWatch Logs filter pattern, exactly as printed.
* ``event``: the log event. A ``dict`` for JSON events, a ``str`` for plain-text lines.
* ``matches``: the expected result.
* ``note``: ``""`` when the doc states the result outright. Otherwise it starts with one of:

  - ``"inferred"``: the doc implies the result but does not state it for this exact event. This covers
    extracted fields shown, "you can test with these events" lists, and a pattern and an event taken from
    two AWS pages. Everything after ``"inferred"`` is explanation.
  - ``"suspect"``: the doc states this result, but it contradicts the doc's own rules or other revisions.
    Do not assert these blindly: a suspect entry also has

* ``trailguard`` (suspect entries only): what trailguard does instead, the behaviour it chose and documents in
  docs/pattern-semantics.md ("Where the documentation is unclear"): ``True`` or ``False`` for the match it
  reports, or a string, the start of the syntax error it rejects the pattern with.

Where the text came from:

* CloudWatch Logs User Guide, current revision: ``FilterAndPatternSyntax.html`` (terms, JSON, space-delimited
  and regex sections), ``regex-expressions.html``, ``matching-terms-json-log-events.html``,
  ``FilterAndPatternSyntaxForMetricFilters.html``, and the metric-filter examples (``CountingLogEventsExample``,
  ``CountOccurrencesExample``, ``Counting404Responses``, ``FindCountMetric``, ``ExtractBytesExample``).
* Earlier revisions of ``FilterAndPatternSyntax`` from the archived official repository
  ``awsdocs/amazon-cloudwatch-logs-user-guide``, cited by commit URL. They hold the OR examples, the
  ``ThisFlag`` / ``users`` array examples and the unquoted ``nonmatch`` compound examples, which the current page
  no longer shows.
* AWS CloudTrail User Guide (CloudWatch alarm examples, console sign-in events, log file examples), IAM User
  Guide (``cloudtrail-integration.html``) and Security Hub CloudWatch.x controls. Those pages give patterns and
  events separately, so every pairing taken from them is ``inferred``.

Transcription rules:

* CloudTrail records are shown without the ``{"Records": [...]}`` wrapper, because CloudWatch Logs receives one
  record per log event. JSON ``null``, ``true`` and ``false`` are written as ``None``, ``True`` and ``False``.
  Everything else is kept as printed, including string-typed booleans such as ``"mfaAuthenticated": "false"``.
* Plain-text lines that the docs pass through a shell (``aws logs put-log-events ... message="..."``) are given
  without the shell escaping (``\\"`` becomes ``"``).
* Lines the docs repeat verbatim are listed once.

The docs were read through the ``search`` corpora and verbatim copies in the code index. See
``/tmp/research/aws-filter-facts.md`` (research notes) for quotes and caveats.
"""

# --------------------------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------------------------
_CWL = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/"
_FAPS = _CWL + "FilterAndPatternSyntax.html"
_FAPS_UNSTRUCTURED = _FAPS + "#matching-terms-unstructured-log-events"
_FAPS_JSON = _FAPS + "#matching-terms-json-log-events"
_FAPS_SPACE = _FAPS + "#matching-term-space-delimited-log-events"
_FAPS_REGEX_TERMS = _FAPS + "#matching-terms-regex"
_JSON_PAGE = _CWL + "matching-terms-json-log-events.html"
_REGEX_PAGE = _CWL + "regex-expressions.html"
_MF_SYNTAX = _CWL + "FilterAndPatternSyntaxForMetricFilters.html"
_COUNT_EVENTS = _CWL + "CountingLogEventsExample.html"
_COUNT_TERM = _CWL + "CountOccurrencesExample.html"
_COUNT_404 = _CWL + "Counting404Responses.html"
_COUNT_4XX = _CWL + "FindCountMetric.html"
_EXTRACT_BYTES = _CWL + "ExtractBytesExample.html"

_AWSDOCS_CWL = "https://github.com/awsdocs/amazon-cloudwatch-logs-user-guide/blob/"
_OLD_FAPS = _AWSDOCS_CWL + "5ae5c9aeccbdc909d7549b9260291ce7ed2a92f3/doc_source/FilterAndPatternSyntax.md"
_OLDER_FAPS = _AWSDOCS_CWL + "1487b9496d8366bf7039a1efbeeb3a0702b42c50/doc_source/FilterAndPatternSyntax.md"

_CT = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
_CT_ALARMS = _CT + "cloudwatch-alarms-for-cloudtrail.html"
_CT_SIGNIN = _CT + "cloudtrail-event-reference-aws-console-sign-in-events.html"
_CT_LOG_EXAMPLES = _CT + "cloudtrail-log-file-examples.html"
_IAM_CT = "https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html"
_SECURITYHUB_CW = "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html"

# --------------------------------------------------------------------------------------------------------------
# Shared plain-text events
# --------------------------------------------------------------------------------------------------------------
_E400 = "[ERROR 400] BAD REQUEST"
_E401 = "[ERROR 401] UNAUTHORIZED REQUEST"
_E419 = "[ERROR 419] MISSING ARGUMENTS"
_E420 = "[ERROR 420] INVALID ARGUMENTS"
_E500 = "[ERROR 500] INTERNAL SERVER ERROR"

# OLD FilterAndPatternSyntax "OR Pattern Matching" sample lines (numbered 1, 2, 3 in the doc).
_OR_1 = "ERROR WARN message"
_OR_2 = "ERROR message"
_OR_3 = "WARN message"

# FAPS space-delimited sample event.
_APACHE_PROD = '127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534'

# FAPS "Space-delimited log event" list used for the w1/w2 and resource-URI examples.
_SVC_GET = "INFO 09/25/2014 12:00:00 GET /service/resource/67 1200"
_SVC_POST = "INFO 09/25/2014 12:00:01 POST /service/resource/67/part/111 1310"
_SVC_WARN = "WARNING 09/25/2014 12:00:02 Invalid user request"
_SVC_ERROR = "ERROR 09/25/2014 12:00:02 Failed to process request"

# Apache lines from FindCountMetric / ExtractBytesExample (duplicates in the doc listed once).
_APACHE_404_INDEX = '127.0.0.1 - - [24/Sep/2013:11:49:52 -0700] "GET /index.html HTTP/1.1" 404 287'
_APACHE_200_TEST = '127.0.0.1 - - [24/Sep/2013:11:50:51 -0700] "GET /~test/ HTTP/1.1" 200 3'
_APACHE_404_FAVICON = '127.0.0.1 - - [24/Sep/2013:11:50:51 -0700] "GET /favicon.ico HTTP/1.1" 404 308'
_APACHE_200_TEST_INDEX = '127.0.0.1 - - [24/Sep/2013:11:51:34 -0700] "GET /~test/index.html HTTP/1.1" 200 3'

# --------------------------------------------------------------------------------------------------------------
# Shared JSON events
# --------------------------------------------------------------------------------------------------------------
# FAPS / matching-terms-json-log-events.html "JSON log event" (current revision, with "cluster.name").
_JSON_EVENT = {
    "eventType": "UpdateTrail",
    "sourceIPAddress": "111.111.111.111",
    "arrayKey": ["value", "another value"],
    "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
    "SomeObject": None,
    "cluster.name": "c",
}

# OLD FilterAndPatternSyntax "JSON Metric Filter Examples" event (with "ThisFlag").
_JSON_EVENT_OLD = {
    "eventType": "UpdateTrail",
    "sourceIPAddress": "111.111.111.111",
    "arrayKey": ["value", "another value"],
    "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
    "SomeObject": None,
    "ThisFlag": True,
}

# FilterAndPatternSyntaxForMetricFilters.html dimensions example event (no SomeObject).
_JSON_EVENT_DIMENSIONS = {
    "eventType": "UpdateTrail",
    "sourceIPAddress": "111.111.111.111",
    "arrayKey": ["value", "another value"],
    "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
}

# FAPS / OLD compound-expression "JSON object".
_JSON_COMPOUND = {
    "user": {"id": 1, "email": "John.Stiles@example.com"},
    "users": [
        {"id": 2, "email": "John.Doe@example.com"},
        {"id": 3, "email": "Jane.Doe@example.com"},
    ],
    "actions": ["GET", "PUT", "DELETE"],
    "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]],
}

# --------------------------------------------------------------------------------------------------------------
# CloudTrail records (for the inferred CloudTrail / Security Hub pairings)
# --------------------------------------------------------------------------------------------------------------
_UA_FIREFOX_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:62.0) Gecko/20100101 Firefox/62.0"
_UA_CHROME_67 = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/67.0.3396.99 Safari/537.36"
)
_UA_CHROME_68 = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/68.0.3440.106 Safari/537.36"
)
_UA_FIREFOX_WIN = "Mozilla/5.0 (Windows NT 6.1; WOW64; rv:24.0) Gecko/20100101 Firefox/24.0"
_LOGIN_TO_HOME = "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true"
_UA_CLI = (
    "aws-cli/2.13.5 Python/3.11.4 Linux/4.14.255-314-253.539.amzn2.x86_64 exec-env/CloudShell "
    "exe/x86_64.amzn.2 prompt/off command/"
)
_UA_CLI_UPDATE_TRAIL = (
    "aws-cli/2.13.0 Python/3.11.4 Linux/4.14.255-314-253.539.amzn2.x86_64 exec-env/CloudShell "
    "exe/x86_64.amzn.2 prompt/off command/cloudtrail.update-trail"
)

# Console sign-in events page: IAM user Anaya, success without MFA.
_CT_SIGNIN_IAM_SUCCESS_NO_MFA = {
    "eventVersion": "1.05",
    "userIdentity": {
        "type": "IAMUser",
        "principalId": "AIDACKCEVSQ6C2EXAMPLE",
        "arn": "arn:aws:iam::111122223333:user/anaya",
        "accountId": "111122223333",
        "userName": "anaya",
    },
    "eventTime": "2018-08-29T16:24:34Z",
    "eventSource": "signin.amazonaws.com",
    "eventName": "ConsoleLogin",
    "awsRegion": "us-east-2",
    "sourceIPAddress": "192.0.2.0",
    "userAgent": _UA_FIREFOX_MAC,
    "requestParameters": None,
    "responseElements": {"ConsoleLogin": "Success"},
    "additionalEventData": {
        "MobileVersion": "No",
        "LoginTo": "https://console.aws.amazon.com/sns",
        "MFAUsed": "No",
    },
    "eventID": "3fcfb182-98f8-4744-bd45-10a395ab61cb",
    "eventType": "AwsConsoleSignin",
}

# Console sign-in events page: IAM user Anaya, success with MFA.
_CT_SIGNIN_IAM_SUCCESS_MFA = {
    "eventVersion": "1.05",
    "userIdentity": {
        "type": "IAMUser",
        "principalId": "AIDACKCEVSQ6C2EXAMPLE",
        "arn": "arn:aws:iam::111122223333:user/anaya",
        "accountId": "111122223333",
        "userName": "anaya",
    },
    "eventTime": "2018-07-24T18:34:07Z",
    "eventSource": "signin.amazonaws.com",
    "eventName": "ConsoleLogin",
    "awsRegion": "us-east-1",
    "sourceIPAddress": "192.0.2.0",
    "userAgent": _UA_CHROME_67,
    "requestParameters": None,
    "responseElements": {"ConsoleLogin": "Success"},
    "additionalEventData": {
        "LoginTo": _LOGIN_TO_HOME,
        "MobileVersion": "No",
        "MFAUsed": "Yes",
    },
    "eventID": "fed06f42-cb12-4764-8c69-121063dc79b9",
    "eventType": "AwsConsoleSignIn",
    "recipientAccountId": "111122223333",
}

# Console sign-in events page: IAM user Anaya, failed sign-in (no errorCode, no arn).
_CT_SIGNIN_IAM_FAILURE = {
    "eventVersion": "1.05",
    "userIdentity": {
        "type": "IAMUser",
        "principalId": "AIDACKCEVSQ6C2EXAMPLE",
        "accountId": "111122223333",
        "accessKeyId": "",
        "userName": "anaya",
    },
    "eventTime": "2018-07-24T18:32:11Z",
    "eventSource": "signin.amazonaws.com",
    "eventName": "ConsoleLogin",
    "awsRegion": "us-east-1",
    "sourceIPAddress": "192.0.2.0",
    "userAgent": _UA_CHROME_67,
    "errorMessage": "Failed authentication",
    "requestParameters": None,
    "responseElements": {"ConsoleLogin": "Failure"},
    "additionalEventData": {
        "LoginTo": _LOGIN_TO_HOME,
        "MobileVersion": "No",
        "MFAUsed": "Yes",
    },
    "eventID": "d38ce1b3-4575-4cb8-a632-611b8243bfc3",
    "eventType": "AwsConsoleSignIn",
    "recipientAccountId": "111122223333",
}

# Console sign-in events page: root user, success without MFA.
_CT_SIGNIN_ROOT_SUCCESS = {
    "eventVersion": "1.05",
    "userIdentity": {
        "type": "Root",
        "principalId": "AIDACKCEVSQ6C2EXAMPLE",
        "arn": "arn:aws:iam::111122223333:root",
        "accountId": "111122223333",
        "accessKeyId": "",
    },
    "eventTime": "2018-08-29T16:24:34Z",
    "eventSource": "signin.amazonaws.com",
    "eventName": "ConsoleLogin",
    "awsRegion": "us-east-1",
    "sourceIPAddress": "192.0.2.0",
    "userAgent": _UA_FIREFOX_MAC,
    "requestParameters": None,
    "responseElements": {"ConsoleLogin": "Success"},
    "additionalEventData": {
        "LoginTo": _LOGIN_TO_HOME,
        "MobileVersion": "No",
        "MFAUsed": "No",
    },
    "eventID": "deb1e1f9-c99b-4612-8e9f-21f93b5d79c0",
    "eventType": "AwsConsoleSignIn",
    "recipientAccountId": "111122223333",
}

# Console sign-in events page: root user, failed sign-in without MFA.
_CT_SIGNIN_ROOT_FAILURE = {
    "eventVersion": "1.05",
    "userIdentity": {
        "type": "Root",
        "principalId": "AIDACKCEVSQ6C2EXAMPLE",
        "arn": "arn:aws:iam::111122223333:root",
        "accountId": "111122223333",
        "accessKeyId": "",
    },
    "eventTime": "2018-08-25T18:10:29Z",
    "eventSource": "signin.amazonaws.com",
    "eventName": "ConsoleLogin",
    "awsRegion": "us-east-1",
    "sourceIPAddress": "192.0.2.0",
    "userAgent": _UA_CHROME_68,
    "errorMessage": "Failed authentication",
    "requestParameters": None,
    "responseElements": {"ConsoleLogin": "Failure"},
    "additionalEventData": {
        "LoginTo": _LOGIN_TO_HOME,
        "MobileVersion": "No",
        "MFAUsed": "No",
    },
    "eventID": "a4fbbe77-91a0-4238-804a-64314184edb6",
    "eventType": "AwsConsoleSignIn",
    "recipientAccountId": "111122223333",
}

# IAM User Guide cloudtrail-integration.html: sign-in failure caused by an incorrect user name.
_IAM_SIGNIN_HIDDEN_USER = {
    "eventVersion": "1.05",
    "userIdentity": {
        "type": "IAMUser",
        "accountId": "123456789012",
        "accessKeyId": "",
        "userName": "HIDDEN_DUE_TO_SECURITY_REASONS",
    },
    "eventTime": "2015-03-31T22:20:42Z",
    "eventSource": "signin.amazonaws.com",
    "eventName": "ConsoleLogin",
    "awsRegion": "us-east-2",
    "sourceIPAddress": "192.0.2.101",
    "userAgent": _UA_FIREFOX_WIN,
    "errorMessage": "No username found in supplied account",
    "requestParameters": None,
    "responseElements": {"ConsoleLogin": "Failure"},
    "additionalEventData": {
        "LoginTo": _LOGIN_TO_HOME,
        "MobileVersion": "No",
        "MFAUsed": "No",
    },
    "eventID": "a7654656-0417-45c6-9386-ea8231385051",
    "eventType": "AwsConsoleSignin",
    "recipientAccountId": "123456789012",
}

# IAM User Guide cloudtrail-integration.html: failed sign-in (JaneDoe), no eventType/recipientAccountId.
_IAM_SIGNIN_FAILURE = {
    "eventVersion": "1.05",
    "userIdentity": {
        "type": "IAMUser",
        "principalId": "AIDACKCEVSQ6C2EXAMPLE",
        "arn": "arn:aws:iam::111122223333:user/JaneDoe",
        "accountId": "111122223333",
        "userName": "JaneDoe",
    },
    "eventTime": "2014-07-08T17:35:27Z",
    "eventSource": "signin.amazonaws.com",
    "eventName": "ConsoleLogin",
    "awsRegion": "us-east-2",
    "sourceIPAddress": "192.0.2.100",
    "userAgent": _UA_FIREFOX_WIN,
    "errorMessage": "Failed authentication",
    "requestParameters": None,
    "responseElements": {"ConsoleLogin": "Failure"},
    "additionalEventData": {
        "MobileVersion": "No",
        "LoginTo": "https://console.aws.amazon.com/sns",
        "MFAUsed": "No",
    },
    "eventID": "11ea990b-4678-4bcd-8fbe-62509088b7cf",
}


# Shared pieces of the 2023 CloudTrail log-file examples.
_SESSION_CONTEXT_2023 = {
    "sessionIssuer": {},
    "webIdFederationData": {},
    "attributes": {"creationDate": "2023-07-19T21:11:57Z", "mfaAuthenticated": "false"},
}
_TLS_EC2 = {
    "tlsVersion": "TLSv1.2",
    "cipherSuite": "ECDHE-RSA-AES128-GCM-SHA256",
    "clientProvidedHostHeader": "ec2.us-east-1.amazonaws.com",
}
_TLS_IAM = {
    "tlsVersion": "TLSv1.2",
    "cipherSuite": "ECDHE-RSA-AES128-GCM-SHA256",
    "clientProvidedHostHeader": "iam.amazonaws.com",
}
_TLS_CLOUDTRAIL = {
    "tlsVersion": "TLSv1.2",
    "cipherSuite": "ECDHE-RSA-AES128-GCM-SHA256",
    "clientProvidedHostHeader": "cloudtrail.us-east-1.amazonaws.com",
}

# CloudTrail log file examples: Mateo runs StartInstances.
_CT_START_INSTANCES = {
    "eventVersion": "1.08",
    "userIdentity": {
        "type": "IAMUser",
        "principalId": "EXAMPLE6E4XEGITWATV6R",
        "arn": "arn:aws:iam::123456789012:user/Mateo",
        "accountId": "123456789012",
        "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
        "userName": "Mateo",
        "sessionContext": _SESSION_CONTEXT_2023,
    },
    "eventTime": "2023-07-19T21:17:28Z",
    "eventSource": "ec2.amazonaws.com",
    "eventName": "StartInstances",
    "awsRegion": "us-east-1",
    "sourceIPAddress": "192.0.2.0",
    "userAgent": _UA_CLI + "ec2.start-instances",
    "requestParameters": {
        "instancesSet": {"items": [{"instanceId": "i-EXAMPLE56126103cb"}, {"instanceId": "i-EXAMPLEaff4840c22"}]}
    },
    "responseElements": {
        "requestId": "e4336db0-149f-4a6b-844d-EXAMPLEb9d16",
        "instancesSet": {
            "items": [
                {
                    "instanceId": "i-EXAMPLEaff4840c22",
                    "currentState": {"code": 0, "name": "pending"},
                    "previousState": {"code": 80, "name": "stopped"},
                },
                {
                    "instanceId": "i-EXAMPLE56126103cb",
                    "currentState": {"code": 0, "name": "pending"},
                    "previousState": {"code": 80, "name": "stopped"},
                },
            ]
        },
    },
    "requestID": "e4336db0-149f-4a6b-844d-EXAMPLEb9d16",
    "eventID": "e755e09c-42f9-4c5c-9064-EXAMPLE228c7",
    "readOnly": False,
    "eventType": "AwsApiCall",
    "managementEvent": True,
    "recipientAccountId": "123456789012",
    "eventCategory": "Management",
    "tlsDetails": _TLS_EC2,
    "sessionCredentialFromConsole": "true",
}

# CloudTrail log file examples: Nikki runs StopInstances.
_CT_STOP_INSTANCES = {
    "eventVersion": "1.08",
    "userIdentity": {
        "type": "IAMUser",
        "principalId": "EXAMPLE6E4XEGITWATV6R",
        "arn": "arn:aws:iam::777788889999:user/Nikki",
        "accountId": "777788889999",
        "accessKeyId": "AKIAI44QH8DHBEXAMPLE",
        "userName": "Nikki",
        "sessionContext": _SESSION_CONTEXT_2023,
    },
    "eventTime": "2023-07-19T21:14:20Z",
    "eventSource": "ec2.amazonaws.com",
    "eventName": "StopInstances",
    "awsRegion": "us-east-1",
    "sourceIPAddress": "192.0.2.0",
    "userAgent": _UA_CLI + "ec2.stop-instances",
    "requestParameters": {
        "instancesSet": {"items": [{"instanceId": "i-EXAMPLE56126103cb"}, {"instanceId": "i-EXAMPLEaff4840c22"}]},
        "force": False,
    },
    "responseElements": {
        "requestId": "c308a950-e43e-444e-afc1-EXAMPLE73e49",
        "instancesSet": {
            "items": [
                {
                    "instanceId": "i-EXAMPLE56126103cb",
                    "currentState": {"code": 64, "name": "stopping"},
                    "previousState": {"code": 16, "name": "running"},
                },
                {
                    "instanceId": "i-EXAMPLEaff4840c22",
                    "currentState": {"code": 64, "name": "stopping"},
                    "previousState": {"code": 16, "name": "running"},
                },
            ]
        },
    },
    "requestID": "c308a950-e43e-444e-afc1-EXAMPLE73e49",
    "eventID": "9357a8cc-a0eb-46a1-b67e-EXAMPLE19b14",
    "readOnly": False,
    "eventType": "AwsApiCall",
    "managementEvent": True,
    "recipientAccountId": "777788889999",
    "eventCategory": "Management",
    "tlsDetails": _TLS_EC2,
    "sessionCredentialFromConsole": "true",
}

# CloudTrail log file examples: Arnav runs CreateKeyPair.
_CT_CREATE_KEY_PAIR = {
    "eventVersion": "1.08",
    "userIdentity": {
        "type": "IAMUser",
        "principalId": "AIDA6ON6E4XEGIEXAMPLE",
        "arn": "arn:aws:iam::444455556666:user/Arnav",
        "accountId": "444455556666",
        "accessKeyId": "AKIAI44QH8DHBEXAMPLE",
        "userName": "Arnav",
        "sessionContext": _SESSION_CONTEXT_2023,
    },
    "eventTime": "2023-07-19T21:19:22Z",
    "eventSource": "ec2.amazonaws.com",
    "eventName": "CreateKeyPair",
    "awsRegion": "us-east-1",
    "sourceIPAddress": "192.0.2.0",
    "userAgent": _UA_CLI + "ec2.create-key-pair",
    "requestParameters": {"keyName": "my-key", "keyType": "rsa", "keyFormat": "pem"},
    "responseElements": {
        "requestId": "9aa4938f-720f-4f4b-9637-EXAMPLE9a196",
        "keyName": "my-key",
        "keyFingerprint": "1f:51:ae:28:bf:89:e9:d8:1f:25:5d:37:2d:7d:b8:ca:9f:f5:f1:6f",
        "keyPairId": "key-abcd12345eEXAMPLE",
        "keyMaterial": "<sensitiveDataRemoved>",
    },
    "requestID": "9aa4938f-720f-4f4b-9637-EXAMPLE9a196",
    "eventID": "2ae450ff-e72b-4de1-87b0-EXAMPLE5227cb",
    "readOnly": False,
    "eventType": "AwsApiCall",
    "managementEvent": True,
    "recipientAccountId": "444455556666",
    "eventCategory": "Management",
    "tlsDetails": _TLS_EC2,
    "sessionCredentialFromConsole": "true",
}

# CloudTrail log file examples: Mary runs CreateUser.
_CT_CREATE_USER = {
    "eventVersion": "1.08",
    "userIdentity": {
        "type": "IAMUser",
        "principalId": "AIDA6ON6E4XEGITEXAMPLE",
        "arn": "arn:aws:iam::888888888888:user/Mary",
        "accountId": "888888888888",
        "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
        "userName": "Mary",
        "sessionContext": _SESSION_CONTEXT_2023,
    },
    "eventTime": "2023-07-19T21:25:09Z",
    "eventSource": "iam.amazonaws.com",
    "eventName": "CreateUser",
    "awsRegion": "us-east-1",
    "sourceIPAddress": "192.0.2.0",
    "userAgent": _UA_CLI + "iam.create-user",
    "requestParameters": {"userName": "Richard"},
    "responseElements": {
        "user": {
            "path": "/",
            "arn": "arn:aws:iam::888888888888:user/Richard",
            "userId": "AIDA6ON6E4XEP7EXAMPLE",
            "createDate": "Jul 19, 2023 9:25:09 PM",
            "userName": "Richard",
        }
    },
    "requestID": "2d528c76-329e-410b-9516-EXAMPLE565dc",
    "eventID": "ba0801a1-87ec-4d26-be87-EXAMPLE75bbb",
    "readOnly": False,
    "eventType": "AwsApiCall",
    "managementEvent": True,
    "recipientAccountId": "888888888888",
    "eventCategory": "Management",
    "tlsDetails": _TLS_IAM,
    "sessionCredentialFromConsole": "true",
}

# CloudTrail log file examples: "Error code and message log example" (Terry, UpdateTrail, TrailNotFoundException).
_CT_UPDATE_TRAIL_ERROR = {
    "eventVersion": "1.09",
    "userIdentity": {
        "type": "IAMUser",
        "principalId": "AIDA6ON6E4XEGIEXAMPLE",
        "arn": "arn:aws:iam::111122223333:user/Terry",
        "accountId": "111122223333",
        "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
        "userName": "Terry",
        "sessionContext": {"attributes": {"creationDate": "2023-07-19T21:11:57Z", "mfaAuthenticated": "false"}},
    },
    "eventTime": "2023-07-19T21:35:03Z",
    "eventSource": "cloudtrail.amazonaws.com",
    "eventName": "UpdateTrail",
    "awsRegion": "us-east-1",
    "sourceIPAddress": "192.0.2.0",
    "userAgent": _UA_CLI_UPDATE_TRAIL,
    "errorCode": "TrailNotFoundException",
    "errorMessage": (
        "Unknown trail: arn:aws:cloudtrail:us-east-1:111122223333:trail/myTrail2 for the user: 111122223333"
    ),
    "requestParameters": {"name": "myTrail2", "isMultiRegionTrail": True},
    "responseElements": None,
    "requestID": "28d2faaf-3319-4649-998d-EXAMPLE72818",
    "eventID": "694d604a-d190-4470-8dd1-EXAMPLEe20c1",
    "readOnly": False,
    "eventType": "AwsApiCall",
    "managementEvent": True,
    "recipientAccountId": "111122223333",
    "eventCategory": "Management",
    "tlsDetails": _TLS_CLOUDTRAIL,
    "sessionCredentialFromConsole": "true",
}

# --------------------------------------------------------------------------------------------------------------
# Patterns printed on CloudTrail / Security Hub pages (used with the records above)
# --------------------------------------------------------------------------------------------------------------
_P_SIGNIN_FAILURES = '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'
_P_AUTHZ_FAILURES = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'
_P_CLOUDTRAIL_CHANGES = (
    "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || "
    "($.eventName = StartLogging) || ($.eventName = StopLogging) }"
)
_P_EC2_INSTANCE_CHANGES = (
    "{ ($.eventName = RunInstances) || ($.eventName = RebootInstances) || ($.eventName = StartInstances) || "
    "($.eventName = StopInstances) || ($.eventName = TerminateInstances) }"
)
_P_IAM_POLICY_CHANGES = (
    "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||"
    "($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||"
    "($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||"
    "($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||"
    "($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||"
    "($.eventName=DetachGroupPolicy)}"
)
_P_SH_CW1_ROOT = (
    '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}'
)
_P_SH_CW2_UNAUTHORIZED = '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}'
_P_SH_CW3_NO_MFA = (
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
    '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'
)

_INF_CT = "inferred: pattern and event from different AWS pages"

EXAMPLES: list[dict] = [
    # ==========================================================================================================
    # Terms: current FilterAndPatternSyntax.html, "Using filter patterns to match terms in unstructured log events"
    # ==========================================================================================================
    {"source": _FAPS_UNSTRUCTURED, "pattern": "ERROR", "event": _E400, "matches": True, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "ERROR", "event": _E401, "matches": True, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "ERROR", "event": _E419, "matches": True, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "ERROR", "event": _E420, "matches": True, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "ERROR ARGUMENTS", "event": _E419, "matches": True, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "ERROR ARGUMENTS", "event": _E420, "matches": True, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "ERROR ARGUMENTS", "event": _E400, "matches": False, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "ERROR ARGUMENTS", "event": _E401, "matches": False, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "?ERROR ?ARGUMENTS", "event": _E400, "matches": True, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "?ERROR ?ARGUMENTS", "event": _E401, "matches": True, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "?ERROR ?ARGUMENTS", "event": _E419, "matches": True, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "?ERROR ?ARGUMENTS", "event": _E420, "matches": True, "note": ""},
    {
        "source": _FAPS_UNSTRUCTURED,
        "pattern": "?ERROR ?ARGUMENTS",
        "event": "[INFO] INVALID ARGUMENTS PROVIDED",
        "matches": True,
        "note": "newer revision of the unstructured-events section",
    },
    {
        "source": _FAPS_UNSTRUCTURED,
        "pattern": "?ERROR ?ARGUMENTS REQUEST",
        "event": "[INFO] REQUEST FAILED",
        "matches": True,
        "note": "doc: '?' terms are ignored when combined with other terms",
    },
    {
        "source": _FAPS_UNSTRUCTURED,
        "pattern": "?ERROR ?ARGUMENTS REQUEST",
        "event": "[WARN] UNAUTHORIZED REQUEST",
        "matches": True,
        "note": "doc: '?' terms are ignored when combined with other terms",
    },
    {
        "source": _FAPS_UNSTRUCTURED,
        "pattern": "?ERROR ?ARGUMENTS REQUEST",
        "event": "[ERROR] 400 BAD REQUEST",
        "matches": True,
        "note": "doc: '?' terms are ignored when combined with other terms",
    },
    {
        "source": _FAPS_UNSTRUCTURED,
        "pattern": "?ERROR ?ARGUMENTS REQUEST",
        "event": _E419,
        "matches": False,
        "note": "inferred: '?' terms ignored, so REQUEST is required and absent",
    },
    {"source": _FAPS_UNSTRUCTURED, "pattern": '"INTERNAL SERVER ERROR"', "event": _E500, "matches": True, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "ERROR -ARGUMENTS", "event": _E400, "matches": True, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "ERROR -ARGUMENTS", "event": _E401, "matches": True, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "ERROR -ARGUMENTS", "event": _E419, "matches": False, "note": ""},
    {"source": _FAPS_UNSTRUCTURED, "pattern": "ERROR -ARGUMENTS", "event": _E420, "matches": False, "note": ""},
    {
        "source": _FAPS_UNSTRUCTURED,
        "pattern": '" "',
        "event": _E400,
        "matches": True,
        "note": "doc: 'Match everything' pattern returns all log events",
    },
    # ==========================================================================================================
    # Terms: archived FilterAndPatternSyntax.md (awsdocs), "Matching Terms in Log Events" and OR examples
    # ==========================================================================================================
    {
        "source": _OLD_FAPS,
        "pattern": "",
        "event": _OR_1,
        "matches": True,
        "note": 'inferred: doc says the filter pattern "" matches all log events',
    },
    {
        "source": _OLD_FAPS,
        "pattern": "ERROR",
        "event": "[ERROR] A fatal exception has occurred",
        "matches": True,
        "note": "",
    },
    {
        "source": _OLD_FAPS,
        "pattern": "ERROR",
        "event": "Exiting with ERRORCODE: -1",
        "matches": True,
        "note": "term matches a substring (ERRORCODE)",
    },
    {
        "source": _OLD_FAPS,
        "pattern": "ERROR -Exiting",
        "event": "Exiting with ERRORCODE: -1",
        "matches": False,
        "note": 'prose writes the pattern as "ERROR" - "Exiting"',
    },
    {
        "source": _OLD_FAPS,
        "pattern": "ERROR -Exiting",
        "event": "[ERROR] A fatal exception has occurred",
        "matches": True,
        "note": 'inferred: prose writes the pattern as "ERROR" - "Exiting"',
    },
    {
        "source": _OLD_FAPS,
        "pattern": "ERROR Exception",
        "event": "[ERROR] Caught IllegalArgumentException",
        "matches": True,
        "note": "term matches a substring (IllegalArgumentException)",
    },
    {
        "source": _OLD_FAPS,
        "pattern": "ERROR Exception",
        "event": "[ERROR] Unhandled Exception",
        "matches": True,
        "note": "",
    },
    {
        "source": _OLD_FAPS,
        "pattern": "Failed to process the request",
        "event": "[WARN] Failed to process the request",
        "matches": True,
        "note": "unquoted: all terms must appear",
    },
    {
        "source": _OLD_FAPS,
        "pattern": "Failed to process the request",
        "event": "[ERROR] Unable to continue: Failed to process the request",
        "matches": True,
        "note": "unquoted: all terms must appear",
    },
    {"source": _OLD_FAPS, "pattern": "ERROR", "event": _OR_1, "matches": True, "note": ""},
    {"source": _OLD_FAPS, "pattern": "ERROR", "event": _OR_2, "matches": True, "note": ""},
    {"source": _OLD_FAPS, "pattern": "ERROR", "event": _OR_3, "matches": False, "note": ""},
    {"source": _OLD_FAPS, "pattern": "?ERROR ?WARN", "event": _OR_1, "matches": True, "note": ""},
    {"source": _OLD_FAPS, "pattern": "?ERROR ?WARN", "event": _OR_2, "matches": True, "note": ""},
    {"source": _OLD_FAPS, "pattern": "?ERROR ?WARN", "event": _OR_3, "matches": True, "note": ""},
    {"source": _OLD_FAPS, "pattern": "ERROR WARN", "event": _OR_1, "matches": True, "note": ""},
    {"source": _OLD_FAPS, "pattern": "ERROR WARN", "event": _OR_2, "matches": False, "note": ""},
    {"source": _OLD_FAPS, "pattern": "ERROR WARN", "event": _OR_3, "matches": False, "note": ""},
    {"source": _OLD_FAPS, "pattern": "ERROR -WARN", "event": _OR_2, "matches": True, "note": ""},
    {"source": _OLD_FAPS, "pattern": "ERROR -WARN", "event": _OR_1, "matches": False, "note": "inferred"},
    {"source": _OLD_FAPS, "pattern": "ERROR -WARN", "event": _OR_3, "matches": False, "note": "inferred"},
    # Space-delimited OR examples on the same three lines.
    {"source": _OLD_FAPS, "pattern": "[w1=ERROR, w2]", "event": _OR_2, "matches": True, "note": ""},
    {
        "source": _OLD_FAPS,
        "pattern": "[w1=ERROR, w2]",
        "event": _OR_1,
        "matches": False,
        "note": "suspect: older revision; the current page matches lines with more words than fields",
        "trailguard": True,
    },
    {"source": _OLD_FAPS, "pattern": "[w1=ERROR, w2]", "event": _OR_3, "matches": False, "note": "inferred"},
    {"source": _OLD_FAPS, "pattern": "[w1=ERROR || w1=WARN, w2]", "event": _OR_2, "matches": True, "note": ""},
    {"source": _OLD_FAPS, "pattern": "[w1=ERROR || w1=WARN, w2]", "event": _OR_3, "matches": True, "note": ""},
    {
        "source": _OLD_FAPS,
        "pattern": "[w1=ERROR || w1=WARN, w2]",
        "event": _OR_1,
        "matches": False,
        "note": "suspect: older revision; the current page matches lines with more words than fields",
        "trailguard": True,
    },
    {
        "source": _OLD_FAPS,
        "pattern": "[w1!=ERROR&&w1!=WARN, w2]",
        "event": _OR_1,
        "matches": True,
        "note": "suspect: doc says it matches line 1, yet w1 is ERROR and the line has 3 words",
        "trailguard": False,
    },
    {"source": _OLD_FAPS, "pattern": "[w1!=ERROR&&w1!=WARN, w2]", "event": _OR_2, "matches": False, "note": "inferred"},
    {"source": _OLD_FAPS, "pattern": "[w1!=ERROR&&w1!=WARN, w2]", "event": _OR_3, "matches": False, "note": "inferred"},
    {
        "source": _OLDER_FAPS,
        "pattern": "[w1=!ERROR&&w1=!WARN, w2]",
        "event": _OR_1,
        "matches": True,
        "note": "suspect: older revision; '=!' spelling and the claimed match both look like doc errors",
        "trailguard": "unexpected '!', expected a value at column 5",
    },
    # JSON OR examples.
    {"source": _OLD_FAPS, "pattern": "{$.foo = bar}", "event": {"foo": "bar"}, "matches": True, "note": ""},
    {"source": _OLD_FAPS, "pattern": "{$.foo = bar}", "event": {"foo": "baz"}, "matches": False, "note": "inferred"},
    {"source": _OLD_FAPS, "pattern": "{$.foo = baz }", "event": {"foo": "baz"}, "matches": True, "note": ""},
    {"source": _OLD_FAPS, "pattern": "{$.foo = baz }", "event": {"foo": "bar"}, "matches": False, "note": "inferred"},
    {
        "source": _OLD_FAPS,
        "pattern": "{$.foo = bar || $.foo = baz }",
        "event": {"foo": "bar"},
        "matches": True,
        "note": "",
    },
    {
        "source": _OLD_FAPS,
        "pattern": "{$.foo = bar || $.foo = baz }",
        "event": {"foo": "baz"},
        "matches": True,
        "note": "",
    },
    # ==========================================================================================================
    # JSON: current FilterAndPatternSyntax.html "Using filter patterns to match terms in JSON log events"
    # (the same patterns and event appear on matching-terms-json-log-events.html)
    # ==========================================================================================================
    {
        "source": _FAPS_JSON,
        "pattern": '{ $.eventType = "UpdateTrail" }',
        "event": _JSON_EVENT,
        "matches": True,
        "note": "",
    },
    {
        "source": _FAPS_JSON,
        "pattern": "{ $.sourceIPAddress != 123.123.* }",
        "event": _JSON_EVENT,
        "matches": True,
        "note": "",
    },
    {
        "source": _FAPS_JSON,
        "pattern": '{ $.arrayKey[0] = "value" }',
        "event": _JSON_EVENT,
        "matches": True,
        "note": "",
    },
    {
        "source": _FAPS_JSON,
        "pattern": "{ $.eventType = %Trail% }",
        "event": _JSON_EVENT,
        "matches": True,
        "note": "regex in a JSON value is an unanchored search",
    },
    {
        "source": _FAPS_JSON,
        "pattern": "{ $.arrayKey[*] = %val.{2}% }",
        "event": _JSON_EVENT,
        "matches": True,
        "note": "",
    },
    {
        "source": _FAPS_JSON,
        "pattern": r"{ $.* = %111\.111\.111\.1[0-9]{1,2}% }",
        "event": _JSON_EVENT,
        "matches": True,
        "note": "",
    },
    {
        "source": _FAPS_JSON,
        "pattern": "{ $.['cluster.name'] = \"c\" }",
        "event": _JSON_EVENT,
        "matches": True,
        "note": "",
    },
    {
        "source": _FAPS_JSON,
        "pattern": "{ $.SomeObject IS NULL }",
        "event": _JSON_EVENT,
        "matches": True,
        "note": "",
    },
    {
        "source": _FAPS_JSON,
        "pattern": "{ $.SomeOtherObject NOT EXISTS }",
        "event": _JSON_EVENT,
        "matches": True,
        "note": "",
    },
    # matching-terms-json-log-events.html: "This pattern works with any JSON logs containing an eventType field".
    {
        "source": _JSON_PAGE,
        "pattern": '{ $.eventType = "UpdateTrail" }',
        "event": {"eventType": "UpdateTrail", "source": "cloudtrail"},
        "matches": True,
        "note": "inferred: doc lists it as a log the pattern 'works with'",
    },
    {
        "source": _JSON_PAGE,
        "pattern": '{ $.eventType = "UpdateTrail" }',
        "event": {"eventType": "UserLogin", "userId": "123"},
        "matches": False,
        "note": "inferred: doc lists it as a log containing eventType, but the value differs",
    },
    {
        "source": _JSON_PAGE,
        "pattern": '{ $.eventType = "UpdateTrail" }',
        "event": {"eventType": "ConfigUpdate", "component": "database"},
        "matches": False,
        "note": "inferred: doc lists it as a log containing eventType, but the value differs",
    },
    # Compound expressions (current revision: "nonmatch" quoted).
    {
        "source": _FAPS_JSON,
        "pattern": '{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }',
        "event": _JSON_COMPOUND,
        "matches": True,
        "note": "",
    },
    {
        "source": _FAPS_JSON,
        "pattern": (
            '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" '
            '&& $.actions[2] = "nonmatch" }'
        ),
        "event": _JSON_COMPOUND,
        "matches": True,
        "note": "precedence: && binds tighter than ||",
    },
    {
        "source": _FAPS_JSON,
        "pattern": (
            '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") '
            '&& $.actions[2] = "nonmatch" }'
        ),
        "event": _JSON_COMPOUND,
        "matches": False,
        "note": "",
    },
    {
        "source": _FAPS_JSON,
        "pattern": '{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }',
        "event": _JSON_COMPOUND,
        "matches": False,
        "note": "",
    },
    # ==========================================================================================================
    # JSON: archived FilterAndPatternSyntax.md (awsdocs) examples that the current page dropped
    # ==========================================================================================================
    {
        "source": _OLD_FAPS,
        "pattern": '{ $.eventType = "UpdateTrail" }',
        "event": _JSON_EVENT_OLD,
        "matches": True,
        "note": "",
    },
    {
        "source": _OLD_FAPS,
        "pattern": "{ $.sourceIPAddress != 123.123.* }",
        "event": _JSON_EVENT_OLD,
        "matches": True,
        "note": "",
    },
    {
        "source": _OLD_FAPS,
        "pattern": '{ $.arrayKey[0] = "value" }',
        "event": _JSON_EVENT_OLD,
        "matches": True,
        "note": "",
    },
    {
        "source": _OLD_FAPS,
        "pattern": "{ $.objectList[1].id = 2 }",
        "event": _JSON_EVENT_OLD,
        "matches": True,
        "note": "",
    },
    {
        "source": _OLD_FAPS,
        "pattern": "{ $.ThisFlag IS TRUE }",
        "event": _JSON_EVENT_OLD,
        "matches": True,
        "note": "",
    },
    {
        "source": _OLD_FAPS,
        "pattern": "{ $.SomeObject IS NULL }",
        "event": _JSON_EVENT_OLD,
        "matches": True,
        "note": "",
    },
    {
        "source": _OLD_FAPS,
        "pattern": "{ $.SomeOtherObject NOT EXISTS }",
        "event": _JSON_EVENT_OLD,
        "matches": True,
        "note": "",
    },
    {
        "source": _OLD_FAPS,
        "pattern": "{$.users = 1}",
        "event": {"users": [1, 2, 3]},
        "matches": False,
        "note": "selector points to an array",
    },
    {
        "source": _OLD_FAPS,
        "pattern": "{$.users != 1}",
        "event": {"users": [1, 2, 3]},
        "matches": False,
        "note": "selector points to an array; != is false too",
    },
    {
        "source": _OLD_FAPS,
        "pattern": (
            '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }'
        ),
        "event": _JSON_COMPOUND,
        "matches": True,
        "note": "older revision with unquoted values",
    },
    {
        "source": _OLD_FAPS,
        "pattern": (
            '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }'
        ),
        "event": _JSON_COMPOUND,
        "matches": False,
        "note": "older revision with unquoted values",
    },
    # ==========================================================================================================
    # FilterAndPatternSyntaxForMetricFilters.html (dimensions and "Using values in log events")
    # ==========================================================================================================
    {
        "source": _MF_SYNTAX,
        "pattern": '{ $.eventType = "*" && $.sourceIPAddress != 123.123.* }',
        "event": _JSON_EVENT_DIMENSIONS,
        "matches": True,
        "note": "inferred: doc says the dimension value for this event is UpdateTrail",
    },
    {
        "source": _MF_SYNTAX,
        "pattern": "{ $.latency = * }",
        "event": {"latency": 50, "requestType": "GET"},
        "matches": True,
        "note": "",
    },
    {
        "source": _MF_SYNTAX,
        "pattern": "[ip, server, username, timestamp, request, status_code, bytes > 1000]",
        "event": _APACHE_PROD,
        "matches": True,
        "note": "inferred: doc shows the extracted fields for this event",
    },
    # ==========================================================================================================
    # Space-delimited: current FilterAndPatternSyntax.html
    # ==========================================================================================================
    {
        "source": _FAPS_SPACE,
        "pattern": r"[ip=%127\.0\.0\.[1-9]%, user, username, timestamp, request =*.html*, status_code = 4*, bytes]",
        "event": _APACHE_PROD,
        "matches": True,
        "note": "inferred: doc explains each condition against this event",
    },
    {
        "source": _FAPS_SPACE,
        "pattern": "[..., request =*.html*, status_code = 4*, bytes]",
        "event": _APACHE_PROD,
        "matches": True,
        "note": "inferred",
    },
    {
        "source": _FAPS_SPACE,
        "pattern": "[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]",
        "event": _APACHE_PROD,
        "matches": True,
        "note": "inferred",
    },
    {
        "source": _FAPS,
        "pattern": "[ip, user, username, timestamp, request =*.html*, status_code = 4*, bytes]",
        "event": _APACHE_PROD,
        "matches": True,
        "note": "inferred: earlier revision shows the extracted fields for this event",
    },
    {
        "source": _FAPS_SPACE,
        "pattern": "[w1=ERROR, w2]",
        "event": _SVC_ERROR,
        "matches": True,
        "note": "inferred: conflict: 2 fields vs a 7-word line; the older doc implies no match",
    },
    {"source": _FAPS_SPACE, "pattern": "[w1=ERROR, w2]", "event": _SVC_GET, "matches": False, "note": "inferred"},
    {"source": _FAPS_SPACE, "pattern": "[w1=ERROR, w2]", "event": _SVC_WARN, "matches": False, "note": "inferred"},
    {
        "source": _FAPS_SPACE,
        "pattern": "[w1=ERROR || w1=WARNING, w2]",
        "event": _SVC_WARN,
        "matches": True,
        "note": "inferred: conflict: 2 fields vs a 6-word line; the older doc implies no match",
    },
    {
        "source": _FAPS_SPACE,
        "pattern": "[w1=ERROR || w1=WARNING, w2]",
        "event": _SVC_ERROR,
        "matches": True,
        "note": "inferred: conflict: 2 fields vs a 7-word line; the older doc implies no match",
    },
    {
        "source": _FAPS_SPACE,
        "pattern": "[w1=ERROR || w1=WARNING, w2]",
        "event": _SVC_GET,
        "matches": False,
        "note": "inferred",
    },
    {
        "source": _FAPS_SPACE,
        "pattern": "[w1!=ERROR && w1!=WARNING, w2]",
        "event": _SVC_GET,
        "matches": True,
        "note": "inferred: conflict: 2 fields vs a 6-word line; the older doc implies no match",
    },
    {
        "source": _FAPS_SPACE,
        "pattern": "[w1!=ERROR && w1!=WARNING, w2]",
        "event": _SVC_ERROR,
        "matches": False,
        "note": "inferred",
    },
    {
        "source": _FAPS_SPACE,
        "pattern": "[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]",
        "event": _SVC_GET,
        "matches": True,
        "note": "inferred: 'matches the top level item in a resource URI'",
    },
    {
        "source": _FAPS_SPACE,
        "pattern": "[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]",
        "event": _SVC_POST,
        "matches": False,
        "note": "inferred: child URI fails the $ anchor",
    },
    {
        "source": _FAPS_SPACE,
        "pattern": "[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]",
        "event": _SVC_WARN,
        "matches": False,
        "note": "inferred",
    },
    {
        "source": _FAPS_SPACE,
        "pattern": "[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%, response_time]",
        "event": _SVC_POST,
        "matches": True,
        "note": "inferred: 'matches the child level item in a resource URI'",
    },
    {
        "source": _FAPS_SPACE,
        "pattern": "[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%, response_time]",
        "event": _SVC_GET,
        "matches": False,
        "note": "inferred",
    },
    # ==========================================================================================================
    # Space-delimited: archived FilterAndPatternSyntax.md (awsdocs) extracted-fields example
    # ==========================================================================================================
    {
        "source": _OLD_FAPS,
        "pattern": "[..., request=*.html*, status_code=4*,]",
        "event": '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534',
        "matches": True,
        "note": "inferred: doc shows extracted fields; the doc's \\\" escapes are removed",
    },
    # ==========================================================================================================
    # Regex: regex-expressions.html (and FilterAndPatternSyntax.html "match terms with regex")
    # ==========================================================================================================
    {"source": _REGEX_PAGE, "pattern": "%AUTHORIZED%", "event": _E401, "matches": True, "note": "unanchored search"},
    {
        "source": _REGEX_PAGE,
        "pattern": "%AUTHORIZED%",
        "event": "[SUCCESS 200] AUTHORIZED REQUEST",
        "matches": True,
        "note": "",
    },
    {"source": _FAPS_REGEX_TERMS, "pattern": "%AUTHORIZED%", "event": _E401, "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%[Ee]rror|[Ff]ail%", "event": "Error", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%[Ee]rror|[Ff]ail%", "event": "error", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%[Ee]rror|[Ff]ail%", "event": "Fail", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%[Ee]rror|[Ff]ail%", "event": "fail", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%^[hc]at%", "event": "hat", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%^[hc]at%", "event": "cat", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%[hc]at$%", "event": "hat", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%[hc]at$%", "event": "cat", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%colou?r%", "event": "color", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%colou?r%", "event": "colour", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%[abc]%", "event": "a", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%[abc]%", "event": "b", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%[abc]%", "event": "c", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%[a-z]%", "event": "q", "matches": True, "note": "doc: any lowercase a-z"},
    {"source": _REGEX_PAGE, "pattern": "%[abcx-z]%", "event": "x", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%[abcx-z]%", "event": "y", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%[abcx-z]%", "event": "z", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%a{3,5}%", "event": "aaa", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%a{3,5}%", "event": "aaaa", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%a{3,5}%", "event": "aaaaa", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%gra|ey%", "event": "gray", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%gra|ey%", "event": "grey", "matches": True, "note": ""},
    {
        "source": _REGEX_PAGE,
        "pattern": "%^starting|^initializing|^shutting down%",
        "event": "starting ...",
        "matches": True,
        "note": "the pattern contains a space, which the allowed-character list omits",
    },
    {
        "source": _REGEX_PAGE,
        "pattern": "%^starting|^initializing|^shutting down%",
        "event": "initializing ...",
        "matches": True,
        "note": "",
    },
    {
        "source": _REGEX_PAGE,
        "pattern": "%^starting|^initializing|^shutting down%",
        "event": "shutting down",
        "matches": True,
        "note": "",
    },
    {
        "source": _REGEX_PAGE,
        "pattern": "%^starting|^initializing|^shutting down%",
        "event": "skipping initializing ...",
        "matches": False,
        "note": "",
    },
    {
        "source": _REGEX_PAGE,
        "pattern": "%abcc|ab[^c]$",
        "event": "abcc ...",
        "matches": True,
        "note": "suspect: doc prints the pattern without the closing %",
        "trailguard": "unexpected '%'",
    },
    {
        "source": _REGEX_PAGE,
        "pattern": "%abcc|ab[^c]$",
        "event": "aba ...",
        "matches": True,
        "note": "suspect: missing closing %, and $ conflicts with the trailing ' ...'",
        "trailguard": "unexpected '%'",
    },
    {
        "source": _REGEX_PAGE,
        "pattern": "%abcc|ab[^c]$",
        "event": "aac ...",
        "matches": False,
        "note": "suspect: doc prints the pattern without the closing %",
        "trailguard": "unexpected '%'",
    },
    {"source": _REGEX_PAGE, "pattern": r"%\[.\]%", "event": "[a]", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": r"%\[.\]%", "event": "[b]", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": r"%\[.\]%", "event": "[7]", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": r"%\[.\]%", "event": "[@]", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": r"%\[.\]%", "event": "[]]", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": r"%\[.\]%", "event": "[ ]", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": r"%10\.10\.0\.1%", "event": "10.10.0.1", "matches": True, "note": ""},
    {
        "source": _REGEX_PAGE,
        "pattern": "%10.10.0.1%",
        "event": "10010,051",
        "matches": True,
        "note": "unescaped '.' matches any character",
    },
    {"source": _REGEX_PAGE, "pattern": "%ab*c%", "event": "ac", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%ab*c%", "event": "abc", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%ab*c%", "event": "abbbc", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%ab[0-9]*%", "event": "ab", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%ab[0-9]*%", "event": "ab0", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%ab[0-9]*%", "event": "ab129", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%ab+c%", "event": "abc", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%ab+c%", "event": "abbc", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%ab+c%", "event": "abbbc", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%ab+c%", "event": "ac", "matches": False, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%.at%", "event": "hat", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%.at%", "event": "cat", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%.at%", "event": "bat", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%.at%", "event": "4at", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%.at%", "event": "#at", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": "%.at%", "event": " at", "matches": True, "note": "starts with a space"},
    {"source": _REGEX_PAGE, "pattern": r"%\x3A%", "event": ":", "matches": True, "note": ""},
    {"source": _REGEX_PAGE, "pattern": r"%\x28%", "event": "(", "matches": True, "note": ""},
    # ==========================================================================================================
    # Metric-filter example pages (CloudWatch Logs User Guide, "Creating metric filters")
    # ==========================================================================================================
    {
        "source": _COUNT_EVENTS,
        "pattern": '" "',
        "event": "Test event 1",
        "matches": True,
        "note": "doc: filter 'configured to match any log event content'",
    },
    {
        "source": _COUNT_EVENTS,
        "pattern": '" "',
        "event": "Test event 2",
        "matches": True,
        "note": "doc: filter 'configured to match any log event content'",
    },
    {
        "source": _COUNT_EVENTS,
        "pattern": '" "',
        "event": "This message also contains an Error",
        "matches": True,
        "note": "doc: filter 'configured to match any log event content'",
    },
    {
        "source": _COUNT_TERM,
        "pattern": "Error",
        "event": "This message contains an Error",
        "matches": True,
        "note": "inferred: doc posts this event to test the filter",
    },
    {
        "source": _COUNT_TERM,
        "pattern": "Error",
        "event": "This message also contains an Error",
        "matches": True,
        "note": "inferred: doc posts this event to test the filter",
    },
    {
        "source": _COUNT_404,
        "pattern": "[ip, id, user, timestamp, request, status_code=404, size]",
        "event": '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326',
        "matches": True,
        "note": "inferred",
    },
    {
        "source": _COUNT_404,
        "pattern": "[IP, UserInfo, User, Timestamp, RequestInfo, StatusCode=404, Bytes]",
        "event": '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326',
        "matches": True,
        "note": "inferred: console variant of the same filter",
    },
    {
        "source": _COUNT_404,
        "pattern": "[ip, id, user, timestamp, request, status_code=404, size]",
        "event": '127.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326',
        "matches": True,
        "note": "inferred: put-log-events test event",
    },
    {
        "source": _COUNT_404,
        "pattern": "[ip, id, user, timestamp, request, status_code=404, size]",
        "event": '127.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] "GET /apache_pb2.gif HTTP/1.0" 200 2326',
        "matches": False,
        "note": "inferred: put-log-events test event",
    },
    {
        "source": _COUNT_4XX,
        "pattern": "[ip, id, user, timestamp, request, status_code=4*, size]",
        "event": _APACHE_404_INDEX,
        "matches": True,
        "note": "inferred",
    },
    {
        "source": _COUNT_4XX,
        "pattern": "[ip, id, user, timestamp, request, status_code=4*, size]",
        "event": _APACHE_200_TEST,
        "matches": False,
        "note": "inferred",
    },
    {
        "source": _COUNT_4XX,
        "pattern": "[ip, id, user, timestamp, request, status_code=4*, size]",
        "event": _APACHE_404_FAVICON,
        "matches": True,
        "note": "inferred",
    },
    {
        "source": _COUNT_4XX,
        "pattern": "[ip, id, user, timestamp, request, status_code=4*, size]",
        "event": _APACHE_200_TEST_INDEX,
        "matches": False,
        "note": "inferred",
    },
    {
        "source": _EXTRACT_BYTES,
        "pattern": "[ip, id, user, timestamp, request, status_code, size]",
        "event": _APACHE_404_INDEX,
        "matches": True,
        "note": "inferred",
    },
    {
        "source": _EXTRACT_BYTES,
        "pattern": "[ip, id, user, timestamp, request, status_code, size]",
        "event": _APACHE_200_TEST,
        "matches": True,
        "note": "inferred",
    },
    {
        "source": _EXTRACT_BYTES,
        "pattern": "[ip, id, user, timestamp, request, status_code, size]",
        "event": _APACHE_404_FAVICON,
        "matches": True,
        "note": "inferred",
    },
    {
        "source": _EXTRACT_BYTES,
        "pattern": "[ip, id, user, timestamp, request, status_code, size]",
        "event": _APACHE_200_TEST_INDEX,
        "matches": True,
        "note": "inferred",
    },
    # ==========================================================================================================
    # CloudTrail: CloudWatch alarm examples + CloudTrail/IAM sample records (all pairings inferred)
    # ==========================================================================================================
    {
        "source": _CT_ALARMS,
        "pattern": _P_SIGNIN_FAILURES,
        "event": _CT_SIGNIN_IAM_FAILURE,
        "matches": True,
        "note": _INF_CT + " (" + _CT_SIGNIN + ")",
    },
    {
        "source": _CT_ALARMS,
        "pattern": _P_SIGNIN_FAILURES,
        "event": _CT_SIGNIN_ROOT_FAILURE,
        "matches": True,
        "note": _INF_CT + " (" + _CT_SIGNIN + ")",
    },
    {
        "source": _CT_ALARMS,
        "pattern": _P_SIGNIN_FAILURES,
        "event": _IAM_SIGNIN_FAILURE,
        "matches": True,
        "note": _INF_CT + " (" + _IAM_CT + ")",
    },
    {
        "source": _CT_ALARMS,
        "pattern": _P_SIGNIN_FAILURES,
        "event": _CT_SIGNIN_IAM_SUCCESS_NO_MFA,
        "matches": False,
        "note": _INF_CT + " (" + _CT_SIGNIN + ")",
    },
    {
        "source": _CT_ALARMS,
        "pattern": _P_SIGNIN_FAILURES,
        "event": _IAM_SIGNIN_HIDDEN_USER,
        "matches": False,
        "note": _INF_CT + "; errorMessage differs (" + _IAM_CT + ")",
    },
    {
        "source": _CT_ALARMS,
        "pattern": _P_AUTHZ_FAILURES,
        "event": _CT_UPDATE_TRAIL_ERROR,
        "matches": False,
        "note": _INF_CT + "; errorCode TrailNotFoundException (" + _CT_LOG_EXAMPLES + ")",
    },
    {
        "source": _CT_ALARMS,
        "pattern": _P_AUTHZ_FAILURES,
        "event": _CT_SIGNIN_IAM_FAILURE,
        "matches": False,
        "note": _INF_CT + "; failed sign-in has no errorCode (" + _CT_SIGNIN + ")",
    },
    {
        "source": _CT_ALARMS,
        "pattern": _P_CLOUDTRAIL_CHANGES,
        "event": _CT_UPDATE_TRAIL_ERROR,
        "matches": True,
        "note": _INF_CT + "; matches although the call failed (" + _CT_LOG_EXAMPLES + ")",
    },
    {
        "source": _CT_ALARMS,
        "pattern": _P_EC2_INSTANCE_CHANGES,
        "event": _CT_START_INSTANCES,
        "matches": True,
        "note": _INF_CT + " (" + _CT_LOG_EXAMPLES + ")",
    },
    {
        "source": _CT_ALARMS,
        "pattern": _P_EC2_INSTANCE_CHANGES,
        "event": _CT_STOP_INSTANCES,
        "matches": True,
        "note": _INF_CT + " (" + _CT_LOG_EXAMPLES + ")",
    },
    {
        "source": _CT_ALARMS,
        "pattern": _P_EC2_INSTANCE_CHANGES,
        "event": _CT_CREATE_KEY_PAIR,
        "matches": False,
        "note": _INF_CT + " (" + _CT_LOG_EXAMPLES + ")",
    },
    {
        "source": _CT_ALARMS,
        "pattern": _P_IAM_POLICY_CHANGES,
        "event": _CT_CREATE_USER,
        "matches": False,
        "note": _INF_CT + " (" + _CT_LOG_EXAMPLES + ")",
    },
    # Security Hub CloudWatch.1 / .2 / .3 (CIS 1.2.0 3.3 / 3.1 / 3.2) filter patterns.
    {
        "source": _SECURITYHUB_CW + "#cloudwatch-1",
        "pattern": _P_SH_CW1_ROOT,
        "event": _CT_SIGNIN_ROOT_SUCCESS,
        "matches": True,
        "note": _INF_CT + " (" + _CT_SIGNIN + ")",
    },
    {
        "source": _SECURITYHUB_CW + "#cloudwatch-1",
        "pattern": _P_SH_CW1_ROOT,
        "event": _CT_SIGNIN_IAM_SUCCESS_NO_MFA,
        "matches": False,
        "note": _INF_CT + " (" + _CT_SIGNIN + ")",
    },
    {
        "source": _SECURITYHUB_CW + "#cloudwatch-2",
        "pattern": _P_SH_CW2_UNAUTHORIZED,
        "event": _CT_UPDATE_TRAIL_ERROR,
        "matches": False,
        "note": _INF_CT + " (" + _CT_LOG_EXAMPLES + ")",
    },
    {
        "source": _SECURITYHUB_CW + "#cloudwatch-3",
        "pattern": _P_SH_CW3_NO_MFA,
        "event": _CT_SIGNIN_IAM_SUCCESS_NO_MFA,
        "matches": True,
        "note": _INF_CT + " (" + _CT_SIGNIN + ")",
    },
    {
        "source": _SECURITYHUB_CW + "#cloudwatch-3",
        "pattern": _P_SH_CW3_NO_MFA,
        "event": _CT_SIGNIN_IAM_SUCCESS_MFA,
        "matches": False,
        "note": _INF_CT + " (" + _CT_SIGNIN + ")",
    },
    {
        "source": _SECURITYHUB_CW + "#cloudwatch-3",
        "pattern": _P_SH_CW3_NO_MFA,
        "event": _CT_SIGNIN_IAM_FAILURE,
        "matches": False,
        "note": _INF_CT + " (" + _CT_SIGNIN + ")",
    },
    {
        "source": _SECURITYHUB_CW + "#cloudwatch-3",
        "pattern": _P_SH_CW3_NO_MFA,
        "event": _CT_SIGNIN_ROOT_SUCCESS,
        "matches": False,
        "note": _INF_CT + " (" + _CT_SIGNIN + ")",
    },
]
