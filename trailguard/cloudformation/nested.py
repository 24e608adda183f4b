"""Nested stacks followed into their parent's deployment unit, as one flat template.

A nested stack whose template is a local file (`AWS::CloudFormation::Stack` with `TemplateURL: ./monitoring.yaml`,
as `aws cloudformation package` expects; `AWS::Serverless::Application` with `Location: ./monitoring.yaml`; a CDK
nested stack, whose `aws:asset:path` metadata names its template in `cdk.out`) is deployed with its parent, so its
trail, filters, alarms and topics are links of the same chain. The child template is read and merged into the
parent's: every name it declares (resources, parameters it is not given, conditions,
mappings, pseudo parameters that differ per stack) is prefixed with the nested stack's logical id and `/`, which no
logical id contains; each parameter the parent passes is replaced by the parent's expression; the parent's
`!GetAtt Child.Outputs.X` becomes the child's output expression; and the child's resources exist only where the
nested stack does (its `Condition`). The builder then treats the unit as one template: the same resolver, the same
branches over conditions of both.

A nested stack that cannot be followed (a remote URL, a serverless-repo application, a missing, unreadable or
cyclic file, the depth limit) is a blind spot: a sentence naming it and why, which every failure about a missing
link repeats, so nothing it might hold is taken as seen.
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Dict, List, Mapping, Optional, Set, Tuple

from trailguard.cloudformation.intrinsics import clean, function_call, get_att_parts, location_of, section
from trailguard.model import Location

STACK = "AWS::CloudFormation::Stack"
APPLICATION = "AWS::Serverless::Application"
NESTED_TYPES = (STACK, APPLICATION)
SEPARATOR = "/"
MAX_DEPTH = 5
# Pseudo parameters whose value differs in a nested stack; the others (account, region, partition) are the parent's.
_PER_STACK = ("AWS::StackName", "AWS::StackId")
_REMOTE = re.compile(r"^(https?|s3)://", re.IGNORECASE)
_SUB_PLACEHOLDER = re.compile(r"\$\{(?!!)([^}]*)\}")

Loader = Callable[[str], Mapping[str, Any]]


@dataclass
class Flat:
    """The unit as one template, where each followed child's resources were written, and what was not followed."""

    template: Mapping[str, Any]
    locations: Dict[str, Location] = field(default_factory=dict)
    blind_spots: List[str] = field(default_factory=list)


def flatten(template: Mapping[str, Any], file: str, load: Optional[Loader]) -> Flat:
    """The template with its local nested stacks merged in (unchanged when it has none)."""
    return _flatten(template, file, load, "", (os.path.abspath(file),) if file else ())


def _flatten(template: Mapping[str, Any], file: str, load: Optional[Loader], prefix: str,
             opened: Tuple[str, ...]) -> Flat:
    nested = {str(key): clean(body) for key, body in section(template, "Resources").items()
              if isinstance(clean(body), dict) and clean(body).get("Type") in NESTED_TYPES}
    if not nested:
        return Flat(template)
    flat = Flat({key: clean(value) for key, value in clean(template).items()})
    for section_name in ("Parameters", "Conditions", "Mappings", "Resources"):
        flat.template[section_name] = dict(section(template, section_name))
    flat.locations.update({str(key): location_of(body, file) for key, body in section(template, "Resources").items()})
    outputs: Dict[str, Dict[str, Any]] = {}
    for logical_id, body in nested.items():
        child = _follow(logical_id, body, file, load, prefix, opened, flat.blind_spots)
        if child is not None:
            outputs[logical_id] = _merge(flat, logical_id, body, *child)
    resources = flat.template["Resources"]
    for key, body in resources.items():
        resources[key] = _with_outputs(body, outputs, ())
    return flat


def _follow(logical_id: str, body: Mapping[str, Any], file: str, load: Optional[Loader], prefix: str,
            opened: Tuple[str, ...], blind_spots: List[str]) -> Optional[Tuple[Flat, str]]:
    """The child's own flat template and its file, or None after naming why it is not followed."""
    name = f"nested stack {prefix}{logical_id} ({body.get('Type')})"
    unseen = "its resources are not in this unit and nothing they hold is checked"
    path, url, elsewhere = _target(body, file)
    if path is None:
        blind_spots.append(f"{name} deploys {elsewhere}: {unseen}")
        return None
    problem = _unreadable(path, load, opened)
    if problem is None:
        try:
            child = load(path)  # type: ignore[misc]  # _unreadable said it is there
        except Exception as error:  # noqa: BLE001 - any failure to read it is a blind spot, named
            problem = f"cannot be read ({error})"
        else:
            problem = None if isinstance(child, Mapping) else "is not a CloudFormation template (not a mapping)"
    if problem is not None:
        blind_spots.append(f"{name}: its template {url} {problem}: {unseen}")
        return None
    return _flatten(child, path, load, f"{prefix}{logical_id}{SEPARATOR}", opened + (path,)), path


