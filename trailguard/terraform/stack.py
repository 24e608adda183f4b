"""`aws_cloudformation_stack` and `aws_cloudformation_stack_set`: CloudFormation deployed by Terraform.

Their template is not Terraform, so the Terraform model alone never sees a trail, filter or alarm inside it. When the
body is in the configuration (a string, a heredoc, or `file()` of a local file) it is read with the CloudFormation
builder and its resources join the unit, their ids prefixed with the stack's address and `/` (which no Terraform
address contains): `aws_cloudformation_stack.cis_alarms/UnauthorizedApiCallsFilter`. The stack's `parameters` are
the template's inputs: a known value replaces the parameter's Default; a reference to a log group or an SNS topic of
this configuration stays that link (the template sees a placeholder, relinked afterwards to what Terraform passes).
Anything that cannot be read (`template_url`, a body known only after apply, a template whose Conditions fork the
chain) is a blind spot naming the stack and why, so a missing link is never reported as if everything was seen.
"""

from __future__ import annotations

import copy
import json
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, Dict, List, Mapping, Tuple

from trailguard.model import ActionTarget, Ref, Resource, Unknown
from trailguard.terraform import sources
from trailguard.terraform.expressions import Reference, Template

STACK_TYPES = ("aws_cloudformation_stack", "aws_cloudformation_stack_set")
# AWS accepts templates up to 1 MB (from S3); a bigger local file is not a template anybody deploys.
MAX_TEMPLATE_BYTES = 1024 * 1024
SEPARATOR = "/"
# YAML aliases a template body may use: CloudFormation templates hardly use any, and a few dozen nested aliases
# expand to billions of nodes (an alias bomb), which would stall the scan.
MAX_ALIASES = 64
FIX_REMOTE = ("keep the template in the repository and pass it with template_body = file(...), or scan the template "
              "itself as CloudFormation")
_PLACEHOLDER = "trailguard-terraform-input-{}"
_SNS_PLACEHOLDER = "arn:aws:sns:us-east-1:000000000000:" + _PLACEHOLDER
_LOG_GROUP_ARN_PLACEHOLDER = "arn:aws:logs:us-east-1:000000000000:log-group:" + _PLACEHOLDER + ":*"


class TemplateBodyError(Exception):
    """A template body that is not a CloudFormation template trailguard can read; the message says why."""


def stack_contents(view: Any, link: Any) -> Tuple[List[Resource], List[str]]:
    """The modelled resources of a stack's template, and the blind spots it leaves (one sentence each).

    `link(value, parameter)` turns a Terraform value passed as a parameter into what the template's resources
    should link to: a `Ref` to a log group, an `ActionTarget`, or None when it is neither.
    """
    if view.existence is not None:  # the loader names it; its resources would be judged as if they existed
        return [], [f"{view.address}'s template is not read: {view.existence.describe()}"]
    body = view.get("template_body")
    if body is None:
        source = view.get("template_url")
        return [], [f"{view.address} deploys the template at {_text(source)} (template_url), which trailguard does "
                    f"not fetch; its resources are not seen ({FIX_REMOTE})"]
    if not isinstance(body, str):
        reason = body.describe() if isinstance(body, Unknown) else f"is {_text(body)}, known only after apply"
        return [], [f"{view.address}'s template_body cannot be read: {reason}; its resources are not seen"]
    try:
        template = parse_template(body)
    except TemplateBodyError as error:
        return [], [f"{view.address}'s template_body cannot be read ({error}); its resources are not seen"]
    template, links, notes = _with_parameters(template, view, link)
    return _resources(template, view, links, notes)


def _resources(template: Dict[str, Any], view: Any, links: Dict[str, Any],
               notes: List[str]) -> Tuple[List[Resource], List[str]]:
    from trailguard.cloudformation.builder import TemplateError, build_models

    try:
        models = build_models(template, view.location.file, read_template_file)
    except TemplateError as error:
        return [], notes + [f"{view.address}'s template cannot be modelled ({error}); its resources are not seen"]
    if len(models) != 1:
        branches = "; ".join(model.branch for model in models)
        return [], notes + [f"{view.address}'s template has Conditions that decide its chain resources ({branches}); "
                            "trailguard reads a stack's template inside Terraform only when no condition does, so "
                            f"its resources are not seen (scan the template itself as CloudFormation)"]
    model = models[0]
    prefix = view.address + SEPARATOR
    resources = [_moved(resource, prefix, links, view) for table in (
        model.trails, model.log_groups, model.filters, model.alarms, model.topics, model.subscriptions)
        for resource in table.values()]
    return resources, notes + [f"{view.address}: {spot}" for spot in model.blind_spots]


def _text(value: Any) -> str:
    if isinstance(value, Unknown):
        return value.describe()
    return value if isinstance(value, str) else str(value) if isinstance(value, (Reference, Template)) else repr(value)


# --- parameters ------------------------------------------------------------------------------------------------

