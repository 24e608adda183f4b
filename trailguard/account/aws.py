"""The only module that talks to AWS, and only to read: every call goes through `Reader.read`, which refuses any
operation outside `READ_OPERATIONS` and turns every error into a `Failure` naming the call and the ARN.

boto3 is imported lazily (`trailguard[aws]`): without it `require_boto3` raises `AwsMissing` with what to install.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional

from trailguard.account.errors import AwsMissing, Failure

# Every operation trailguard may call, by service; none of them writes. `sts:AssumeRole` only obtains credentials
# (for `--organization` and an organization trail's owner account); it changes nothing in an account.
READ_OPERATIONS: Dict[str, frozenset] = {
    "sts": frozenset({"get_caller_identity", "assume_role"}),
    "organizations": frozenset({"list_accounts"}),
    "cloudtrail": frozenset({"describe_trails", "get_trail_status", "get_event_selectors"}),
    "logs": frozenset({"describe_metric_filters"}),
    "cloudwatch": frozenset({"describe_alarms"}),
    "sns": frozenset({"list_subscriptions_by_topic"}),
}
_SESSION_NAME = "trailguard-account"


class ReadFailed(Exception):
    """A read that failed; `failure` says which and why."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.text())
        self.failure = failure


def require_boto3() -> Any:
    """The boto3 module, or `AwsMissing` saying what to install."""
    try:
        import boto3
    except ImportError:
        raise AwsMissing("`trailguard account` needs boto3: pip install \"trailguard[aws]\" (or boto3 alone)") from None
    return boto3


def iam_action(service: str, operation: str) -> str:
    """`cloudtrail`, `get_trail_status` -> `cloudtrail:GetTrailStatus` (how IAM names it, for failures and for the
    policy in docs/account.md)."""
    return f"{service}:{''.join(part.capitalize() for part in operation.split('_'))}"


class Reader:
    """Read-only calls with one account's credentials. `account` is the account id the credentials belong to,
    `partition` its partition (`aws`, `aws-cn`, `aws-us-gov`)."""

    def __init__(self, session: Any, account: str, partition: str = "aws") -> None:
        self.session = session
        self.account = account
        self.partition = partition
        self._clients: Dict[Any, Any] = {}

    def _client(self, service: str, region: Optional[str]) -> Any:
        key = (service, region)
        if key not in self._clients:
            from botocore.config import Config

            # Throttling is retried with backoff before it becomes a failure.
            config = Config(retries={"mode": "standard", "max_attempts": 8})
            self._clients[key] = self.session.client(service, region_name=region, config=config)
        return self._clients[key]

    def read(self, service: str, operation: str, region: Optional[str], arn: str, **params: Any) -> Dict[str, Any]:
        """One call; `ReadFailed` on any error, naming the call and `arn`."""
        return next(self.pages(service, operation, region, arn, **params))

    def pages(self, service: str, operation: str, region: Optional[str], arn: str,
              **params: Any) -> Iterator[Dict[str, Any]]:
        """Every page of a call (one page when AWS does not paginate it); `ReadFailed` on any error."""
        if operation not in READ_OPERATIONS.get(service, frozenset()):
            raise ValueError(f"{service}:{operation} is not a read operation trailguard may call")
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            client = self._client(service, region)
            if client.can_paginate(operation):
                yield from client.get_paginator(operation).paginate(**params)
            else:
                yield getattr(client, operation)(**params)
        except ClientError as error:
            details = error.response.get("Error", {})
            raise ReadFailed(Failure(iam_action(service, operation), arn, str(details.get("Code", "ClientError")),
                                     str(details.get("Message", error)))) from None
        except BotoCoreError as error:  # no credentials, no endpoint for the region, a connection that failed
            raise ReadFailed(Failure(iam_action(service, operation), arn, type(error).__name__, str(error))) from None

    def all(self, service: str, operation: str, region: Optional[str], arn: str, key: str,
            **params: Any) -> List[Dict[str, Any]]:
        """The items under `key` of every page."""
        return [item for page in self.pages(service, operation, region, arn, **params) for item in page.get(key, [])]

    def role_arn(self, account: str, role_name: str) -> str:
        return f"arn:{self.partition}:iam::{account}:role/{role_name}"

    def assume(self, account: str, role_name: str) -> Reader:
        """A reader with the credentials of the role `role_name` in `account` (for `--organization`, and an
        organization trail's owner account)."""
        role_arn = self.role_arn(account, role_name)
        answer = self.read("sts", "assume_role", None, role_arn, RoleArn=role_arn, RoleSessionName=_SESSION_NAME)
        credentials = answer["Credentials"]
        session = require_boto3().Session(
            aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"], region_name=self.session.region_name)
        return Reader(session, account, self.partition)


def caller(session: Any) -> Reader:
    """A reader for the credentials the session holds, with their account and partition (`sts:GetCallerIdentity`)."""
    probe = Reader(session, "")
    identity = probe.read("sts", "get_caller_identity", None, "the caller's credentials")
    probe.account, probe.partition = identity["Account"], identity["Arn"].split(":")[1]
    return probe
