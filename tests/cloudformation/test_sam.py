"""A SAM function's SNS event source is a subscription to its topic (TG_AWS_5); other event types are not. Non-ASCII
names and values anywhere change no verdict."""

from tests.cloudformation.test_builder import only, template
from tests.unauthorized_calls import CHECK_IDS
from trailguard.model import Ref
from trailguard.rules.analysis import analyse


def with_function(events, subscription=None):
    body = template()
    body["Resources"]["Topic"]["Properties"] = {"DisplayName": "Sécurité — 警報", **(subscription or {})}
    body["Resources"]["Notifier"] = {"Type": "AWS::Serverless::Function", "Properties": {
        "Runtime": "python3.12", "Handler": "index.handler", "InlineCode": "def handler(e, c): pass",
        "Events": events}}
    return body


def test_an_sns_event_subscribes_the_function_to_the_topic():
    model = only(with_function({"Alarm": {"Type": "SNS", "Properties": {"Topic": {"Ref": "Topic"}}}}))
    assert {s.id: (s.topic, s.protocol) for s in model.subscriptions.values()} == {
        "Notifier.Events.Alarm": (Ref(resource="Topic"), "lambda")}


def test_a_literal_topic_arn_is_linked_by_name_and_other_event_types_are_not_subscriptions():
    arn = "arn:aws:sns:eu-west-1:111122223333:security-alarms"
    model = only(with_function({"Alarm": {"Type": "SNS", "Properties": {"Topic": arn}},
                                "Queue": {"Type": "SQS", "Properties": {"Queue": "arn:aws:sqs:eu-west-1:1:q"}},
                                "Nightly": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 day)"}}}))
    assert [s.topic for s in model.subscriptions.values()] == [Ref(name=arn)]


def test_without_any_subscriber_the_topic_has_none():
    model = only(with_function({"Nightly": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 day)"}}}))
    assert model.subscriptions == {}


def test_non_ascii_names_and_values_change_nothing():
    body = with_function({"Alarm": {"Type": "SNS", "Properties": {"Topic": {"Ref": "Topic"}}}})
    resources = body["Resources"]
    resources["Filter"]["Properties"]["MetricTransformations"][0]["MetricName"] = "NichtAutorisierteAufrufe-ü-認証"
    resources["Alarm"]["Properties"]["MetricName"] = "NichtAutorisierteAufrufe-ü-認証"
    resources["Filter"]["Properties"]["MetricTransformations"][0]["MetricNamespace"] = "CIS/Überwachung"
    resources["Alarm"]["Properties"]["Namespace"] = "CIS/Überwachung"
    resources["Alarm"]["Properties"]["AlarmDescription"] = {"Fn::Sub": "Appels refusés — ${AWS::StackName} 🚨"}
    resources["Topic"]["Properties"]["TopicName"] = {"Fn::Join": ["-", ["alarmes", "sécurité"]]}
    body["Parameters"] = {"Équipe": {"Type": "String", "Default": "sécurité", "Description": "équipe ☂"}}
    assert {(f.check_id, f.resource.id): f.result for f in analyse(only(body)) if f.check_id in CHECK_IDS} == {
        ("TG_AWS_1", "Trail"): "PASSED", ("TG_AWS_4", "Trail"): "PASSED", ("TG_AWS_2", "Filter"): "PASSED",
        ("TG_AWS_3", "Filter"): "PASSED", ("TG_AWS_5", "Topic"): "PASSED"}
