"""Which reads to make, and one model per account and region of a trail's log group.

1. The accounts: the caller's (`sts:GetCallerIdentity`), and with `--organization` every active account of the
   organization (`organizations:ListAccounts`), each entered by `sts:AssumeRole` into the role `--role-name`.
2. The trails each account sees in each region (`cloudtrail:DescribeTrails` with shadow trails, so a multi-region
   trail and an organization trail are seen from every region and member account), once per trail ARN, with their
   status and event selectors read in their home region, in their owner's account when trailguard can enter it.
3. Each trail belongs to the account and region of its CloudWatch Logs log group (an organization trail's group is in
   the trail's owner account, the management account: docs/account.md cites AWS's page), else of its home. Each such
   account and region, and each region of each account read, is a unit holding every metric filter
   (`logs:DescribeMetricFilters`) and metric alarm (`cloudwatch:DescribeAlarms`) there, as a file holds every
   resource it declares, and the subscriptions (`sns:ListSubscriptionsByTopic`) of the SNS topics TG_AWS_5 judges.

A read that fails is recorded as a `Failure` on its unit (and, where it leaves the model blind, as an unknown value
or a blind spot), so it fails the checks that depend on it and is reported by itself: never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from trailguard.account import build
from trailguard.account.aws import Reader, ReadFailed, caller
from trailguard.account.errors import NOT_ATTEMPTED, Failure
from trailguard.model import Alarm, MetricFilter, Model
from trailguard.rules.topic import notified_topics

ACCOUNT = "aws account"  # the model's framework: read from a live account, not from files
Key = Tuple[str, str]  # (account, region)


@dataclass
class Unit:
    """One account and region: its model, the accounts the trails in it were seen from, the reads that failed, and
    whether the account was found to have no trail at all."""

    account: str
    region: str
    model: Model
    seen_from: Set[str] = field(default_factory=set)
    failures: List[Failure] = field(default_factory=list)
    without_trail: bool = False

    @property
    def name(self) -> str:
        return self.model.unit


def new_unit(account: str, region: str) -> Unit:
    return Unit(account, region, Model(ACCOUNT, unit=f"aws://{account}/{region}"))


@dataclass
class _Seen:
    """A trail as `DescribeTrails` described it, and the accounts that see it."""

    description: Dict[str, Any]
    seen_from: Set[str] = field(default_factory=set)


class Survey:
    """The units of one run, and the readers of the accounts it entered (each account is entered once)."""

    def __init__(self, me: Reader, role_name: Optional[str]) -> None:
        self.me = me
        self.role_name = role_name
        self.units: Dict[Key, Unit] = {}
        self._readers: Dict[str, Optional[Reader]] = {me.account: me}

    def unit(self, key: Key) -> Unit:
        if key not in self.units:
            self.units[key] = new_unit(*key)
        return self.units[key]

    def fail(self, key: Key, failure: Failure, blind: bool = False) -> None:
        """Record a failed read on its unit; `blind` when it leaves the unit's model without what it would have
        read (the chain checks then name it beside the missing link)."""
        unit = self.unit(key)
        unit.failures.append(failure)
        if blind:
            unit.model.blind_spots.append(failure.text())

    def reader(self, account: str, key: Key) -> Optional[Reader]:
        """The reader of an account: the caller's, or the role `--role-name` there; None (recorded on `key`'s unit)
        when it cannot be entered."""
        if account not in self._readers:
            self._readers[account] = None
            if self.role_name is None:
                self.fail(key, Failure("sts:AssumeRole", f"account {account}", NOT_ATTEMPTED,
                                       "no --role-name was given to enter this account"))
            else:
                try:
                    self._readers[account] = self.me.assume(account, self.role_name)
                except ReadFailed as failed:
                    self.fail(key, failed.failure)
        return self._readers[account]

    def entered(self, account: str) -> Optional[Reader]:
        """The reader of an account trailguard has already entered (None: not entered, or could not be)."""
        return self._readers.get(account)

    def arn(self, service: str, region: str, account: str, resource: str) -> str:
        return f"arn:{self.me.partition}:{service}:{region}:{account}:{resource}"


def survey(session: Any, regions: Sequence[str], cis_version: str, role_name: Optional[str] = None,
           organization: bool = False) -> List[Unit]:
    """Every unit the caller's credentials reach, in the given regions (the first one is where account-wide reads
    go: the organization's accounts, the assumed roles). `cis_version` decides which filters are monitoring filters,
    whose alarms' topics are read."""
    try:
        me = caller(session)
    except ReadFailed as failed:
        unit = new_unit("unknown", regions[0])
        unit.failures.append(failed.failure)
        return [unit]
    found = Survey(me, role_name)
    accounts = _accounts(found, regions[0]) if organization else [me.account]
    trails: Dict[str, _Seen] = {}
    keys: Set[Key] = set()
    for account in accounts:
        # Every region of every account read is a unit, as a file is with or without a trail: its filters and
        # alarms are judged there too (a region that did not answer is a failed read already).
        keys.update((account, region) for region in _list_trails(found, account, regions, trails))
    keys.update(_place_trail(found, arn, seen) for arn, seen in trails.items())
    for key in sorted(keys):
        _read_monitoring(found, key, cis_version)
    return [found.units[key] for key in sorted(found.units)]