def _target(body: Mapping[str, Any], file: str) -> Tuple[Optional[str], str, str]:
    """The local file a nested stack deploys (absolute) and its URL as written; or None, and what it deploys
    instead, in words."""
    properties = clean(body.get("Properties"))
    properties = properties if isinstance(properties, dict) else {}
    where = "TemplateURL" if body.get("Type") == STACK else "Location"
    url = _cdk_asset(body, where) or properties.get(where)
    if not isinstance(url, str):
        source = "a serverless application repository application" if isinstance(clean(url), dict) and \
            "ApplicationId" in clean(url) else f"a {where} known only at deploy time"
        return None, "", f"{source}, which trailguard cannot read"
    if _REMOTE.match(url.strip()):
        return None, url, (f"the remote template {url.strip()}, which trailguard does not download; scan its source "
                           "template with this one, or reference it by a local path")
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(file)) if file else os.getcwd(), url)), url, ""


def _cdk_asset(body: Mapping[str, Any], where: str) -> Optional[str]:
    """The CDK's local copy of a nested stack's template: `cdk synth` writes it beside the parent in `cdk.out` and
    names it in the resource's metadata, while its TemplateURL is an S3 URL built at deploy time."""
    metadata = clean(body.get("Metadata"))
    if isinstance(metadata, dict) and metadata.get("aws:asset:property") == where:
        path = metadata.get("aws:asset:path")
        return path if isinstance(path, str) and path and not _REMOTE.match(path) else None
    return None


def _unreadable(path: str, load: Optional[Loader], opened: Tuple[str, ...]) -> Optional[str]:
    if load is None:
        return "is not read by this scanner"
    if path in opened:
        return "includes itself (a cycle of nested stacks)"
    if len(opened) > MAX_DEPTH:
        return f"is nested more than {MAX_DEPTH} levels deep, beyond what trailguard follows"
    if not os.path.isfile(path):
        return f"does not exist ({path})"
    return None


# --- the templates that deploy a child ----------------------------------------------------------------------------

_SUFFIXES = (".yaml", ".yml", ".json", ".template")
_PARENT_LEVELS = 3  # the child's own directory and two above it (templates/, nested/, cdk.out/ beside the parent)
_MAX_PARENT_BYTES = 1_048_576  # the largest template CloudFormation accepts


def deployers(path: str, load: Loader) -> List[Tuple[str, str]]:
    """Where a template is deployed as a local nested stack: each (root template, prefix) whose unit holds its
    resources as `prefix + logical id`. Empty for a template no nearby template deploys, which is its own unit.

    A child is judged in its parent's unit, wherever it is scanned from: on its own it would miss the links its
    parent holds (a trail-only child has no filter) and fail where the deployment complies. Parents are looked for
    beside the child and up to two directories above, among the templates that declare a nested stack at all."""
    return _deployers(os.path.abspath(path), load, (os.path.abspath(path),))


def _deployers(path: str, load: Loader, seen: Tuple[str, ...]) -> List[Tuple[str, str]]:
    if len(seen) > MAX_DEPTH:
        return []
    found: List[Tuple[str, str]] = []
    for parent in _nearby_parents(path):
        if parent in seen:
            continue
        for logical_id in _stacks_deploying(parent, path, load):
            roots = _deployers(parent, load, seen + (parent,)) or [(parent, "")]
            found.extend((root, f"{prefix}{logical_id}{SEPARATOR}") for root, prefix in roots)
    return found


def _nearby_parents(path: str) -> List[str]:
    """The templates near `path` that declare a nested stack and mention its file name."""
    directories, directory = [], os.path.dirname(path)
    for _ in range(_PARENT_LEVELS):
        directories.append(directory)
        directory = os.path.dirname(directory)
    name = os.path.basename(path)
    found = []
    for directory in dict.fromkeys(directories):
        try:
            version = os.stat(directory).st_mtime_ns
        except OSError:
            continue
        found.extend(candidate for candidate, text in _stack_templates(directory, version)
                     if candidate != path and name in text)
    return found