def _with_parameters(template: Dict[str, Any], view: Any, link: Any) -> Tuple[Dict[str, Any], Dict[str, Any],
                                                                                 List[str]]:
    """The template with the stack's parameters as its parameters' Defaults; placeholders for links."""
    passed = view.get("parameters")
    if passed is None:  # Terraform 0.11 also wrote the map as a block: `parameters { Name = "..." }`
        blocks = [block for block in view.nested("parameters") if hasattr(block, "materialise")]
        passed = blocks[0].materialise() if blocks else None
    declared = template.get("Parameters")
    if passed is None or not isinstance(declared, dict):
        return template, {}, []
    template = copy.deepcopy(template)
    if not isinstance(passed, dict):  # which parameters it sets is unknown: none keeps its Default
        for parameter in template["Parameters"].values():
            if isinstance(parameter, dict):
                parameter.pop("Default", None)
        return template, {}, [f"{view.address}'s parameters cannot be read ({_text(passed)}), so no parameter of its "
                              "template has a known value"]
    links: Dict[str, Any] = {}
    notes: List[str] = []
    for name, value in passed.items():
        parameter = template["Parameters"].get(name)
        if not isinstance(parameter, dict):
            continue
        parameter.pop("AllowedPattern", None)  # the value is what Terraform passes, not what the pattern admits
        if isinstance(value, (str, int, float)):  # Terraform converts each value to a string
            parameter["Default"] = value if isinstance(value, str) else _scalar_text(value)
            continue
        target = link(value, f"parameter {name} of {view.address}")
        if target is None:
            parameter.pop("Default", None)
            notes.append(f"{view.address} passes parameter {name} = {_text(value)}, which trailguard cannot resolve")
            continue
        links[_PLACEHOLDER.format(len(links))] = target
        parameter["Default"] = _placeholder(len(links) - 1, target, value)
    return template, links, notes


def _placeholder(index: int, target: Any, value: Any) -> str:
    """A text the template can use where the input goes, and from which the link is recovered after building."""
    if isinstance(target, ActionTarget):
        return _SNS_PLACEHOLDER.format(index)
    if any(reference.attribute[:1] == ("arn",) for reference in _references(value)):
        return _LOG_GROUP_ARN_PLACEHOLDER.format(index)
    return _PLACEHOLDER.format(index)


def _references(value: Any) -> List[Reference]:
    return [value] if isinstance(value, Reference) else value.references() if isinstance(value, Template) else []


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(int(value)) if float(value).is_integer() else str(value)


# --- moving the template's resources into the Terraform unit --------------------------------------------------

def _moved(resource: Resource, prefix: str, links: Dict[str, Any], view: Any) -> Resource:
    """The resource with its id prefixed, its links to the template's own resources prefixed the same way, its
    links to Terraform inputs resolved, and the stack's location (results attach to the stack)."""
    changes = {f.name: _relinked(getattr(resource, f.name), prefix, links) for f in fields(resource)
               if f.name not in ("id", "type", "location")}
    return replace(resource, id=prefix + resource.id, location=view.location, **changes)


def _relinked(value: Any, prefix: str, links: Dict[str, Any]) -> Any:
    if isinstance(value, Ref):
        if value.resource is not None:
            return Ref(resource=prefix + value.resource, name=value.name)
        target = links.get(_input_of(value.name), value)
        return target.topic if isinstance(target, ActionTarget) else target
    if isinstance(value, ActionTarget):
        if value.topic is not None and _input_of(value.topic.name) in links:
            return links[_input_of(value.topic.name)]
        return replace(value, topic=_relinked(value.topic, prefix, links)) if value.topic is not None else value
    if isinstance(value, tuple) and any(isinstance(item, ActionTarget) for item in value):
        return tuple(_relinked(item, prefix, links) for item in value)
    return value


def _input_of(name: Any) -> str:
    """The placeholder a name or ARN from the template carries, if any."""
    text = str(name)
    return text[text.index("trailguard-terraform-input-"):] if "trailguard-terraform-input-" in text else text


# --- reading the body ----------------------------------------------------------------------------------------

def parse_template(body: str) -> Dict[str, Any]:
    """A template body (JSON or YAML with CloudFormation's short tags, `!Ref X` read as `{"Ref": "X"}`)."""
    text = body.strip()
    if text.startswith("{"):
        try:
            template = json.loads(text)
        except (ValueError, RecursionError) as error:
            raise TemplateBodyError(f"not valid JSON: {error}") from None
    else:
        template = _load_yaml(text)
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        raise TemplateBodyError("it has no Resources section")
    return template


def read_template_file(path: str) -> Dict[str, Any]:
    """A local nested stack's template (`TemplateURL: ./child.yaml`), followed by the CloudFormation builder."""
    file = Path(path)
    sources.read(file)
    if file.stat().st_size > MAX_TEMPLATE_BYTES:
        raise TemplateBodyError(f"it is larger than {MAX_TEMPLATE_BYTES} bytes")
    return parse_template(file.read_text(encoding="utf-8"))


def _load_yaml(text: str) -> Any:
    try:
        import yaml  # PyYAML comes with both scanners; trailguard's core does not need it
    except ImportError:  # pragma: no cover - Checkov and cfn-lint both install it
        raise TemplateBodyError("PyYAML is not installed") from None
    loader = _loader(yaml)
    try:
        aliases = sum(1 for event in yaml.parse(text, Loader=loader) if isinstance(event, yaml.AliasEvent))
        if aliases > MAX_ALIASES:
            raise TemplateBodyError(f"it uses {aliases} YAML aliases (at most {MAX_ALIASES} are read, against alias "
                                    "bombs)")
        return yaml.load(text, Loader=loader)
    except (yaml.YAMLError, RecursionError) as error:
        raise TemplateBodyError(f"not valid YAML: {str(error).splitlines()[0]}") from None


def _loader(yaml: Any) -> Any:
    class Loader(yaml.SafeLoader):
        """SafeLoader reading CloudFormation's short tags as the long form of the function."""

    def function(loader: Any, suffix: str, node: Any) -> Mapping[str, Any]:
        if isinstance(node, yaml.MappingNode):
            value: Any = loader.construct_mapping(node, deep=True)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
        return {suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}": value}

    Loader.add_multi_constructor("!", function)
    return Loader