def _accounts(found: Survey, region: str) -> List[str]:
    """The organization's active accounts, the caller's first."""
    try:
        listed = found.me.all("organizations", "list_accounts", region,
                              f"arn:{found.me.partition}:organizations::{found.me.account}:account/*", "Accounts")
    except ReadFailed as failed:
        found.fail((found.me.account, region), failed.failure)
        return [found.me.account]
    others = sorted(a["Id"] for a in listed if a.get("Status", "ACTIVE") == "ACTIVE" and a["Id"] != found.me.account)
    return [found.me.account] + others


def _list_trails(found: Survey, account: str, regions: Sequence[str], trails: Dict[str, _Seen]) -> List[str]:
    """The trails an account sees in each region (an account that sees none anywhere is a unit without a trail);
    returns the regions that answered."""
    reader = found.reader(account, (account, regions[0]))
    if reader is None:
        return []
    answered: List[str] = []
    seen = False
    for region in regions:
        try:
            listed = reader.read("cloudtrail", "describe_trails", region, found.arn("cloudtrail", region, account,
                                                                                   "trail/*"),
                                 includeShadowTrails=True)["trailList"]
        except ReadFailed as failed:
            found.fail((account, region), failed.failure)
            continue
        answered.append(region)
        for description in listed:
            trails.setdefault(description["TrailARN"], _Seen(description)).seen_from.add(account)
            seen = True
    if answered and not seen:
        found.unit((account, answered[0])).without_trail = True
    return answered


def _place_trail(found: Survey, arn: str, seen: _Seen) -> Key:
    """Read the trail's status and selectors and file it in the unit of its log group (else of its home)."""
    description = seen.description
    owner, home = arn.split(":")[4], str(description.get("HomeRegion") or arn.split(":")[3])
    group = description.get("CloudWatchLogsLogGroupArn")
    key: Key = (group.split(":")[4], group.split(":")[3]) if group else (owner, home)
    # An organization trail seen from a member account is read in its owner's account when trailguard can enter it.
    reader = found.reader(owner, key) or found.reader(sorted(seen.seen_from)[0], key)
    assert reader is not None  # a trail is only listed by an account trailguard entered
    status = _read_or_unknown(found, key, reader, "get_trail_status", home, arn, Name=arn)
    selectors = _read_or_unknown(found, key, reader, "get_event_selectors", home, arn, TrailName=arn)
    unit = found.unit(key)
    unit.model.add(build.trail(description, status, selectors))
    unit.seen_from.update(seen.seen_from)
    if group:
        unit.model.add(build.log_group(group))
    return key


def _read_or_unknown(found: Survey, key: Key, reader: Reader, operation: str, region: str, arn: str,
                     **params: Any) -> Any:
    try:
        return reader.read("cloudtrail", operation, region, arn, **params)
    except ReadFailed as failed:
        found.fail(key, failed.failure)
        return build.unknown(failed.failure)


def _read_monitoring(found: Survey, key: Key, cis_version: str) -> None:
    """Every metric filter and metric alarm of the account and region, and the subscriptions of the topics that
    TG_AWS_5 judges there (those notified by an alarm on a monitoring filter's metric, as `rules.topic` decides)."""
    account, region = key
    unit = found.unit(key)
    reader = found.reader(account, key)
    if reader is None:
        unit.model.blind_spots.append(f"trailguard could not enter account {account}, which holds the log group, so "
                                      "its metric filters, alarms and topics were not read")
        return
    _filters(found, key, reader)
    for topic_arn in build.alarm_actions(_alarms(found, key, reader)):
        unit.model.add(build.topic(topic_arn))
    for topic in notified_topics(unit.model, cis_version).values():
        _subscriptions(found, key, reader, str(topic.arn))


def _filters(found: Survey, key: Key, reader: Reader) -> List[MetricFilter]:
    account, region = key
    unit = found.unit(key)
    try:
        answers = reader.all("logs", "describe_metric_filters", region,
                             found.arn("logs", region, account, "log-group:*"), "metricFilters")
    except ReadFailed as failed:
        found.fail(key, failed.failure, blind=True)
        return []
    filters = []
    for answer in answers:
        group = build.log_group(found.arn("logs", region, account, f"log-group:{answer.get('logGroupName', '')}"))
        if group.id not in unit.model.log_groups:
            unit.model.add(group)
        filters.append(build.metric_filter(group, answer))
        unit.model.add(filters[-1])
    return filters


def _alarms(found: Survey, key: Key, reader: Reader) -> List[Alarm]:
    account, region = key
    try:
        answers = reader.all("cloudwatch", "describe_alarms", region, found.arn("cloudwatch", region, account,
                                                                              "alarm:*"),
                             "MetricAlarms", AlarmTypes=["MetricAlarm"])
    except ReadFailed as failed:
        found.fail(key, failed.failure, blind=True)
        return []
    alarms = [build.alarm(answer) for answer in answers]
    for alarm in alarms:
        found.unit(key).model.add(alarm)
    return alarms


def _subscriptions(found: Survey, key: Key, reader: Reader, topic_arn: str) -> None:
    """The topic's subscriptions, read in the topic's own region with its account's reader when trailguard entered
    that account, else with the log group account's (the topic's policy decides whether that may read them)."""
    reader = found.entered(topic_arn.split(":")[4]) or reader
    try:
        answers = reader.all("sns", "list_subscriptions_by_topic", topic_arn.split(":")[3], topic_arn,
                             "Subscriptions", TopicArn=topic_arn)
    except ReadFailed as failed:
        found.fail(key, failed.failure)
        return
    for subscription in build.subscriptions(topic_arn, answers):
        found.unit(key).model.add(subscription)
