"""A reason's text is rendered in one place, and what the scan reads back from the scanners' text (the evidence
event, TG_AWS_4's citation of another link's reason) is exactly what was rendered."""

from trailguard.findings import Reason, read_citation, split_evidence
from trailguard.rules.reasons import ALARM_FALLS_SHORT, COUNTEREXAMPLE, FILTER_CAUSE, NO_THRESHOLD, TRAIL_CAUSE

EVENT = {"eventName": "GetObject", "errorCode": "AccessDenied", "userIdentity": {"type": "IAMUser"}}


def test_a_counterexample_ends_with_its_event_and_the_scan_reads_it_back():
    reason = COUNTEREXAMPLE(sentence="it counts calls that were not denied; for example this call matches",
                            evidence=EVENT)
    text = reason.text()
    assert text == ('it counts calls that were not denied; for example this call matches: {"eventName": "GetObject", '
                    '"errorCode": "AccessDenied", "userIdentity": {"type": "IAMUser"}}')
    assert split_evidence(text) == (reason.words, EVENT)
    assert split_evidence("the trail records only its own region; set it") == (
        "the trail records only its own region; set it", None)


def test_a_chain_reason_cites_another_links_reason_and_the_scan_reads_the_citation_back():
    alarm = ALARM_FALLS_SHORT(link="alarm", resource="Alarm", causes=(NO_THRESHOLD(), NO_THRESHOLD()))
    cited = FILTER_CAUSE(link="filter", resource="aws_cloudwatch_log_metric_filter.x", causes=(alarm,))
    assert alarm.text() == "alarm Alarm: it has no threshold; it has no threshold"
    assert cited.text() == f"filter aws_cloudwatch_log_metric_filter.x: {alarm.text()}"
    for prefix in ("", "when HasTrail: ", 'aws_cloudtrail.main["a"]: '):
        citation = read_citation(prefix + cited.text())
        assert (citation.link, citation.resource, citation.causes[0].words) == (
            "filter", "aws_cloudwatch_log_metric_filter.x", alarm.text())
    trail = TRAIL_CAUSE(link="trail", causes=(Reason("x", "logging is turned off"),))
    assert trail.text() == "trail: logging is turned off"
    assert read_citation(trail.text()).causes[0].words == "logging is turned off"
    assert read_citation("the chain breaks at the trail itself (TG_AWS_1); fix the trail first") is None
