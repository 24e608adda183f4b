"""Organization trails covering the member-account units of a declared organization."""

from __future__ import annotations

from pathlib import Path
from typing import List

from tests.units.layouts import ORGANIZATION, copy_tree, provider, root
from trailguard.units.declared import Declarations, Organization
from trailguard.units.organization import coverage
from trailguard.units.unit import ROOT, Unit

MANAGEMENT, MEMBER_A, MEMBER_B = "111111111111", "222222222222", "333333333333"


def _units(base: Path) -> List[Unit]:
    return [Unit("management", ROOT, base)] + [Unit(name, ROOT, base / "members" / name)
                                                for name in ("member_a", "member_b")]


def _declared(management: str = MANAGEMENT, members=(MEMBER_A, MEMBER_B)) -> Declarations:
    return Declarations("cfg", organization=Organization(management, frozenset(members)))


def test_member_units_without_a_trail_are_covered(tmp_path):
    units = _units(copy_tree(ORGANIZATION, tmp_path / "org"))
    found = coverage(units, _declared())
    assert sorted(found) == ["member_a", "member_b"]
    (cover,) = found["member_a"]
    assert cover.describe() == "covered by organization trail aws_cloudtrail.main (unit management)"
    assert "account 222222222222 (provider assume_role role_arn)" in cover.why


def test_an_account_outside_the_organization_is_not_covered(tmp_path):
    units = _units(copy_tree(ORGANIZATION, tmp_path / "org"))
    assert sorted(coverage(units, _declared(members=[MEMBER_A]))) == ["member_a"]


def test_no_organization_declared_covers_nothing(tmp_path):
    assert coverage(_units(copy_tree(ORGANIZATION, tmp_path / "org")), Declarations()) == {}


def test_a_trail_outside_the_declared_management_account_covers_nothing(tmp_path):
    units = _units(copy_tree(ORGANIZATION, tmp_path / "org"))
    assert coverage(units, _declared(management="999999999999")) == {}


def test_a_trail_that_is_not_an_organization_trail_covers_nothing(tmp_path):
    base = copy_tree(ORGANIZATION, tmp_path / "org")
    root(base, ORGANIZATION, provider(MANAGEMENT),
         {"is_organization_trail         = true": "is_organization_trail         = false"})
    assert coverage(_units(base), _declared()) == {}


def test_a_member_unit_that_states_no_account_is_not_covered(tmp_path):
    base = copy_tree(ORGANIZATION, tmp_path / "org")
    root(base / "members" / "member_b", ORGANIZATION / "members" / "member_b", provider(None))
    assert sorted(coverage(_units(base), _declared())) == ["member_a"]


def test_a_member_unit_with_its_own_trail_is_not_covered(tmp_path):
    base = copy_tree(ORGANIZATION, tmp_path / "org")
    root(base / "members" / "member_b", ORGANIZATION, provider(MEMBER_B))
    assert sorted(coverage(_units(base), _declared())) == ["member_a"]
