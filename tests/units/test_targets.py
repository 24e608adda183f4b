"""Where a unit deploys, from its files: Terraform providers (roots and plan files), StackSets, the configuration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.units.layouts import ACCOUNT, CFN_SPLIT, CFN_TRAIL, OTHER_ACCOUNT, REGION, SPLIT, plan_pair, provider, root
from trailguard.units.cloudformation import stack_set_targets
from trailguard.units.declared import DECLARED_TARGET, DeclarationError, read_declarations
from trailguard.units.target import NOWHERE, Target
from trailguard.units.terraform import plan_target, root_target


def _target(tmp_path: Path, block: str) -> Target:
    return root_target(root(tmp_path / "root", SPLIT, block))


def test_allowed_account_ids_and_region_state_the_target(tmp_path):
    target = _target(tmp_path, provider())
    assert target == Target(frozenset([ACCOUNT]), frozenset([REGION]), "provider allowed_account_ids",
                            "provider region")
    assert target.known and target.holds(ACCOUNT, REGION) and not target.holds(OTHER_ACCOUNT, REGION)


def test_an_assume_role_arn_states_the_account(tmp_path):
    target = _target(tmp_path, provider(how="assume_role"))
    assert target.accounts == {ACCOUNT} and target.account_by == "provider assume_role role_arn"


def test_a_region_from_a_variable_default(tmp_path):
    block = 'provider "aws" {\n  region = var.home_region\n  allowed_account_ids = ["111122223333"]\n}\n' \
            'variable "home_region" {\n  default = "ap-southeast-2"\n}\n'
    assert _target(tmp_path, block).regions == {"ap-southeast-2"}


def test_a_region_from_a_variable_without_value_states_nothing(tmp_path):
    block = 'provider "aws" {\n  region = var.home_region\n  allowed_account_ids = ["111122223333"]\n}\n' \
            'variable "home_region" {}\n'
    target = _target(tmp_path, block)
    assert target.accounts == {ACCOUNT} and not target.regions and not target.known


def test_allowed_ids_and_a_role_in_another_account_contradict(tmp_path):
    block = ('provider "aws" {\n  region = "eu-west-1"\n  allowed_account_ids = ["111122223333"]\n  assume_role {\n'
             '    role_arn = "arn:aws:iam::444455556666:role/x"\n  }\n}\n')
    assert not _target(tmp_path, block).accounts


def test_an_aliased_provider_elsewhere_leaves_no_single_target(tmp_path):
    block = provider() + 'provider "aws" {\n  alias = "other"\n  region = "us-east-1"\n' \
                         '  allowed_account_ids = ["111122223333"]\n}\n'
    assert _target(tmp_path, block) == NOWHERE


def test_no_provider_block_states_nothing(tmp_path):
    assert _target(tmp_path, "") == NOWHERE


def test_a_plan_file_states_its_provider_and_variables(tmp_path):
    base = plan_pair(tmp_path / "plans")
    assert plan_target(base / "trail.json") == Target(frozenset([ACCOUNT]), frozenset([REGION]),
                                                      "provider allowed_account_ids", "provider region")


def test_stack_sets_give_the_templates_they_deploy_their_targets():
    targets = stack_set_targets([CFN_SPLIT / "stack_sets.yaml"])
    for template, logical_id in ((CFN_TRAIL, "TrailStackSet"), (CFN_SPLIT / "monitoring.yaml", "MonitoringStackSet")):
        found = targets[template.resolve()]
        assert (found.accounts, found.regions) == ({ACCOUNT}, {REGION})
        assert found.account_by == found.region_by == f"StackSet {logical_id} in stack_sets.yaml"


def test_declarations_read_links_targets_and_organization(tmp_path):
    config = tmp_path / ".trailguard.yaml"
    declared = read_declarations({
        "links": [{"trail-unit": "a", "trail": "aws_cloudtrail.main", "monitoring-unit": "b", "log-group": "g",
                   "reason": "SEC-42"}],
        "targets": {"t.yaml": {"account": ACCOUNT, "region": REGION}},
        "organization": {"management-account": ACCOUNT, "member-accounts": [OTHER_ACCOUNT]},
    }, config)
    (link,) = declared.links
    assert (link.trail_unit, link.monitoring_unit) == ((tmp_path / "a").resolve(), (tmp_path / "b").resolve())
    assert declared.targets[(tmp_path / "t.yaml").resolve()].account_by == DECLARED_TARGET
    assert declared.organization.includes(OTHER_ACCOUNT) and declared.organization.includes(ACCOUNT)


@pytest.mark.parametrize("keys, words", [
    ({"links": [{"trail-unit": "a", "trail": "t", "monitoring-unit": "b", "log-group": "g"}]}, "`reason`"),
    ({"targets": {"t.yaml": {"account": 111122223333, "region": REGION}}}, "quoted 12-digit"),
    ({"organization": {"member-accounts": ["12345"]}}, "quoted 12-digit"),
    ({"links": {"trail": "t"}}, "links is a list"),
])
def test_a_declaration_that_cannot_be_read_says_why(tmp_path, keys, words):
    with pytest.raises(DeclarationError, match=words.replace("`", "`?")):
        read_declarations(json.loads(json.dumps(keys)), tmp_path / ".trailguard.yaml")
