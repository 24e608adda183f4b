"""What the configuration file declares about deployment units, reviewed like code: links between units, targets
the files do not state, and the accounts of an organization (docs/cross-unit.md).

```yaml
links:
  - trail-unit: audit                      # unit paths are relative to the configuration file
    trail: aws_cloudtrail.main
    monitoring-unit: monitoring
    log-group: cloudtrail/management-events
    reason: both roots deploy to the audit account (SEC-42)
targets:
  stacks/trail.yaml: {account: "111122223333", region: eu-west-1}
organization:
  management-account: "111111111111"
  member-accounts: ["222222222222", "333333333333"]
```

Account ids are quoted strings: YAML reads an unquoted id as a number and drops its leading zeros, so a number is
an error rather than a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Optional

from trailguard.units.target import Target, account_id

DECLARED_TARGET = "a target declared in the configuration"


class DeclarationError(ValueError):
    """A declaration that cannot be read; the scan stops with it as a usage error."""


@dataclass(frozen=True)
class DeclaredLink:
    trail_unit: Path
    trail: str
    monitoring_unit: Path
    log_group: str
    reason: str


@dataclass(frozen=True)
class Organization:
    """The accounts of the organization whose organization trails the scan may find."""

    management_account: Optional[str]
    member_accounts: FrozenSet[str]

    def includes(self, account: str) -> bool:
        return account in self.member_accounts or account == self.management_account


@dataclass
class Declarations:
    source: str = ""
    base: Path = Path(".")  # the directory unit paths are relative to
    links: List[DeclaredLink] = field(default_factory=list)
    targets: Dict[Path, Target] = field(default_factory=dict)
    organization: Optional[Organization] = None


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DeclarationError(f"{where}: `{key}` must be given as text")
    return value.strip()


def _account(value: Any, where: str) -> str:
    found = account_id(value) if isinstance(value, str) else None
    if found is None:
        raise DeclarationError(f"{where}: {value!r} is not a quoted 12-digit account id")
    return found


def _link(entry: Any, base: Path, where: str) -> DeclaredLink:
    if not isinstance(entry, Mapping):
        raise DeclarationError(f"{where}: a link is a mapping with trail-unit, trail, monitoring-unit, log-group "
                               "and reason")
    return DeclaredLink((base / _text(entry, "trail-unit", where)).resolve(), _text(entry, "trail", where),
                        (base / _text(entry, "monitoring-unit", where)).resolve(), _text(entry, "log-group", where),
                        _text(entry, "reason", where))


def _target(entry: Any, where: str) -> Target:
    if not isinstance(entry, Mapping) or "account" not in entry or "region" not in entry:
        raise DeclarationError(f"{where}: a target is a mapping with account and region")
    return Target(frozenset([_account(entry["account"], where)]), frozenset([_text(entry, "region", where)]),
                  DECLARED_TARGET, DECLARED_TARGET)


def _organization(entry: Any, where: str) -> Organization:
    if not isinstance(entry, Mapping) or not isinstance(entry.get("member-accounts"), list):
        raise DeclarationError(f"{where}: organization is a mapping with member-accounts (a list of account ids) and "
                               "optionally management-account")
    management = entry.get("management-account")
    return Organization(None if management is None else _account(management, where),
                        frozenset(_account(item, where) for item in entry["member-accounts"]))


def read_declarations(keys: Mapping[str, Any], config: Path) -> Declarations:
    """The declarations of a configuration file's `links`, `targets` and `organization` keys."""
    base = config.parent.resolve()
    links = keys.get("links") or []
    targets = keys.get("targets") or {}
    if not isinstance(links, list) or not isinstance(targets, Mapping):
        raise DeclarationError(f"{config}: links is a list and targets a mapping of unit paths")
    return Declarations(
        str(config), base,
        [_link(entry, base, f"{config}: links[{index}]") for index, entry in enumerate(links)],
        {(base / str(unit)).resolve(): _target(entry, f"{config}: targets[{unit}]") for unit, entry in targets.items()},
        _organization(keys["organization"], f"{config}: organization") if keys.get("organization") else None)
