"""Where a deployment unit deploys: its AWS account(s) and region(s), each with the evidence that says so.

A link between units is proven only by facts the files (or the reviewed configuration) state, so an account or a
region that cannot be read is simply absent: a target that does not know its account proves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import FrozenSet, Optional

ACCOUNT_ID_LENGTH = 12


def account_id(text: object) -> Optional[str]:
    """A 12-digit AWS account id, or None (a variable, a placeholder, a typo)."""
    value = str(text).strip() if isinstance(text, (str, int)) else ""
    return value if len(value) == ACCOUNT_ID_LENGTH and value.isdigit() else None


@dataclass(frozen=True)
class Target:
    """The accounts and regions a unit deploys to; `account_by` and `region_by` say which file fact told each."""

    accounts: FrozenSet[str] = frozenset()
    regions: FrozenSet[str] = frozenset()
    account_by: str = ""
    region_by: str = ""

    @property
    def known(self) -> bool:
        return bool(self.accounts and self.regions)

    def holds(self, account: str, region: str) -> bool:
        """Whether the unit deploys to this account and region (and so creates its resources there)."""
        return account in self.accounts and region in self.regions

    def describe(self) -> str:
        """"account 111122223333 by provider allowed_account_ids, region eu-west-1 by provider region"."""
        parts = []
        if self.accounts:
            parts.append(f"account {', '.join(sorted(self.accounts))} by {self.account_by}")
        if self.regions:
            parts.append(f"region {', '.join(sorted(self.regions))} by {self.region_by}")
        return ", ".join(parts) or "no account or region stated"

    def evidence(self) -> str:
        """What states the target: "provider allowed_account_ids and region"."""
        if self.account_by and self.account_by == self.region_by:
            return self.account_by
        if self.account_by.startswith("provider ") and self.region_by == "provider region":
            return f"{self.account_by} and region"
        return ", ".join(filter(None, (self.account_by, self.region_by))) or "nothing"

    def filled_from(self, other: Target) -> Target:
        """This target, with what it does not state taken from `other` (a target declared in the configuration)."""
        return Target(self.accounts or other.accounts, self.regions or other.regions,
                      self.account_by if self.accounts else other.account_by,
                      self.region_by if self.regions else other.region_by)


NOWHERE = Target()
