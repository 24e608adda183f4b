"""A CIS monitoring control as data: its ids, its CIS numbers, what a filter must count under each CIS version, the
texts CIS and Security Hub publish for it, and the words that say a filter belongs to it.

A control knows nothing about judging: `trailguard.pattern` judges a pattern against the control's `Target` for a
CIS version. The facts come from ../CONTROLS.md's sources (each control module names its own): the CIS AWS
Foundations Benchmark texts as transcribed in Prowler's `prowler/compliance/aws/cis_*_aws.json`, AWS Security Hub's
"CloudWatch controls" page, and CloudTrail's record contents reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Sequence, Tuple

from trailguard.pattern.compiled import glob_matches
from trailguard.pattern.target import Target

# The CIS AWS Foundations Benchmark versions with a monitoring section, oldest first.
CIS_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "2.0", "3.0", "4.0", "5.0", "6.0", "7.0")
NEWEST = CIS_VERSIONS[-1]

# The verdicts a published text deserves (the judge's statuses).
PASS, FAIL, INVALID = "PASS", "FAIL", "INVALID"


def calls(names: Sequence[str], source: str) -> str:
    """`"A, B and C from s.amazonaws.com"`: a list of one service's calls, in words."""
    listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    return f"{listed} from {source}"


def cis_texts(read: str) -> str:
    """Where a control's CIS texts come from, and which versions' files were read for it (docs/controls.md,
    "Sources")."""
    return (f"CIS AWS Foundations Benchmark as transcribed in Prowler's prowler/compliance/aws/cis_*_aws.json, read "
            f"for {read}; the other versions' texts are taken to be the same (docs/controls.md, Sources)")


def security_hub_page(control_id: str) -> str:
    """Where a Security Hub control's exact text comes from."""
    return (f"AWS Security Hub user guide, CloudWatch controls ({control_id}): awsdocs/aws-security-hub-user-guide "
            "doc_source/cloudwatch-controls.md at bda5bf7")


class UnknownVersion(ValueError):
    """A CIS version trailguard does not know, or one in which the control does not exist."""


@lru_cache(maxsize=64)
def version_key(version: str) -> Tuple[int, ...]:
    """`"1.10"` after `"1.9"`: versions compare as numbers."""
    return tuple(int(part) for part in version.split("."))


def check_version(version: Optional[str]) -> str:
    """The version to judge by (the newest when none is given); a version CIS never published is an error."""
    if version is None:
        return NEWEST
    normal = version.lstrip("v")
    normal = normal[:-2] if normal.endswith(".0") and normal.count(".") == 2 else normal
    if normal not in CIS_VERSIONS:
        raise UnknownVersion(f"unknown CIS version {version!r}; known: {', '.join(CIS_VERSIONS)}")
    return normal


@dataclass(frozen=True)
class PublishedText:
    """One pattern as CIS printed it in one version, and the verdict its meaning deserves, with why."""

    versions: Tuple[str, ...]
    where: str
    text: str
    deserves: str
    why: str


@dataclass(frozen=True)
class Signal:
    """A comparison that says a filter is about a control: a positive comparison of `path` with a value that is
    one of `names` (exactly) or contains one of `words` (any case)."""

    path: Tuple[str, ...]
    names: Tuple[str, ...] = ()
    words: Tuple[str, ...] = ()

    def said_by(self, path: Tuple[object, ...], value: str) -> bool:
        """Whether comparing `path` with `value` speaks of the control: one of its names, a wildcard that matches
        one (`*NetworkAcl*`; a bare `*` matches everything and speaks of nothing), or a value containing one of its
        words."""
        if path != self.path:
            return False
        if value in self.names or any(word in value.lower() for word in self.words):
            return True
        return "*" in value and value.strip("*") != "" and any(glob_matches(value, name) for name in self.names)


@dataclass(frozen=True)
class Control:
    """One CIS monitoring control (CONTROLS.md's table), with its target events per CIS version."""

    slug: str
    title: str
    counts: str  # what a filter must count, in words (docs/controls.md)
    either_way: str  # what it may count or not (don't care), in words; "" when nothing may go either way
    rationale: str  # why the control matters, for its check's page (docs/checks/)
    cis_v12: Optional[str]
    cis_v13_to_v5: str
    cis_v6: str
    security_hub: Optional[str]
    checkov_id: str
    cfn_lint_id: str
    # (first CIS version it applies to, target), oldest first; the control does not exist before the first.
    targets: Tuple[Tuple[str, Target], ...]
    canonical: str
    security_hub_text: Optional[str]
    signals: Tuple[Signal, ...]
    # Words in a filter's or metric's name (lower case, letters and digits only) that say it is this control's.
    name_words: Tuple[str, ...]
    notes: Tuple[str, ...] = ()
    published: Tuple[PublishedText, ...] = ()
    sources: Tuple[str, ...] = field(default=())

    def exists_in(self, cis_version: Optional[str] = None) -> bool:
        """Whether a CIS version's text has the control (organizations changes first appear in v1.3)."""
        return version_key(self.first_version) <= version_key(check_version(cis_version))

    def target(self, cis_version: Optional[str] = None) -> Target:
        """What a filter must count under a CIS version (the newest text when none is given)."""
        version = check_version(cis_version)
        found = [target for first, target in self.targets if version_key(first) <= version_key(version)]
        if not found:
            raise UnknownVersion(
                f"CIS v{version} has no control {self.slug} (it first appears in v{self.targets[0][0]})"
            )
        return found[-1]

    def cis_number(self, cis_version: Optional[str] = None) -> Optional[str]:
        """The control's number in a CIS version's text (None where that version has no such control)."""
        version = version_key(check_version(cis_version))
        if version < (1, 3):
            return self.cis_v12
        return self.cis_v13_to_v5 if version < (6, 0) else self.cis_v6

    @property
    def first_version(self) -> str:
        return self.targets[0][0]
