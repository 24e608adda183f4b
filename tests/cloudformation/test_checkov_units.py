"""Checkov vertices -> units: one per template and branch, and a template that cannot be read fails, saying why."""

from pathlib import Path

from trailguard.cloudformation.checkov_units import cloudformation_units

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cloudformation"


def vertex(path, block):
    return {"block_name_": block, "block_type_": "resource", "file_path_": str(path), "source_": "CloudFormation"}


def test_one_unit_per_branch_with_the_vertices_by_logical_id():
    path = EXAMPLES / "noncompliant" / "condition_branch_fails.yaml"
    trail = vertex(path, "AWS::CloudTrail::Trail.Trail")
    units = cloudformation_units([trail])
    assert sorted(unit.model.branch for unit in units) == ["condition IsProduction is false",
                                                           "condition IsProduction is true"]
    assert all(unit.vertices == {"Trail": trail} and unit.error is None for unit in units)


def test_a_template_that_cannot_be_read_is_a_unit_without_model(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties: [unclosed\n")
    (unit,) = cloudformation_units([vertex(broken, "AWS::CloudTrail::Trail.Trail")])
    assert unit.model is None and unit.error and str(broken) in unit.error