@lru_cache(maxsize=1024)
def _stack_templates(directory: str, version: int) -> Tuple[Tuple[str, str], ...]:
    """(path, text) of each template in a directory that declares a nested stack, read once per version of the
    directory listing, so a directory of many templates is read once, not once per template in it."""
    found = []
    for entry in sorted(os.listdir(directory)):
        candidate = os.path.join(directory, entry)
        if not entry.lower().endswith(_SUFFIXES) or not os.path.isfile(candidate):
            continue
        if os.path.getsize(candidate) > _MAX_PARENT_BYTES:
            continue
        try:
            with open(candidate, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError:
            continue
        if any(kind in text for kind in NESTED_TYPES):
            found.append((candidate, text))
    return tuple(found)


def _stacks_deploying(parent: str, path: str, load: Loader) -> List[str]:
    """The logical ids of the nested stacks in `parent` whose template is the file `path`."""
    try:
        template = load(parent)
    except Exception:  # noqa: BLE001 - a file that does not parse deploys nothing trailguard can follow
        return []
    return [str(key) for key, body in section(template, "Resources").items()
            if isinstance(clean(body), dict) and clean(body).get("Type") in NESTED_TYPES and
            _target(clean(body), parent)[0] == path] if isinstance(template, Mapping) else []


# --- merging one child into its parent -------------------------------------------------------------------------

@dataclass
class _Names:
    """How the child's names read in the parent: prefixed, or replaced by what the parent passes."""

    prefix: str
    passed: Dict[str, Any]
    declared: Dict[str, Any]
    resources: Set[str]
    conditions: Set[str]
    mappings: Set[str]

    def ref(self, name: str) -> Any:
        if name in self.passed:
            return self._argument(name)
        if name in self.declared or name in self.resources or name in _PER_STACK:
            return {"Ref": self.prefix + name}
        return {"Ref": name}

    def _argument(self, name: str) -> Any:
        """The parent's expression for a parameter; a literal list parameter is split as CloudFormation does."""
        value = copy.deepcopy(self.passed[name])
        kind = str((clean(self.declared.get(name)) or {}).get("Type", ""))
        if isinstance(value, str) and (kind == "CommaDelimitedList" or kind.startswith("List<")):
            return [part.strip() for part in value.split(",")]
        return value

    def symbol(self, name: str) -> Optional[str]:
        """The renamed `${name}` of a Fn::Sub, or None when the parent's expression must be substituted."""
        head = name.split(".", 1)[0]
        if name in self.passed:
            return None
        if head in self.resources or name in self.declared or name in _PER_STACK:
            return self.prefix + name
        return name


def _merge(flat: Flat, logical_id: str, body: Mapping[str, Any], child: Flat, path: str) -> Dict[str, Any]:
    """Add the child's declarations to `flat`, renamed; returns its outputs as expressions of the merged template."""
    prefix = logical_id + SEPARATOR
    properties = clean(body.get("Properties")) if isinstance(clean(body.get("Properties")), dict) else {}
    passed = clean(properties.get("Parameters"))
    declared = section(child.template, "Parameters")
    names = _Names(prefix, {key: value for key, value in (passed if isinstance(passed, dict) else {}).items()
                            if key in declared}, declared, set(section(child.template, "Resources")),
                   set(section(child.template, "Conditions")), set(section(child.template, "Mappings")))
    template = flat.template
    for name, declaration in declared.items():
        if name not in names.passed:
            template["Parameters"][prefix + name] = declaration
    for name, definition in section(child.template, "Conditions").items():
        template["Conditions"][prefix + name] = _renamed(definition, names)
    for name, table in section(child.template, "Mappings").items():
        template["Mappings"][prefix + name] = table
    stack_condition = body.get("Condition") if isinstance(body.get("Condition"), str) else None
    for key, resource in section(child.template, "Resources").items():
        merged = _renamed(resource, names)
        if isinstance(merged, dict):
            _exists_with_stack(template, merged, stack_condition)
        template["Resources"][prefix + key] = merged
        flat.locations[prefix + key] = child.locations.get(key) or location_of(resource, path)
    flat.blind_spots.extend(child.blind_spots)
    outputs = section(child.template, "Outputs")
    return {name: _renamed(clean(output).get("Value"), names) for name, output in outputs.items()
            if isinstance(clean(output), dict)}


def _exists_with_stack(template: Dict[str, Any], resource: Dict[str, Any], stack_condition: Optional[str]) -> None:
    """A child's resource exists only where its nested stack does: its condition is ANDed with the stack's."""
    if stack_condition is None:
        return
    own = resource.get("Condition")
    if not isinstance(own, str):
        resource["Condition"] = stack_condition
        return
    both = f"({own} and {stack_condition})"
    template["Conditions"][both] = {"Fn::And": [{"Condition": own}, {"Condition": stack_condition}]}
    resource["Condition"] = both


def _renamed(value: Any, names: _Names) -> Any:
    """A child's value as the parent's template reads it."""
    call = function_call(value)
    if call is not None:
        function, argument = call
        if function == "Ref" and isinstance(argument, str):
            return names.ref(argument)
        if function == "Fn::GetAtt":
            return {function: _renamed_get_att(argument, names)}
        if function == "Fn::Sub":
            return _renamed_sub(argument, names)
        if function in ("Fn::If", "Fn::FindInMap") and isinstance(argument, list) and argument and \
                isinstance(argument[0], str):
            known = names.conditions if function == "Fn::If" else names.mappings
            head = names.prefix + argument[0] if argument[0] in known else argument[0]
            return {function: [head, *(_renamed(item, names) for item in argument[1:])]}
        if function == "Condition" and isinstance(argument, str):
            return {function: names.prefix + argument if argument in names.conditions else argument}
        return {function: _renamed(argument, names)}
    if isinstance(value, Mapping):
        renamed = {key: _renamed(item, names) for key, item in clean(value).items()}
        if isinstance(renamed.get("Condition"), str) and renamed["Condition"] in names.conditions:
            renamed["Condition"] = names.prefix + renamed["Condition"]
        return renamed
    if isinstance(value, list):
        return [_renamed(item, names) for item in value]
    return value


def _renamed_get_att(argument: Any, names: _Names) -> Any:
    parts = get_att_parts(argument)
    if isinstance(parts, list) and len(parts) == 2 and parts[0] in names.resources:
        return [names.prefix + parts[0], _renamed(parts[1], names)]
    return _renamed(argument, names)


def _renamed_sub(argument: Any, names: _Names) -> Dict[str, Any]:
    text, variables = (argument[0], clean(argument[1])) if isinstance(argument, list) and len(argument) == 2 \
        else (argument, {})
    if not isinstance(text, str) or not isinstance(variables, dict):
        return {"Fn::Sub": _renamed(argument, names)}
    renamed_variables = {key: _renamed(item, names) for key, item in variables.items()}

    def rename(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name in variables:
            return match.group(0)
        symbol = names.symbol(name)
        if symbol is None:
            renamed_variables[name] = names.ref(name)
            return match.group(0)
        return "${" + symbol + "}"

    return {"Fn::Sub": [_SUB_PLACEHOLDER.sub(rename, text), renamed_variables]}


# --- the parent's references to its children's outputs -----------------------------------------------------------

def _with_outputs(value: Any, outputs: Mapping[str, Mapping[str, Any]], seen: Tuple[str, ...]) -> Any:
    """`!GetAtt Child.Outputs.X` (or `${Child.Outputs.X}`) replaced by the child's output expression."""
    call = function_call(value)
    if call is not None:
        function, argument = call
        target = _output_target(argument) if function == "Fn::GetAtt" else None
        if target is not None and target[0] in outputs and target[1] in outputs[target[0]] and \
                ".".join(target) not in seen:
            return _with_outputs(outputs[target[0]][target[1]], outputs, seen + (".".join(target),))
        if function == "Fn::Sub":
            return _sub_with_outputs(argument, outputs, seen)
        return {function: _with_outputs(argument, outputs, seen)}
    if isinstance(value, Mapping):
        return {key: _with_outputs(item, outputs, seen) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_outputs(item, outputs, seen) for item in value]
    return value


def _output_target(argument: Any) -> Optional[Tuple[str, str]]:
    parts = get_att_parts(argument)
    if isinstance(parts, list) and len(parts) == 2 and all(isinstance(part, str) for part in parts) and \
            parts[1].startswith("Outputs."):
        return parts[0], parts[1][len("Outputs."):]
    return None


def _sub_with_outputs(argument: Any, outputs: Mapping[str, Mapping[str, Any]], seen: Tuple[str, ...]) -> Any:
    text, variables = (argument[0], clean(argument[1])) if isinstance(argument, list) and len(argument) == 2 \
        else (argument, {})
    if not isinstance(text, str) or not isinstance(variables, dict):
        return {"Fn::Sub": _with_outputs(argument, outputs, seen)}
    variables = {key: _with_outputs(item, outputs, seen) for key, item in variables.items()}
    for match in _SUB_PLACEHOLDER.finditer(text):
        name = match.group(1).strip()
        target = _output_target(name.split(".", 1)) if name not in variables else None
        if target is not None and target[0] in outputs and target[1] in outputs[target[0]]:
            variables[name] = _with_outputs({"Fn::GetAtt": list(target[:1]) + [f"Outputs.{target[1]}"]},
                                            outputs, seen)
    return {"Fn::Sub": [text, variables]}
