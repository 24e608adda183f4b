"""The services whose every call trailguard knows (`pattern/service_calls.py`): the list against botocore's API
models, and the judge against brute force over every real call of the service.

A glob on eventName is judged by the calls it matches that exist: `ScheduleKey*` from KMS is ScheduleKeyDeletion and
nothing else, so it passes; `*Gateway` from EC2 also matches CreateCarrierGateway, which is shown. With the complete
list, the verdict of any pattern `{ source && (globs) }` can be computed by trying every call the service has.
"""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.budget import share_of_examples
from tests.controls.oracles import ORACLES
from trailguard.controls import by_slug, judge
from trailguard.pattern import cloudtrail
from trailguard.pattern.evaluator import matches
from trailguard.pattern.service_calls import RENAMED_IN_RECORDS, SERVICE_CALLS

BOTOCORE_NAMES = {"cloudtrail.amazonaws.com": "cloudtrail", "config.amazonaws.com": "config",
                  "ec2.amazonaws.com": "ec2", "iam.amazonaws.com": "iam", "kms.amazonaws.com": "kms",
                  "organizations.amazonaws.com": "organizations", "s3.amazonaws.com": "s3"}


@pytest.mark.parametrize("source", sorted(SERVICE_CALLS))
def test_every_call_botocore_knows_is_listed(source):
    """Under the name CloudTrail records; S3 Control's calls are recorded as S3's."""
    session = pytest.importorskip("botocore.session").get_session()
    models = [(BOTOCORE_NAMES[source], RENAMED_IN_RECORDS.get(source, {}))]
    if source == "s3.amazonaws.com":
        models.append(("s3control", RENAMED_IN_RECORDS["s3-control"]))
    for service, renamed in models:
        recorded = {renamed.get(name, name) for name in session.get_service_model(service).operation_names}
        missing = sorted(recorded - SERVICE_CALLS[source])
        assert not missing, f"add to trailguard/pattern/service_calls.py, {source}: {missing}"


def test_an_operation_recorded_under_another_name_is_listed_under_that_one_only():
    for source, renamed in RENAMED_IN_RECORDS.items():
        calls = SERVICE_CALLS.get(source, SERVICE_CALLS["s3.amazonaws.com"])
        assert set(renamed.values()) <= calls
        if source in SERVICE_CALLS:
            assert not set(renamed) & calls, set(renamed) & calls


def test_every_call_the_tables_name_for_a_listed_service_is_listed():
    for name, source in cloudtrail.SOURCE_FOR_EVENT_NAME.items():
        assert not cloudtrail.no_such_call(source, name), (source, name)


@pytest.mark.parametrize("slug,pattern", [
    ("cmk-disable-or-deletion",
     '{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey || $.eventName = ScheduleKey*) }'),
    ("iam-policy-changes",
     '{ ($.eventSource = iam.amazonaws.com) && (($.eventName = Put*Policy) || ($.eventName = Attach*Policy) || '
     '($.eventName = Detach*Policy) || ($.eventName = CreatePolicy*) || ($.eventName = DeletePolicy*) || '
     '($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy)) }'),
    ("iam-policy-changes",
     '{ ($.eventSource = iam.amazonaws.com) && ($.eventName = %^Put[GRU][a-z]+Policy$|^Delete[GRU][a-z]+Policy$|'
     '^Attach[GRU][a-z]+Policy$|^Detach[GRU][a-z]+Policy$|^CreatePolicy|^DeletePolicy%) }'),
    ("config-changes",
     '{ ($.eventSource = config.amazonaws.com) && (($.eventName = *DeliveryChannel) || '
     '($.eventName = StopConfigurationRecorder) || ($.eventName = PutConfigurationRecorder)) }'),
    ("security-group-changes",
     '{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = *SecurityGroupIngress) || '
     '($.eventName = *SecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || '
     '($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules)) }'),
    ("s3-bucket-policy-changes",
     '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucket*) || ($.eventName = DeleteBucket*)) }'),
    ("vpc-changes",  # GameLift's VPC peering calls carry the same names: don't care, like EC2's own are counted
     '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || '
     '($.eventName = *VpcPeeringConnection) }'),
])
def test_a_glob_that_matches_only_the_right_calls_passes(slug, pattern):
    verdict = judge(pattern, slug)
    assert verdict.status == "PASS", verdict.reasons()
    assert not verdict.hints, verdict.hints  # a wildcard is no misspelt call


