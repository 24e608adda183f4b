"""Local nested stacks join their parent's unit (renamed, parameters passed, outputs read back, existing only with
the stack); what cannot be followed (remote, missing, cyclic, too deep) is a named blind spot, never a pass."""

import json

from tests.cloudformation.test_builder import template
from tests.unauthorized_calls import CHECK_IDS
from trailguard.cloudformation import build_models
from trailguard.cloudformation.nested import MAX_DEPTH, deployers
from trailguard.findings import finding_lines
from trailguard.integrations.cfn_lint.matches import template_problems
from trailguard.rules.analysis import analyse


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def stack(url, **properties):
    return {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": url, **properties}}


def split(tmp_path, parameters=None):
    """The test template with its filter, alarm and topic moved to a child template the parent passes the log
    group to; the parent reads the topic back from the child's outputs."""
    body = template()
    child = {"Parameters": {"LogGroup": {"Type": "String"}, **(parameters or {})}, "Resources": {
        key: body["Resources"].pop(key) for key in ("Filter", "Alarm", "Topic")}}
    child["Resources"]["Filter"]["Properties"]["LogGroupName"] = {"Ref": "LogGroup"}
    child["Outputs"] = {"TopicArn": {"Value": {"Ref": "Topic"}}}
    (tmp_path / "child.json").write_text(json.dumps(child), encoding="utf-8")
    body["Resources"]["Monitoring"] = stack("./child.json", Parameters={"LogGroup": {"Ref": "Group"}})
    return body


def unauthorized_calls(problems):
    return [problem for problem in problems if problem.check_id in CHECK_IDS]


def verdicts(body, file):
    return {(m.branch, f.check_id, f.resource.id): f.result for m in build_models(body, str(file), load)
            for f in analyse(m) if f.check_id in CHECK_IDS}


def test_a_local_child_joins_the_unit_with_prefixed_ids_and_the_parents_values(tmp_path):
    got = verdicts(split(tmp_path), tmp_path / "parent.json")
    assert got == {("", "TG_AWS_1", "Trail"): "PASSED", ("", "TG_AWS_4", "Trail"): "PASSED",
                   ("", "TG_AWS_2", "Monitoring/Filter"): "PASSED", ("", "TG_AWS_3", "Monitoring/Filter"): "PASSED",
                   ("", "TG_AWS_5", "Monitoring/Topic"): "PASSED"}
    (model,) = build_models(split(tmp_path), str(tmp_path / "parent.json"), load)
    assert model.filters["Monitoring/Filter"].location.file == str(tmp_path / "child.json")


def test_without_a_loader_the_child_is_a_blind_spot_named_in_the_failure(tmp_path):
    (model,) = build_models(split(tmp_path), str(tmp_path / "parent.json"))
    (chain,) = [f for f in analyse(model) if f.check_id == "TG_AWS_4"]
    assert chain.result == "FAILED"
    assert any("nested stack Monitoring" in line and "not read" in line for line in finding_lines(model, chain))


def test_outputs_of_the_child_are_read_back_and_its_stack_name_is_its_own(tmp_path):
    body = split(tmp_path)
    body["Resources"]["Extra"] = {"Type": "AWS::SNS::Subscription", "Properties": {
        "TopicArn": {"Fn::GetAtt": ["Monitoring", "Outputs.TopicArn"]}, "Protocol": "email", "Endpoint": "a@b.c"}}
    (model,) = build_models(body, str(tmp_path / "parent.json"), load)
    assert str(model.subscriptions["Extra"].topic.resource) == "Monitoring/Topic"


def test_the_childs_resources_exist_only_where_the_stack_does(tmp_path):
    body = split(tmp_path)
    body["Parameters"] = {"Monitor": {"Type": "String", "Default": "yes", "AllowedValues": ["yes", "no"]}}
    body["Conditions"] = {"MonitorOn": {"Fn::Equals": [{"Ref": "Monitor"}, "yes"]}}
    body["Resources"]["Monitoring"]["Condition"] = "MonitorOn"
    got = verdicts(body, tmp_path / "parent.json")
    assert got[("condition MonitorOn is false", "TG_AWS_4", "Trail")] == "FAILED"
    assert got[("condition MonitorOn is true", "TG_AWS_4", "Trail")] == "PASSED"


def test_a_parameter_the_parent_does_not_pass_keeps_the_childs_declaration(tmp_path):
    body = split(tmp_path, {"Pattern": {"Type": "String"}})
    child = load(tmp_path / "child.json")
    child["Resources"]["Filter"]["Properties"]["FilterPattern"] = {"Ref": "Pattern"}
    (tmp_path / "child.json").write_text(json.dumps(child), encoding="utf-8")
    (model,) = build_models(body, str(tmp_path / "parent.json"), load)
    assert "parameter Monitoring/Pattern has no Default" in model.filters["Monitoring/Filter"].pattern.describe()


def test_remote_missing_cyclic_and_too_deep_children_are_named(tmp_path):
    body = template()
    body["Resources"].update({
        "Remote": stack("https://bucket.s3.amazonaws.com/alarms.yaml"),
        "Missing": stack("./nowhere.json"),
        "Self": stack("./parent.json"),
        "List": stack("./list.json"),
        "Broken": stack("./broken.json"),
        "App": {"Type": "AWS::Serverless::Application", "Properties": {
            "Location": {"ApplicationId": "arn:aws:serverlessrepo:us-east-1:123456789012:applications/cis",
                         "SemanticVersion": "1.0.0"}}},
    })
    (tmp_path / "parent.json").write_text(json.dumps(body), encoding="utf-8")
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (model,) = build_models(body, str(tmp_path / "parent.json"), load)
    spots = " | ".join(model.blind_spots)
    assert "List (AWS::CloudFormation::Stack): its template ./list.json is not a CloudFormation template" in spots
    assert "nested stack Broken (AWS::CloudFormation::Stack): its template ./broken.json cannot be read" in spots
    assert "nested stack Remote" in spots and "remote template https://bucket" in spots
    assert "nested stack Missing" in spots and "does not exist" in spots
    assert "nested stack Self" in spots and "cycle" in spots
    assert "nested stack App" in spots and "serverless application repository" in spots


def test_the_depth_is_bounded(tmp_path):
    for level in range(MAX_DEPTH + 2):
        child = {"Resources": {"Next": stack(f"./level{level + 1}.json")}}
        (tmp_path / f"level{level}.json").write_text(json.dumps(child), encoding="utf-8")
    body = template()
    body["Resources"]["Next"] = stack("./level0.json")
    (model,) = build_models(body, str(tmp_path / "parent.json"), load)
    assert any(f"more than {MAX_DEPTH} levels deep" in spot for spot in model.blind_spots)


def test_a_cdk_nested_stack_is_read_from_its_asset_path(tmp_path):
    body = split(tmp_path)
    body["Resources"]["Monitoring"]["Properties"]["TemplateURL"] = {"Fn::Join": ["", [
        "https://s3.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}, "/cdk-assets/0a1b2c.json"]]}
    body["Resources"]["Monitoring"]["Metadata"] = {"aws:asset:path": "child.json", "aws:asset:property": "TemplateURL"}
    (model,) = build_models(body, str(tmp_path / "parent.json"), load)
    assert model.blind_spots == [] and "Monitoring/Filter" in model.filters
    del body["Resources"]["Monitoring"]["Metadata"]
    (model,) = build_models(body, str(tmp_path / "parent.json"), load)
    assert "a TemplateURL known only at deploy time" in model.blind_spots[0]


def test_a_child_is_judged_in_the_unit_of_the_template_that_deploys_it(tmp_path):
    """The trail-only child passes TG_AWS_4 with its parent's monitoring, and fails with the parent's failure."""
    body = template()
    child = {"Resources": {key: body["Resources"].pop(key) for key in ("Group", "Trail")}}
    child["Outputs"] = {"LogGroupName": {"Value": {"Ref": "Group"}}}
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "trail.json").write_text(json.dumps(child), encoding="utf-8")
    body["Resources"]["TrailStack"] = stack("./nested/trail.json")
    body["Resources"]["Filter"]["Properties"]["LogGroupName"] = {"Fn::GetAtt": ["TrailStack", "Outputs.LogGroupName"]}
    (tmp_path / "parent.json").write_text(json.dumps(body), encoding="utf-8")
    child_file = str(tmp_path / "nested" / "trail.json")
    assert deployers(child_file, load) == [(str(tmp_path / "parent.json"), "TrailStack/")]
    assert unauthorized_calls(template_problems(child, child_file, load)) == []
    assert {(p.check_id, p.logical_id) for p in unauthorized_calls(template_problems(child, child_file))} == {
        ("TG_AWS_4", "Trail")}

    body["Resources"]["Filter"]["Properties"]["FilterPattern"] = '{ $.errorCode = "AccessDenied" }'
    (tmp_path / "parent.json").write_text(json.dumps(body), encoding="utf-8")
    (problem,) = unauthorized_calls(template_problems(child, child_file, load))
    assert (problem.check_id, problem.logical_id, problem.path) == ("TG_AWS_4", "Trail", ("Resources", "Trail"))
    assert problem.message.startswith("Trail: ") and "filter Filter" in problem.message


def test_templates_that_deploy_each_other_are_bounded(tmp_path):
    for name, other in (("a.json", "./b.json"), ("b.json", "./a.json")):
        (tmp_path / name).write_text(json.dumps({"Resources": {"Other": stack(other)}}), encoding="utf-8")
    assert deployers(str(tmp_path / "a.json"), load) == [(str(tmp_path / "b.json"), "Other/")]


def test_a_child_resources_own_condition_and_the_stacks_both_hold(tmp_path):
    body = split(tmp_path, {"Alarms": {"Type": "String", "Default": "on", "AllowedValues": ["on", "off"]}})
    child = load(tmp_path / "child.json")
    child["Conditions"] = {"AlarmsOn": {"Fn::Equals": [{"Ref": "Alarms"}, "on"]}}
    child["Resources"]["Alarm"]["Condition"] = "AlarmsOn"
    (tmp_path / "child.json").write_text(json.dumps(child), encoding="utf-8")
    body["Parameters"] = {"Monitor": {"Type": "String", "Default": "yes", "AllowedValues": ["yes", "no"]}}
    body["Conditions"] = {"MonitorOn": {"Fn::Equals": [{"Ref": "Monitor"}, "yes"]}}
    body["Resources"]["Monitoring"]["Condition"] = "MonitorOn"
    alarmed = {branch: result for (branch, check, _), result in verdicts(body, tmp_path / "parent.json").items()
               if check == "TG_AWS_3"}
    assert alarmed == {"conditions (Monitoring/AlarmsOn and MonitorOn) is true, MonitorOn is true": "PASSED",
                       "conditions (Monitoring/AlarmsOn and MonitorOn) is false, MonitorOn is true": "FAILED"}
