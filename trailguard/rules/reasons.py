"""Every kind of reason the checks give, in one catalogue (like pyflakes' `messages.py`): a code and its words.

The rules build reasons only from these kinds, so `tests/test_docs.py` reads the catalogue to prove that every
failure a user can see is explained in `docs/checks/`. `{fix}` is the framework's own advice (`trailguard.vocabulary`).
"""

from __future__ import annotations

from typing import Dict

from trailguard.findings import ReasonKind

# --- anywhere --------------------------------------------------------------------------------------------------

UNRESOLVED = ReasonKind("unresolved", "{what} cannot be resolved: {unknown}")
BLIND_SPOT = ReasonKind("blind-spot", "{spot}")
MORE_BLIND_SPOTS = ReasonKind("blind-spot.more", "and {left} more thing(s) trailguard could not see in this unit")
UNKNOWN_CIS_VERSION = ReasonKind(
    "unknown-cis-version", "{error} (set by --cis-version, cis-version in the configuration, or {variable})")
INTERNAL_ERROR = ReasonKind("internal-error", "internal error in trailguard ({error_type}: {error}); please report it")

# --- TG_AWS_1: the trail ---------------------------------------------------------------------------------------

SINGLE_REGION = ReasonKind("trail.single-region", "the trail records only its own region; {fix}")
LOGGING_OFF = ReasonKind("trail.logging-off", "logging is turned off, so the trail records nothing; {fix}")
NO_GLOBAL_EVENTS = ReasonKind(
    "trail.no-global-service-events",
    "global service events (IAM, STS, CloudFront) are excluded, so denied IAM calls are not recorded; {fix}")
MANAGEMENT_EVENTS = ReasonKind("trail.management-events", "the trail does not record management {missing}; {fix}")
EXCLUDED_SOURCES = ReasonKind(
    "trail.excluded-sources",
    "the trail does not record management events from {sources}, which {controls} must see; {fix}")
NO_LOG_GROUP = ReasonKind(
    "trail.no-log-group",
    "the trail does not deliver to CloudWatch Logs, so no metric filter can see its events; {fix}")
NO_LOG_ROLE = ReasonKind("trail.no-log-role", "the trail names a log group but no role to write to it; {fix}")

# --- TG_AWS_2: the pattern (the judge's own words, pattern/verdict.py) ---------------------------------------------

INVALID_PATTERN = ReasonKind("pattern.invalid", "AWS would not accept this pattern: {error}")
UNDECIDED_PATTERN = ReasonKind("pattern.undecided", "{error}")
COUNTEREXAMPLE = ReasonKind("pattern.counterexample", "{sentence}")
PATTERN_FIX = ReasonKind("pattern.fix", "{fix}")
PATTERN_HINT = ReasonKind("pattern.hint", "{hint}")
NARROW_EXCLUSIONS = ReasonKind("pattern.narrow-exclusions",
                               "narrow exclusions ({missed} not counted): {exclusions}", failure=False)
BELONGS_TO = ReasonKind("pattern.control", "judged as the filter of {control} ({numbers}): {why}", failure=False)
CANONICAL_PATTERN = ReasonKind("pattern.canonical", "the pattern to paste (CIS v{version}): {pattern}",
                               failure=False)
SECURITY_HUB = ReasonKind("pattern.security-hub", "for information: {note}", failure=False)
CONTROL_NOTE = ReasonKind("pattern.note", "note: {note}", failure=False)
COVERED_TOGETHER = ReasonKind(
    "pattern.covered-together",
    "the events it does not count are counted by {filters} on the same log group: together they cover the control",
    failure=False)

# --- TG_AWS_3: the alarm ---------------------------------------------------------------------------------------

NO_METRIC = ReasonKind("alarm.no-metric",
                       "the filter publishes no metric, so no alarm can watch it; add a metric transformation")
NO_ALARM = ReasonKind("alarm.none", "no alarm watches the filter's {metric}; {fix}")
ALARM_FALLS_SHORT = ReasonKind("alarm.falls-short", "")  # "alarm A: " and what keeps that alarm from working
ALARMED_BY = ReasonKind("alarm.alarmed-by", "alarmed by {alarms}", failure=False)
ITS_UNRESOLVED = ReasonKind("alarm.unresolved", "its {what} cannot be resolved: {unknown}")
METRIC_MATH = ReasonKind(
    "alarm.metric-math",
    "it alarms on a metric-math expression over the metric, which trailguard cannot prove fires on a single call; "
    "alarm on the metric directly (metric_name/namespace, or a metric query that returns the metric itself)")
WATCHES_FILTER_NAME = ReasonKind(
    "alarm.watches-filter-name",
    "it watches metric {metric!r}, which is the filter's name; the filter publishes metric {published!r} (a filter's "
    "name is not its metric name)")
OTHER_NAMESPACE = ReasonKind(
    "alarm.other-namespace",
    "it watches metric {metric!r} in namespace {namespace!r}, but the filter publishes it in namespace {published!r}")
FILTER_DIMENSIONS = ReasonKind(
    "alarm.filter-dimensions",
    "the filter publishes the metric with dimensions ({names}), one series per value, so no single alarm sees every "
    "call; remove the dimensions")
ALARM_DIMENSIONS = ReasonKind(
    "alarm.alarm-dimensions",
    "it watches dimensions ({names}) that the filter does not publish, so its metric never has data; remove them")
OTHER_UNIT = ReasonKind(
    "alarm.other-unit",
    "it watches unit {unit!r} but the filter publishes unit {published!r}, so it never sees data; remove the unit or "
    "make them equal")
