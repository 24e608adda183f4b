"""Intrinsic functions over plain template dicts: what resolves, what stays symbolic, what fails closed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trailguard.cloudformation.intrinsics import Resolver
from trailguard.cloudformation.values import NO_VALUE, ResourceRef, Text
from trailguard.model import Unknown

TEMPLATE = {
    "Parameters": {
        "WithDefault": {"Type": "String", "Default": "alerts"},
        "NoDefault": {"Type": "String"},
        "OnlyOne": {"Type": "String", "AllowedValues": ["x"]},
        "FromSsm": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/p"},
        "Names": {"Type": "CommaDelimitedList", "Default": "a, b,c"},
        "Env": {"Type": "String", "Default": "prod"},
    },
    "Mappings": {"ByRegion": {"us-east-1": {"Ns": "CIS"}, "eu-west-1": {"Ns": "CIS"}},
                 "ByEnv": {"prod": {"Ns": "Prod"}, "dev": {"Ns": "Dev"}}},
    "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}, "Group": {"Type": "AWS::Logs::LogGroup"}},
}


def resolve(value, conditions=None):
    return Resolver(TEMPLATE, conditions or {}).resolve(value)


def test_ref_to_parameters_resources_and_pseudo_parameters():
    assert resolve({"Ref": "WithDefault"}) == "alerts"
    assert resolve({"Ref": "OnlyOne"}) == "x"
    assert resolve({"Ref": "Names"}) == ["a", "b", "c"]
    assert resolve({"Ref": "Topic"}) == ResourceRef("Topic")
    assert resolve({"Ref": "AWS::NoValue"}) is NO_VALUE
    region = resolve({"Ref": "AWS::Region"})
    assert isinstance(region, Text) and region == "${AWS::Region}" and region.symbols == {"AWS::Region"}


@pytest.mark.parametrize(("name", "text"), [("NoDefault", "parameter NoDefault has no Default; give it a Default"),
                                            ("FromSsm", "parameter FromSsm is read from SSM Parameter Store")])
def test_unresolvable_parameters_name_the_input(name, text):
    value = resolve({"Ref": name})
    assert isinstance(value, Unknown) and value.describe().startswith(text)


def test_import_value_fails_closed_naming_the_export():
    value = resolve({"Fn::ImportValue": {"Fn::Sub": "${Env}-topic"}})
    assert isinstance(value, Unknown) and value.source == "Fn::ImportValue prod-topic"


def test_sub_both_forms_with_resources_pseudo_parameters_and_escapes():
    assert resolve({"Fn::Sub": "${WithDefault}-${!Literal}"}) == "alerts-${Literal}"
    assert resolve({"Fn::Sub": ["${A}/${B}", {"A": "x", "B": {"Ref": "Env"}}]}) == "x/prod"
    arn = resolve({"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}::log-group:${Group}:*"})
    assert arn.symbols == {"AWS::Partition", "AWS::Region", "Group"} and arn.references() == {"Group"}
    assert isinstance(resolve({"Fn::Sub": "${NoDefault}"}), Unknown)


def test_join_select_split_getatt_and_find_in_map():
    assert resolve({"Fn::Join": ["-", ["a", {"Ref": "Env"}, 1]]}) == "a-prod-1"
    assert resolve({"Fn::Join": [",", {"Ref": "Names"}]}) == "a,b,c"
    assert resolve({"Fn::Select": ["1", {"Ref": "Names"}]}) == "b"
    assert resolve({"Fn::Select": [0, {"Fn::Split": ["/", "x/y"]}]}) == "x"
    assert resolve({"Fn::GetAtt": ["Group", "Arn"]}) == ResourceRef("Group", "Arn")
    assert resolve({"Fn::GetAtt": "Group.Arn"}) == ResourceRef("Group", "Arn")
    assert resolve({"Fn::FindInMap": ["ByEnv", {"Ref": "Env"}, "Ns"]}) == "Prod"
    # The region is only known at deploy time, but every region gives the same value.
    assert resolve({"Fn::FindInMap": ["ByRegion", {"Ref": "AWS::Region"}, "Ns"]}) == "CIS"
    assert isinstance(resolve({"Fn::FindInMap": ["ByEnv", {"Ref": "AWS::Region"}, "Ns"]}), Unknown)


def test_if_follows_the_branch_and_no_value_removes_entries():
    value = {"Fn::If": ["On", "yes", {"Ref": "AWS::NoValue"}]}
    assert resolve({"A": value, "B": [value, "z"]}, {"On": True}) == {"A": "yes", "B": ["yes", "z"]}
    assert resolve({"A": value, "B": [value, "z"]}, {"On": False}) == {"B": ["z"]}


def test_checkov_parser_keys_are_not_template_content():
    assert resolve({"Fn::Sub": "x", "__startline__": 3, "__endline__": 4, "__file__": "t.yaml"}) == "x"


PIECES = st.lists(st.text(alphabet="{}()$.=*\"|&! abcErUAD", max_size=12), min_size=1, max_size=5)


@given(PIECES, st.sampled_from(["", " || ", " && ", " "]))
def test_join_assembles_exactly_the_literal_string(pieces, delimiter):
    assert resolve({"Fn::Join": [delimiter, pieces]}) == delimiter.join(pieces)


@given(PIECES)
def test_sub_with_variables_assembles_exactly_the_literal_string(pieces):
    variables = {f"V{index}": piece for index, piece in enumerate(pieces)}
    text = "".join("${" + name + "}" for name in variables)
    assembled = resolve({"Fn::Sub": [text, variables]})
    assert assembled == "".join(pieces) and not isinstance(assembled, Text)
