"""CIS "Ensure a log metric filter and alarm exist for S3 bucket policy changes" (v1.2 3.8, v1.3-v5 4.8, v6+ 5.8).

Sources: the CIS texts of every version as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json
(remediation and audit sections); Security Hub CloudWatch.8 from AWS Security Hub's "CloudWatch controls" page; the
calls and their service from the Amazon S3 API reference.
"""

from trailguard.controls.control import (
    CIS_VERSIONS,
    PASS,
    Control,
    PublishedText,
    Signal,
    calls,
    cis_texts,
    security_hub_page,
)
from trailguard.controls.targets import calls_target

SOURCE = "s3.amazonaws.com"
NAMES = (
    "PutBucketAcl",
    "PutBucketPolicy",
    "PutBucketCors",
    "PutBucketLifecycle",
    "PutBucketReplication",
    "DeleteBucketPolicy",
    "DeleteBucketCors",
    "DeleteBucketLifecycle",
    "DeleteBucketReplication",
)
# Bucket configuration calls CIS leaves out, named for the control's inference and its notes.
UNLISTED = (
    "PutBucketPublicAccessBlock",
    "DeleteBucketPublicAccessBlock",
    "PutBucketOwnershipControls",
    "PutBucketEncryption",
    "DeleteBucketEncryption",
    "PutBucketVersioning",
    "PutBucketLogging",
    "DeleteBucket",
)

# CONTROLS.md: every other bucket configuration call of S3 is don't care, not only the ones named above.
BUCKET_CONFIGURATION = ("PutBucket*", "DeleteBucket*")

TARGET = calls_target(
    "S3 bucket policy changes", "bucket policy change", SOURCE, NAMES, extra=BUCKET_CONFIGURATION,
    other_sources_dont_care=False,
)
TARGETS = (("1.2", TARGET),)

CANONICAL = (
    "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) ||"
    " ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) ||"
    " ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) ||"
    " ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) ||"
    " ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"
)

TEXT = (
    "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) ||"
    " ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) ||"
    " ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) ||"
    " ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) ||"
    " ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"
)
PUBLISHED = (
    PublishedText(
        CIS_VERSIONS,
        "remediation and audit",
        TEXT,
        PASS,
        "the nine calls from S3",
    ),
)

# Security Hub's exact text (AWS Security Hub user guide, CloudWatch controls).
SECURITY_HUB_TEXT = (
    "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) ||"
    " ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) ||"
    " ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) ||"
    " ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) ||"
    " ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}"
)

CONTROL = Control(
    slug="s3-bucket-policy-changes",
    title="S3 bucket policy changes",
    counts=calls(NAMES, SOURCE),
    either_way=f"the S3 bucket configuration calls CIS does not list (every other PutBucket* and DeleteBucket* call "
    f"of S3: {', '.join(UNLISTED)}, ...)",
    rationale=(
        "a changed bucket policy, ACL or replication rule can make data public or copy it away; an alarm "
        "shows it before the data is gone"
    ),
    cis_v12="3.8",
    cis_v13_to_v5="4.8",
    cis_v6="5.8",
    security_hub="CloudWatch.8",
    checkov_id="TG_AWS_12",
    cfn_lint_id="E9112",
    targets=TARGETS,
    canonical=CANONICAL,
    security_hub_text=SECURITY_HUB_TEXT,
    signals=(Signal(("eventName",), names=NAMES + UNLISTED), Signal(("eventSource",), names=(SOURCE,))),
    name_words=("bucketpolicychange", "bucketpolic", "s3bucket", "bucketchange", "s3polic"),
    notes=(
        "other bucket configuration calls (PutBucketPublicAccessBlock, DeleteBucket, ...) are not in CIS's list: "
        "counting them or not is both right",
    ),
    published=PUBLISHED,
    sources=(
        cis_texts("v4.0"),
        security_hub_page("CloudWatch.8"),
        "the Amazon S3 API reference",
    ),
)
