"""Linking a trail to another unit's log group, filters and alarms: only on proof or declaration, judged by the
same rules on the joined model; scanner-free (the models are built from the files)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Tuple

from hypothesis import given
from hypothesis import strategies as st

from tests.units import layouts
from tests.units.layouts import ACCOUNT, LOG_GROUP, OTHER_ACCOUNT, REGION, plan_pair, provider, split
from trailguard.findings import FAILED, PASSED
from trailguard.model import LogGroup, Model, Ref, Trail
from trailguard.units.cloudformation import stack_set_targets
from trailguard.units.declared import Declarations, DeclaredLink
from trailguard.units.links import Candidate, Link, links_of, place_of
from trailguard.units.proof import CHAIN_CHECKS, joined_verdicts
from trailguard.units.target import Target
from trailguard.units.unit import PLAN, ROOT, TEMPLATE, Unit


def _roots(base: Path) -> Tuple[Unit, Unit]:
    return Unit("trail", ROOT, base / "trail"), Unit("monitoring", ROOT, base / "monitoring")


def _links(home: Unit, units: List[Unit], declarations: Optional[Declarations] = None
           ) -> Tuple[Trail, List[Link], List[Candidate]]:
    (model,) = [model for model in home.models if model.trails]
    (trail,) = model.trails.values()
    links, candidates = links_of(trail, model, home, units, declarations or Declarations())
    return trail, links, candidates


def _results(trail: Trail, home: Unit, links: List[Link]) -> set:
    return {verdict.result for verdict in joined_verdicts(trail, home, links).values()}


def test_a_split_layout_in_one_account_is_proven(tmp_path):
    home, monitoring = _roots(split(tmp_path))
    trail, links, candidates = _links(home, [home, monitoring])
    assert [(link.unit.name, link.log_group) for link in links] == [("monitoring", LOG_GROUP)] and not candidates
    assert "same account 111122223333 and region eu-west-1" in links[0].describe()
    verdicts = joined_verdicts(trail, home, links)
    assert set(verdicts) == set(CHAIN_CHECKS) and {v.result for v in verdicts.values()} == {PASSED}


def test_the_trail_alone_fails_every_chain(tmp_path):
    home, _ = _roots(split(tmp_path))
    trail, _, _ = _links(home, [home])
    assert _results(trail, home, []) == {FAILED}


def test_a_literal_arn_names_the_log_group_another_unit_creates(tmp_path):
    home, monitoring = _roots(split(tmp_path, literal_arn=True))
    trail, links, _ = _links(home, [home, monitoring])
    assert [link.unit.name for link in links] == ["monitoring"] and "the trail's log group ARN" in links[0].how
    assert _results(trail, home, links) == {PASSED}


def test_another_account_is_no_proof(tmp_path):
    home, monitoring = _roots(split(tmp_path, monitoring_provider=provider(OTHER_ACCOUNT)))
    _, links, candidates = _links(home, [home, monitoring])
    assert not links and [candidate.unit.name for candidate in candidates] == ["monitoring"]
    assert "deploys to account 444455556666" in candidates[0].why


def test_a_unit_that_states_no_account_is_a_candidate_only(tmp_path):
    home, monitoring = _roots(split(tmp_path, monitoring_provider=provider(None)))
    _, links, candidates = _links(home, [home, monitoring])
    assert not links and candidates[0].why == "it states no account and region it deploys to"


def test_a_declared_link_needs_no_account(tmp_path):
    base = split(tmp_path, trail_provider=provider(None), monitoring_provider=provider(None))
    home, monitoring = _roots(base)
    declared = Declarations("cfg", base, [DeclaredLink(home.path.resolve(), "aws_cloudtrail.main",
                                                       monitoring.path.resolve(), LOG_GROUP, "SEC-42")])
    trail, links, _ = _links(home, [home, monitoring], declared)
    assert [link.how for link in links] == ["declared in cfg: SEC-42"]
    assert _results(trail, home, links) == {PASSED}


def test_a_declared_link_to_another_log_group_name_is_not_followed(tmp_path):
    base = split(tmp_path, monitoring_provider=provider(None))
    home, monitoring = _roots(base)
    declared = Declarations("cfg", base, [DeclaredLink(home.path.resolve(), "aws_cloudtrail.main",
                                                       monitoring.path.resolve(), "other-group", "typo")])
    _, links, candidates = _links(home, [home, monitoring], declared)
    assert not links and candidates


def test_a_bad_filter_in_the_linked_unit_fails_the_joined_chain(tmp_path):
    base = split(tmp_path)
    text = (base / "monitoring" / "main.tf").read_text()
    broken = text.replace('($.errorCode = \\"AccessDenied*\\") }', '($.errorCode = \\"AccessDenied*\\") || '
                          '($.eventName != \\"HeadBucket\\") }', 1)
    assert broken != text
    (base / "monitoring" / "main.tf").write_text(broken)
    home, monitoring = _roots(base)
    trail, links, _ = _links(home, [home, monitoring])
    verdicts = joined_verdicts(trail, home, links)
    assert verdicts["TG_AWS_4"].result == FAILED and verdicts["TG_AWS_6"].result == PASSED
    assert any("(unit monitoring)" in reason for reason in verdicts["TG_AWS_4"].reasons)


def test_plan_files_link_as_roots_do(tmp_path):
    base = plan_pair(tmp_path)
    home, monitoring = Unit("trail.json", PLAN, base / "trail.json"), Unit("monitoring.json", PLAN,
                                                                           base / "monitoring.json")
    trail, links, _ = _links(home, [home, monitoring])
    assert [link.unit.name for link in links] == ["monitoring.json"]
    assert joined_verdicts(trail, home, links)["TG_AWS_4"].result == PASSED


def _templates() -> List[Unit]:
    paths = (layouts.CFN_TRAIL, layouts.CFN_SPLIT / "monitoring.yaml")
    return [Unit(path.name, TEMPLATE, path.resolve()) for path in paths]


def test_templates_deployed_by_stack_sets_link():
    targets = stack_set_targets([layouts.CFN_SPLIT / "stack_sets.yaml"])
    units = _templates()
    for unit in units:
        unit.with_target(targets[unit.path])
    trail, links, _ = _links(units[0], units)
    assert [link.unit.name for link in links] == ["monitoring.yaml"]
    assert _results(trail, units[0], links) == {PASSED}


def test_templates_without_targets_do_not_link():
    units = _templates()
    _, links, candidates = _links(units[0], units)
    assert not links and [candidate.unit.name for candidate in candidates] == ["monitoring.yaml"]


_ACCOUNTS = st.sampled_from([ACCOUNT, OTHER_ACCOUNT, "000000000001"])
_REGIONS = st.sampled_from([REGION, "us-east-1", "cn-north-1"])


class _Given(Unit):
    """A unit with a given target and model (no files)."""

    def __init__(self, name: str, target: Target, model: Model) -> None:
        super().__init__(name, ROOT, Path(name), _models=[model], _target=target)

    def mentions(self, text: str) -> bool:
        return True


@given(_ACCOUNTS, _REGIONS, _ACCOUNTS, _REGIONS, st.booleans())
def test_a_literal_arn_links_exactly_when_the_other_unit_deploys_there(account, region, deployed, deployed_region,
                                                                       placeholders):
    arn = (f"arn:aws:logs:{region}:{account}:log-group:g:*" if not placeholders else
           "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:g:*")
    home_model = Model("cloudformation")
    home_model.add(Trail("T", "t", log_group=Ref(name="g"), log_group_arn=arn))
    monitoring_model = Model("cloudformation")
    monitoring_model.add(LogGroup("G", "g", name="g"))
    home = _Given("home", Target(frozenset([account]), frozenset([region]), "a", "b"), home_model)
    other = _Given("other", Target(frozenset([deployed]), frozenset([deployed_region]), "c", "d"), monitoring_model)
    links, candidates = links_of(home_model.trails["T"], home_model, home, [home, other], Declarations())
    place = place_of(home_model.trails["T"], home_model, home)
    assert (place.account, place.region) == (account, region)
    assert bool(links) == (account == deployed and region == deployed_region) != bool(candidates)
