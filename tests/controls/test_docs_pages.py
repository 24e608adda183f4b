"""The generated documentation says what the data says, and what it tells users to paste works: every page of a
control's chain check (docs/checks/TG_AWS_6.md ... TG_AWS_19.md) and the generated parts of docs/controls.md equal
what `python -m trailguard.check_pages` writes, and each page's Terraform and CloudFormation fix, placed beside a
compliant trail, passes that control's chain check, its pattern check and its alarm check."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Dict, List

import pytest
from cfnlint.decode.cfn_yaml import load as load_template
from cfnlint.decode.cfn_yaml import loads as load_yaml

from trailguard.check_pages import ROOT, check_page, cloudformation_fix, generated_controls, rendered, terraform_fix
from trailguard.cloudformation.builder import build_models
from trailguard.controls import UNAUTHORIZED_API_CALLS
from trailguard.controls.control import Control
from trailguard.findings import PASSED, Finding
from trailguard.rules.analysis import analyse
from trailguard.terraform.roots import root_model

COMPLIANT = ROOT / "examples"
TRAIL_ROOT = COMPLIANT / "terraform" / "compliant" / "basic"
TRAIL_TEMPLATE = COMPLIANT / "cloudformation" / "compliant" / "plain_chain.yaml"
CONTROLS = generated_controls()
IDS = [control.slug for control in CONTROLS]


@pytest.mark.parametrize("path,text", sorted(rendered().items()), ids=lambda value: str(value)[:40])
def test_every_generated_page_is_up_to_date(path, text):
    assert (ROOT / path).read_text(encoding="utf-8") == text, f"{path} is stale: run python -m trailguard.check_pages"


def test_every_chain_check_but_the_first_has_a_generated_page():
    assert UNAUTHORIZED_API_CALLS not in CONTROLS
    assert [control.checkov_id for control in CONTROLS] == [f"TG_AWS_{number}" for number in range(6, 20)]


@pytest.mark.parametrize("control", CONTROLS, ids=IDS)
def test_a_page_shows_its_fix_and_says_how_to_skip_and_choose_the_version(control):
    page = check_page(control)
    assert control.canonical in page and terraform_fix(control).rstrip() in page
    assert f"#checkov:skip={control.checkov_id}:" in page and f"ignore_checks: [{control.cfn_lint_id}]" in page
    for setting in ("TRAILGUARD_CIS_VERSION", "--cis-version", "cis-version:"):
        assert setting in page


def _passing(findings: List[Finding], control: Control, filter_id: str) -> Dict[str, str]:
    wanted = {control.checkov_id: None, "TG_AWS_2": filter_id, "TG_AWS_3": filter_id}
    return {found.check_id: found.result for found in findings if found.check_id in wanted
            and (wanted[found.check_id] is None or found.resource.id == wanted[found.check_id])}


@pytest.mark.parametrize("control", CONTROLS, ids=IDS)
def test_the_terraform_fix_passes_beside_a_compliant_trail(control, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(TRAIL_ROOT, root, ignore=shutil.ignore_patterns("*.yaml", "*.json"))
    (root / "monitoring.tf").write_text(terraform_fix(control), encoding="utf-8")
    findings = analyse(root_model(root))
    name = control.slug.replace("-", "_")
    assert _passing(findings, control, f"aws_cloudwatch_log_metric_filter.{name}") == {
        control.checkov_id: PASSED, "TG_AWS_2": PASSED, "TG_AWS_3": PASSED}


@pytest.mark.parametrize("control", CONTROLS, ids=IDS)
def test_the_cloudformation_fix_passes_beside_a_compliant_trail(control):
    template = load_template(str(TRAIL_TEMPLATE))
    template["Resources"].update(load_yaml("Resources:\n" + cloudformation_fix(control))["Resources"])
    (model,) = build_models(template, str(TRAIL_TEMPLATE))
    logical = "".join(part.capitalize() for part in control.slug.split("-")) + "Filter"
    assert _passing(analyse(model), control, logical) == {
        control.checkov_id: PASSED, "TG_AWS_2": PASSED, "TG_AWS_3": PASSED}


def test_the_terraform_trail_root_is_the_one_the_pages_name():
    assert 'resource "aws_cloudwatch_log_group" "trail"' in (TRAIL_ROOT / "main.tf").read_text()
    assert "TrailLogGroup:" in Path(TRAIL_TEMPLATE).read_text()
