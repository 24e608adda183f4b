"""Checkov vertices -> units: one per template and branch, and a template that cannot be read fails, saying why."""

from pathlib import Path

from trailguard.integrations.checkov.cloudformation_units import cloudformation_units

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
    assert unit.name == str(broken) and unit.model is None
    assert unit.error == "it cannot be parsed as a CloudFormation template (did not find expected ',' or ']')"


def test_a_nested_stacks_resources_attach_to_the_parents_stack_vertex_each_named():
    path = EXAMPLES / "compliant" / "nested_stacks_packaged.yaml"
    trail_stack = vertex(path, "AWS::CloudFormation::Stack.TrailStack")
    monitoring = vertex(path, "AWS::CloudFormation::Stack.MonitoringStack")
    (unit,) = cloudformation_units([trail_stack, monitoring])
    assert set(unit.model.trails) == {"TrailStack/Trail"}
    assert unit.vertex_for("TrailStack/Trail") == (trail_stack, False)
    assert unit.vertex_for("MonitoringStack/UnauthorizedApiCallsFilter") == (monitoring, False)
    assert unit.vertex_for("TrailStack") == (trail_stack, True)


def test_too_many_branches_fail_only_the_chains_vertices(tmp_path):
    names = [f"C{index}" for index in range(7)]
    lines = ["Parameters:"] + [f"  {name}:\n    Type: String\n    Default: a" for name in names]
    lines += ["Conditions:"] + [f"  {name}: !Equals [!Ref {name}, a]" for name in names]
    lines += ["Resources:",
              "  Alarm:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      MetricName: Unauthorized",
              "      AlarmName: !Join",
              "        - ''",
              "        - " + str([{"Fn::If": [name, "x", "y"]} for name in names]).replace("'", '"'),
              "  Filter:\n    Type: AWS::Logs::MetricFilter\n    Properties:\n      LogGroupName: trail-logs",
              "      FilterPattern: '{ ($.errorCode = \"*UnauthorizedOperation\") ||"
              " ($.errorCode = \"AccessDenied*\") }'",
              "      MetricTransformations:\n        - MetricName: Unauthorized\n          MetricNamespace: CIS",
              "          MetricValue: '1'",
              "  Other:\n    Type: AWS::Logs::MetricFilter\n    Properties:\n      LogGroupName: trail-logs",
              "      FilterPattern: '{ $.eventName = DeleteTrail }'",
              "      MetricTransformations:\n        - MetricName: TrailChanges\n          MetricNamespace: CIS",
              "          MetricValue: '1'"]
    template = tmp_path / "many.yaml"
    template.write_text("\n".join(lines) + "\n")
    chain, other = vertex(template, "AWS::Logs::MetricFilter.Filter"), vertex(template, "AWS::Logs::MetricFilter.Other")
    (unit,) = cloudformation_units([chain, other])
    assert unit.model is None and unit.vertices == {"Filter": chain}
    assert "C0, C1, C2, C3, C4, C5, C6" in unit.error and str(template) not in unit.error