@pytest.mark.parametrize("slug,pattern,shown", [
    ("network-gateway-changes",
     '{ ($.eventSource = ec2.amazonaws.com) && ($.eventName = *Gateway) && ($.eventName != Describe*) }',
     "CreateCarrierGateway"),
    ("cmk-disable-or-deletion", '{ ($.eventSource = kms.amazonaws.com) && ($.eventName = *Key*) }', None),
    ("vpc-changes", '{ ($.eventSource = ec2.amazonaws.com) && ($.eventName = *Vpc*) }', None),
    ("route-table-changes",  # VPC Route Server (2025): newer than the botocore Checkov pins
     '{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || '
     '($.eventName = ReplaceRoute*) || ($.eventName = DeleteRoute*) || ($.eventName = DisassociateRouteTable)) }',
     "DeleteRouteServer"),
    ("s3-bucket-policy-changes",  # S3 Control's account-level call, recorded as S3's
     '{ ($.eventSource = s3.amazonaws.com) && ($.eventName = Put*PublicAccessBlock) }', "PutAccountPublicAccessBlock"),
    ("organizations-changes",  # the service event Organizations writes when an account is created
     '{ ($.eventSource = organizations.amazonaws.com) && ($.eventName = CreateAccount*) }', "CreateAccountResult"),
    ("s3-bucket-policy-changes",  # Lightsail's DeleteBucket
     '{ (($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || '
     '($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || '
     '($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) '
     '|| ($.eventName = DeleteBucketReplication))) || ($.eventName = DeleteBucket) }', "DeleteBucket"),
    ("cmk-disable-or-deletion",  # the KMS service event of a completed deletion
     '{ ($.eventSource = kms.amazonaws.com) && ($.eventName = Delete*) && ($.eventName != DeleteAlias) && '
     '($.eventName != *Custom*) && ($.eventName != *Material) }', "DeleteKey"),
    ("cmk-disable-or-deletion",  # no eventSource: DeviceFarm's ScheduleRun, not a name made from the glob
     '{ ($.eventName = DisableKey) || ($.eventName = Schedule*) }', "ScheduleRun"),
])
def test_a_glob_that_matches_other_calls_is_shown_one_that_exists(slug, pattern, shown):
    verdict = judge(pattern, slug)
    assert verdict.status == "FAIL"
    assert verdict.noise and all(cloudtrail.known_call(event) for event in verdict.noise), verdict.noise
    if shown:
        assert shown in {event["eventName"] for event in verdict.noise}


CALL_CONTROLS = sorted((slug, version) for slug, version in ORACLES
                       if any(signal.path == ("eventSource",) and set(signal.names) & set(SERVICE_CALLS)
                              for signal in by_slug(slug).signals))


def source_of(slug):
    return next(name for signal in by_slug(slug).signals if signal.path == ("eventSource",)
                for name in signal.names if name in SERVICE_CALLS)


def names_of(slug):
    return [name for signal in by_slug(slug).signals if signal.path == ("eventName",) for name in signal.names]


@st.composite
def globs(draw, slug):
    """A value for eventName made from a real name of the control's service: the name, or the name with a prefix,
    a suffix or a middle cut out and replaced by `*`."""
    calls = sorted(SERVICE_CALLS[source_of(slug)])
    name = draw(st.sampled_from(names_of(slug) * 3 + calls))
    start = draw(st.integers(0, len(name)))
    end = draw(st.integers(start, len(name)))
    return name if start == end and draw(st.booleans()) else name[:start] + "*" + name[end:]


def record(source, name):
    return {"eventSource": source, "eventName": name, "eventType": "AwsApiCall", "sourceIPAddress": "203.0.113.10",
            "userIdentity": dict(cloudtrail.IDENTITIES["IAMUser"])}


@pytest.mark.parametrize("slug,version", CALL_CONTROLS)
def test_the_judge_agrees_with_every_real_call_of_the_service(slug, version):
    """For `{ source && (globs) }`: PASS exactly when the real calls it matches hold every call the control must
    count and only calls it may count; a failure shows real calls."""
    must, dont_care = ORACLES[(slug, version)]
    source = source_of(slug)
    events = [record(source, name) for name in sorted(SERVICE_CALLS[source])]

    @settings(max_examples=share_of_examples(0.03), suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(st.lists(globs(slug), min_size=1, max_size=6))
    def check(values):
        pattern = "{ ($.eventSource = " + source + ") && (" + " || ".join(
            f'($.eventName = "{value}")' for value in values) + ") }"
        counted = [event for event in events if matches(pattern, event)]
        missed = [event for event in events if must(event) and not dont_care(event) and event not in counted]
        noise = [event for event in counted if not must(event) and not dont_care(event)]
        verdict = judge(pattern, slug, version)
        assert verdict.status == ("FAIL" if missed or noise else "PASS"), (pattern, missed[:1], noise[:1], verdict)
        assert all(cloudtrail.known_call(example.event) for example in verdict.counterexamples), pattern

    check()


def test_a_name_the_pattern_writes_out_that_no_known_service_makes_may_be_another_service_s():
    """Open world outside the listed services: a written-out name is shown from a service whose calls are not all
    known, never refused for the default service's list."""
    verdict = judge('{ ($.eventSource = cloudtrail.amazonaws.com && ($.eventName = CreateTrail || '
                    '$.eventName = UpdateTrail || $.eventName = DeleteTrail || $.eventName = StartLogging || '
                    '$.eventName = StopLogging)) || $.eventName = "FrobnicateWidgets" }', "cloudtrail-changes")
    assert verdict.status == "FAIL"
    shown = [event for event in verdict.noise if event["eventName"] == "FrobnicateWidgets"]
    assert shown and shown[0]["eventSource"] not in SERVICE_CALLS, verdict.noise


def test_sampling_real_calls_never_meets_an_unknown_one():
    rng = random.Random(7)
    for source, calls in SERVICE_CALLS.items():
        for name in rng.sample(sorted(calls), 5):
            assert cloudtrail.incoherent(record(source, name)) is None, (source, name)
