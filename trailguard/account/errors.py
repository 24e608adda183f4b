"""What can go wrong reading an account, as data: every failed call is a `Failure` that names the call and the ARN it
was about, and becomes a FAILED result ("not proven"), never a pass."""

from __future__ import annotations

from dataclasses import dataclass

# Error codes AWS gives for a region that is turned off for the account (an opt-in region), or credentials that
# region does not accept.
_REGION_OFF = ("UnrecognizedClientException", "InvalidClientTokenId", "AuthFailure", "OptInRequired")
# Not AWS's: trailguard did not try to enter an account because no role was named.
NOT_ATTEMPTED = "NotAttempted"


class AwsMissing(Exception):
    """boto3 is not installed: `trailguard account` says what to install (exit 2)."""


@dataclass(frozen=True)
class Failure:
    """A read that failed: `call` as IAM names the action ("cloudtrail:GetTrailStatus"), `arn` the resource it was
    about, `code` AWS's error code (or the client's exception name), `message` AWS's words."""

    call: str
    arn: str
    code: str
    message: str

    def hint(self) -> str:
        """What to do about it, from the kind of error."""
        if "AccessDenied" in self.code or self.code in ("UnauthorizedOperation", "AuthorizationError"):
            return f"grant {self.call} (docs/account.md has the least-privilege policy)"
        if "Throttl" in self.code or self.code in ("RequestLimitExceeded", "TooManyRequestsException"):
            return "AWS throttled the call after retries; run again later"
        if self.code == NOT_ATTEMPTED:
            return "give --role-name: a role trailguard may assume in that account"
        if self.code in _REGION_OFF:
            return "the region may be turned off for this account (an opt-in region); leave it out with --region"
        return "see AWS's message"

    def text(self) -> str:
        """The reason a user reads: not proven, the call, the ARN, the error and what to do."""
        return (f"not proven: {self.call} on {self.arn} failed ({self.code}: {self.message}); {self.hint()}; "
                "nothing that depends on it counts as proven")
