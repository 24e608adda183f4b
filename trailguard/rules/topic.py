"""TG_AWS_5 (advisory): somebody reads the alarm, because its SNS topic has a subscription in scope
(docs/checks/TG_AWS_5.md)."""

from __future__ import annotations

import logging
from typing import Dict, List, Optional

from trailguard.findings import Finding
from trailguard.model import ActionTarget, Model, Topic, is_unknown
from trailguard.rules.alarm import alarm_outcome
from trailguard.rules.membership import monitoring_filters
from trailguard.rules.outcome import Outcome
from trailguard.rules.reasons import NO_SUBSCRIPTION, SUBSCRIBED_BY
from trailguard.rules.rule import Context, Rule
from trailguard.vocabulary import fix

LOG = logging.getLogger("trailguard")


def judged_topics(model: Model, context: Context) -> List[Topic]:
    """The subjects of TG_AWS_5: the notified topics, or every topic of the unit when finding them fails (an internal
    error must not make topics vanish from the report)."""
    try:
        return list(notified_topics(model, context.cis_version).values())
    except Exception:  # every topic is then judged: never a silent pass
        LOG.exception("trailguard internal error while finding notified topics")
        return list(model.topics.values())


def notified_topics(model: Model, cis_version: str) -> Dict[str, Topic]:
    """Topics in scope that some alarm on a monitoring filter's metric notifies, whether or not that alarm passes
    TG_AWS_3: the advisory is shown for every topic on the path (docs/rules.md, "The chain")."""
    topics: Dict[str, Topic] = {}
    for metric_filter in monitoring_filters(model, cis_version):
        _, _, alarms = alarm_outcome(model, metric_filter)
        for alarm in alarms:
            for action in alarm.alarm_actions:
                topic = _topic_of(model, action)
                if topic is not None:
                    topics[topic.id] = topic
    return topics


def _topic_of(model: Model, action: ActionTarget) -> Optional[Topic]:
    if action.is_sns is not True or action.topic is None:
        return None
    if action.topic.resource in model.topics:
        return model.topics[action.topic.resource]
    return next((t for t in model.topics.values() if action.topic.name and t.arn == action.topic.name), None)


def check_subscription(model: Model, topic: Topic, context: Context) -> Finding:
    outcome = Outcome()
    subscribed = [s for s in model.subscriptions.values()
                  if not is_unknown(s.topic) and s.topic is not None and
                  (s.topic.resource == topic.id or (s.topic.name is not None and s.topic.name == topic.arn))]
    if subscribed:
        outcome.details.append(SUBSCRIBED_BY(subscriptions=", ".join(s.id for s in subscribed)))
    else:
        outcome.fail(NO_SUBSCRIPTION(fix=fix("subscription", model.framework)))
    return outcome.finding(context.check.id, topic)


RULE = Rule(subjects=judged_topics, check=check_subscription)
