"""No unknown value ever decides a verdict: every input a check reads, made unknown in an otherwise compliant
deployment, fails the checks that read it, naming the input; nothing passes on a value trailguard could not read.

(Several of these were surviving mutants: replacing an input with a known value went unnoticed.)
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.test_analysis import ALARM, FILTER, TRAIL, compliant, finding
from trailguard.findings import FAILED
from trailguard.model import MetricStat, MetricTransformation, Unknown

INPUT = Unknown('variable "from_elsewhere"', "has no default", "give it a default")

TRAIL_FIELDS = ["multi_region", "logging", "global_service_events", "basic_selectors", "advanced_selectors",
                "log_group", "log_role"]
ALARM_FIELDS = ["threshold", "comparison", "evaluation_periods", "datapoints_to_alarm", "treat_missing_data",
                "actions_enabled"]
STAT_FIELDS = ["metric_name", "namespace", "statistic", "dimensions", "unit"]
TRANSFORMATION_FIELDS = ["metric_name", "namespace", "value", "default_value", "dimensions", "unit"]


def _fails_naming_the_input(built, check_id, resource_id):
    result = finding(built, check_id, resource_id)
    assert result.result == FAILED, (check_id, result)
    assert 'variable "from_elsewhere" has no default' in result.message(), result.message()


@pytest.mark.parametrize("name", TRAIL_FIELDS)
def test_an_unknown_trail_setting_fails_the_trail_and_the_chain(name):
    built = compliant(trail=replace(TRAIL, **{name: INPUT}))
    _fails_naming_the_input(built, "TG_AWS_1", TRAIL.id)
    _fails_naming_the_input(built, "TG_AWS_4", TRAIL.id)


@pytest.mark.parametrize("name", ALARM_FIELDS)
def test_an_unknown_alarm_setting_fails_the_alarm_check(name):
    built = compliant(alarm=replace(ALARM, **{name: INPUT}))
    _fails_naming_the_input(built, "TG_AWS_3", FILTER.id)
    _fails_naming_the_input(built, "TG_AWS_4", TRAIL.id)


@pytest.mark.parametrize("name", STAT_FIELDS)
def test_an_unknown_part_of_the_watched_metric_fails_the_alarm_check(name):
    metric = replace(MetricStat("UnauthorizedAPICalls", "CISBenchmark", "Sum"), **{name: INPUT})
    _fails_naming_the_input(compliant(alarm=replace(ALARM, metric=metric)), "TG_AWS_3", FILTER.id)


@pytest.mark.parametrize("name", TRANSFORMATION_FIELDS)
def test_an_unknown_part_of_the_published_metric_fails_the_alarm_check(name):
    transformation = replace(MetricTransformation("UnauthorizedAPICalls", "CISBenchmark"), **{name: INPUT})
    built = compliant(filter=replace(FILTER, transformations=(transformation,)))
    _fails_naming_the_input(built, "TG_AWS_3", FILTER.id)


def test_an_unknown_pattern_fails_the_pattern_check_and_the_chain():
    built = compliant(filter=replace(FILTER, pattern=INPUT))
    _fails_naming_the_input(built, "TG_AWS_2", FILTER.id)
    _fails_naming_the_input(built, "TG_AWS_4", TRAIL.id)


def test_unknown_transformations_fail_the_alarm_check():
    _fails_naming_the_input(compliant(filter=replace(FILTER, transformations=INPUT)), "TG_AWS_3", FILTER.id)


# --- boundaries of "one call fires the alarm" (surviving mutants of _firing_problems) ------------------------------

@pytest.mark.parametrize(("alarm_changes", "transformation_changes", "reason"), [
    ({}, {"value": "0"}, "the filter publishes 0 per event"),
    ({"datapoints_to_alarm": 2}, {}, "it needs 2 breaching periods"),
    ({"evaluation_periods": 2}, {}, "it needs 2 breaching periods"),
    ({"threshold": None}, {}, "it has no threshold"),
    ({"threshold": 2.0, "metric": MetricStat("UnauthorizedAPICalls", "CISBenchmark", "SampleCount")}, {},
     "one call gives SampleCount = 1"),
    ({"metric": MetricStat("UnauthorizedAPICalls", "CISBenchmark", "p99")}, {"default_value": 0.0},
     "which p99 mixes into every period"),
    ({"metric": MetricStat("UnauthorizedAPICalls", "CISBenchmark", "IQM")}, {}, "cannot tell how statistic 'IQM'"),
    ({}, {"default_value": 1.0}, "already crosses the threshold"),
])
def test_one_call_boundaries(alarm_changes, transformation_changes, reason):
    transformation = replace(MetricTransformation("UnauthorizedAPICalls", "CISBenchmark"), **transformation_changes)
    built = compliant(filter=replace(FILTER, transformations=(transformation,)), alarm=replace(ALARM, **alarm_changes))
    result = finding(built, "TG_AWS_3", FILTER.id)
    assert result.result == FAILED and reason in result.message(), result.message()


@pytest.mark.parametrize("statistic", ["p99", "p99.9", "Maximum", "SampleCount"])
def test_statistics_that_see_one_call_pass(statistic):
    built = compliant(alarm=replace(ALARM, metric=MetricStat("UnauthorizedAPICalls", "CISBenchmark", statistic)))
    assert finding(built, "TG_AWS_3", FILTER.id).passed