VARIABLE_VALUE = ReasonKind(
    "alarm.variable-value",
    "the filter publishes {value!r} per event, not a fixed number, so whether one call crosses the threshold depends "
    "on the event; publish metric value 1")
NOT_POSITIVE_VALUE = ReasonKind("alarm.not-positive-value",
                                "the filter publishes {value:g} per event, so calls never raise the metric; publish 1")
UNKNOWN_STATISTIC = ReasonKind("alarm.unknown-statistic",
                               "trailguard cannot tell how statistic {statistic!r} behaves on one call; use Sum")
DEFAULT_VALUE_MIXED = ReasonKind(
    "alarm.default-value-mixed",
    "the filter publishes a default value, which {statistic} mixes into every period, so one call may not cross the "
    "threshold; use Sum, or drop the default value")
DOWNWARD_COMPARISON = ReasonKind(
    "alarm.downward-comparison",
    "comparison {comparison!r} does not fire when calls raise the metric; use GreaterThanOrEqualToThreshold")
NO_THRESHOLD = ReasonKind("alarm.no-threshold", "it has no threshold")
THRESHOLD_NOT_CROSSED = ReasonKind(
    "alarm.threshold-not-crossed",
    "one call gives {statistic} = {one_call:g}, which is not {operator} the threshold {threshold:g}; set threshold = "
    "{suggested:g} with GreaterThanOrEqualToThreshold")
DEFAULT_VALUE_FIRES = ReasonKind(
    "alarm.default-value-fires",
    "the filter's default value {default:g} already crosses the threshold, so the alarm fires without any call")
SEVERAL_PERIODS = ReasonKind(
    "alarm.several-periods",
    "it needs {required} breaching periods, so a single call never fires it; set datapoints to alarm (or evaluation "
    "periods) to 1")
MISSING_DATA_BREACHES = ReasonKind(
    "alarm.missing-data-breaches",
    "treat_missing_data = breaching makes it fire when no event happened at all; use notBreaching or "
    "missing")
ACTIONS_UNRESOLVED = ReasonKind("alarm.actions-enabled-unresolved",
                                "whether its actions are enabled cannot be resolved: {unknown}")
ACTIONS_DISABLED = ReasonKind("alarm.actions-disabled", "its actions are disabled, so nobody is notified; {fix}")
ACTION_UNRESOLVED = ReasonKind("alarm.action-unresolved", "its alarm action {action} cannot be resolved: {unknown}")
NO_SNS_ACTION = ReasonKind("alarm.no-sns-action", "none of its alarm actions is an SNS topic ({actions}); {fix}")
NOTIFIES_ONLY_ON_OK = ReasonKind(
    "alarm.notifies-only-on-ok",
    "it notifies only when it returns to OK or lacks data, not when it fires; {fix}")
NO_ACTIONS = ReasonKind("alarm.no-actions", "it has no alarm actions, so nobody is notified; {fix}")

# --- which filters sit on a trail's log group --------------------------------------------------------------------

FILTER_LOG_GROUP_UNRESOLVED = ReasonKind("link.filter-log-group-unresolved",
                                         "filter {filter}'s log group cannot be resolved: {unknown}")
SAME_LOG_GROUP_UNDECIDED = ReasonKind(
    "link.same-log-group-undecided",
    "whether filter {filter} is on the trail's log group cannot be decided: {unknown}; or reference the log group "
    "resource from both the trail and the filter")

# --- TG_AWS_4: the whole chain -------------------------------------------------------------------------------------

BREAKS_AT_TRAIL = ReasonKind("chain.breaks-at-trail",
                             "the chain breaks at the trail itself (TG_AWS_1); fix the trail first")
TRAIL_CAUSE = ReasonKind("chain.trail-cause", "")  # "trail: " and a TG_AWS_1 reason
NO_FILTER = ReasonKind("chain.no-filter",
                       "no metric filter for {control} on the trail's log group {log_group}; {fix}: {pattern}")
OTHER_FILTERS = ReasonKind(
    "chain.other-filters",
    "the log group carries {count} other filter(s), about no control trailguard checks: {filters}")
BREAKS_AT_PATTERN = ReasonKind("chain.breaks-at-pattern",
                               "the chain breaks at the pattern of filter {filter} (TG_AWS_2); fix that link{others}")
BREAKS_AT_ALARM = ReasonKind("chain.breaks-at-alarm",
                             "the chain breaks at the alarm of filter {filter} (TG_AWS_3); fix that link{others}")
OTHERS_BREAK_NO_LATER = ReasonKind(
    "chain.others-break-no-later", " ({count} other {control} filter(s) on the log group break no later)")
FILTER_CAUSE = ReasonKind("chain.filter-cause", "")  # "filter F: " and the reason that filter's link breaks
MONITORED_BY = ReasonKind("chain.monitored-by", "monitored by filter {filter}", failure=False)
TOGETHER_COVER = ReasonKind("chain.together-cover", "filters {filters} together count every event of {control}",
                            failure=False)
TOGETHER_MISS = ReasonKind(
    "chain.together-miss",
    "the chain breaks at the patterns: the filters with a working alarm ({filters}) together do not count every "
    "event of {control} (TG_AWS_2); add the missing calls to one of them")

# --- TG_AWS_5: somebody reads the alarm --------------------------------------------------------------------------

NO_SUBSCRIPTION = ReasonKind(
    "topic.no-subscription",
    "nobody is subscribed to the topic in this deployment, so the alarm may reach no one; {fix}")
SUBSCRIBED_BY = ReasonKind("topic.subscribed-by", "subscribed by {subscriptions}", failure=False)

CATALOGUE: Dict[str, ReasonKind] = {kind.code: kind for kind in globals().copy().values()
                                    if isinstance(kind, ReasonKind)}
