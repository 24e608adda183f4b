"""Resolve CloudFormation intrinsic functions over a plain template dict, for one assignment of its conditions.

Parameters resolve to their `Default` (the value a plain deployment gets); pseudo parameters and resources stay
symbolic (`values.Text`, `values.ResourceRef`); whatever depends on another stack, on SSM, or on a parameter
without a default becomes `Unknown` naming that input, so the checks fail closed on it and say how to fix it.
In condition mode (`inputs` given) parameters and pseudo parameters take the witness values being explored.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, Mapping, Optional

from trailguard.cloudformation.values import (
    NO_VALUE,
    PARSER_KEYS,
    ResourceRef,
    Text,
    concatenate,
    symbols_in,
    text_of,
)
from trailguard.model import Location, Unknown, is_unknown

SKIP_HINT = "or ignore the check for this resource with a reason (Metadata cfn-lint ignore_checks / checkov skip)"
_NESTED = ("AWS::CloudFormation::Stack", "AWS::Serverless::Application")
_SUB_PLACEHOLDER = re.compile(r"\$\{(!?)([^}]*)\}")
_UNSUPPORTED = ("Fn::GetAZs", "Fn::Base64", "Fn::Cidr", "Fn::Length", "Fn::ToJsonString", "Fn::Transform",
                "Fn::ForEach")


def clean(value: Any) -> Any:
    """A mapping without the keys Checkov's parser adds (`__file__`, `__startline__`, `__endline__`)."""
    if isinstance(value, Mapping):
        return {key: item for key, item in value.items() if key not in PARSER_KEYS}
    return value


def section(template: Mapping[str, Any], name: str) -> Dict[str, Any]:
    """A top-level section (Parameters, Resources, ...) as a dict; absent or malformed sections are empty."""
    value = clean(template.get(name))
    return value if isinstance(value, dict) else {}


def location_of(body: Any, file: str) -> Location:
    """Lines as Checkov's parser (`__startline__`) or cfn-lint's decoder (`start_mark`, 0-based) record them."""
    if isinstance(body, Mapping) and "__startline__" in body:
        return Location(file, int(body["__startline__"]), int(body.get("__endline__", body["__startline__"])))
    start, end = getattr(body, "start_mark", None), getattr(body, "end_mark", None)
    if start is not None and end is not None:
        return Location(file, start.line + 1, end.line + 1)
    return Location(file)


def get_att_parts(argument: Any) -> Any:
    """`Fn::GetAtt` as [logical id, attribute]: `X.Outputs.Y` and Checkov's split list [X, Outputs, Y] alike."""
    if isinstance(argument, str):
        return argument.split(".", 1)
    if isinstance(argument, list) and len(argument) > 2 and all(isinstance(part, str) for part in argument):
        return [argument[0], ".".join(argument[1:])]
    return argument


def function_call(value: Any) -> Optional[tuple]:
    """(name, argument) when `value` is an intrinsic function call (a one-key mapping `Ref`/`Fn::*`/`Condition`)."""
    value = clean(value)
    if isinstance(value, dict) and len(value) == 1:
        (key, argument), = value.items()
        if key == "Ref" or key == "Condition" or str(key).startswith("Fn::"):
            return key, argument
    return None


class Resolver:
    """Evaluates intrinsic functions for one branch (an assignment of truth values to conditions)."""

    def __init__(self, template: Mapping[str, Any], conditions: Mapping[str, bool],
                 inputs: Optional[Mapping[str, str]] = None) -> None:
        self.parameters = section(template, "Parameters")
        self.resources = section(template, "Resources")
        self.mappings = section(template, "Mappings")
        self.conditions = conditions
        self.inputs = inputs
        self._functions: Dict[str, Callable[[Any], Any]] = {
            "Ref": self._ref, "Fn::GetAtt": self._get_att, "Fn::Sub": self._sub, "Fn::Join": self._join,
            "Fn::Select": self._select, "Fn::Split": self._split, "Fn::If": self._if,
            "Fn::ImportValue": self._import_value, "Fn::FindInMap": self._find_in_map,
        }

    # --- entry points ----------------------------------------------------------------------------------------

    def resolve(self, value: Any) -> Any:
        """The value with every intrinsic function evaluated; `NO_VALUE` entries are removed from lists and maps."""
        call = function_call(value)
        if call is not None:
            name, argument = call
            if name in self._functions:
                return self._functions[name](argument)
            if name in _UNSUPPORTED:
                return Unknown(name, "is not evaluated by trailguard", f"write the value literally, {SKIP_HINT}")
        if isinstance(value, Mapping):
            resolved = {key: self.resolve(item) for key, item in clean(value).items()}
            return {key: item for key, item in resolved.items() if item is not NO_VALUE}
        if isinstance(value, list):
            return [item for item in (self.resolve(item) for item in value) if item is not NO_VALUE]
        return value

    def select(self, value: Any) -> Any:
        """The raw value with top-level `Fn::If`s decided, for callers that must see what a branch wrote."""
        call = function_call(value)
        while call is not None and call[0] == "Fn::If":
            chosen = self._if_branch(call[1])
            if is_unknown(chosen):
                return chosen
            value = chosen
            call = function_call(value)
        return value

    def parameter(self, name: str) -> Optional[Dict[str, Any]]:
        declared = clean(self.parameters.get(name))
        return declared if isinstance(declared, dict) else None

    # --- functions -------------------------------------------------------------------------------------------

    def _ref(self, name: Any) -> Any:
        name = self.resolve(name)
        if not isinstance(name, str):
            return Unknown(f"Ref {name!r}", "does not name anything", "write Ref with a logical id or parameter name")
        if self.inputs is not None and name in self.inputs:
            return self.inputs[name]
        if name == "AWS::NoValue":
            return NO_VALUE
        if name == "AWS::NotificationARNs":
            return Unknown("AWS::NotificationARNs", "is set by whoever deploys the stack", "write the ARNs literally")
        if name.startswith("AWS::") or "/AWS::" in name:  # a nested stack's own stack name is another symbol
            return Text("${" + name + "}", [name])
        if name in self.parameters:
            return self._parameter_value(name)
        if name in self.resources:
            return ResourceRef(name)
        return Unknown(f"Ref {name}", "names no parameter or resource of this template", "fix the name")

    def _parameter_value(self, name: str) -> Any:
        declared = self.parameter(name) or {}
        kind = str(declared.get("Type", "String"))
        source = f"parameter {name}"
        if kind.startswith("AWS::SSM::Parameter::Value"):
            return Unknown(source, f"is read from SSM Parameter Store at deploy time ({kind})",
                           f"use a String parameter with a Default, {SKIP_HINT}")
        allowed = declared.get("AllowedValues")
        if "Default" in declared:
            value = declared["Default"]
        elif isinstance(allowed, list) and len(allowed) == 1:
            value = allowed[0]
        else:
            return Unknown(source, "has no Default", f"give it a Default, {SKIP_HINT}")
        if kind == "CommaDelimitedList" or kind.startswith("List<"):
            return [part.strip() for part in value.split(",")] if isinstance(value, str) else list(value)
        return value if isinstance(value, str) else text_of(value)

    def _get_att(self, argument: Any) -> Any:
        argument = get_att_parts(argument)
        if not isinstance(argument, list) or len(argument) != 2:
            return Unknown(f"Fn::GetAtt {argument!r}", "is malformed", "write Fn::GetAtt [LogicalId, Attribute]")
        logical_id, attribute = argument[0], self.resolve(argument[1])
        if logical_id not in self.resources:
            return Unknown(f"Fn::GetAtt {logical_id}", "names no resource of this template", "fix the name")
        if str(clean(self.resources[logical_id]).get("Type")) in _NESTED and str(attribute).startswith("Outputs."):
            return Unknown(f"output {attribute[len('Outputs.'):]} of nested stack {logical_id}",
                           "comes from a template trailguard did not read, or that declares no such output",
                           f"reference the nested template by a local path, {SKIP_HINT}")
        if not isinstance(attribute, str) or isinstance(attribute, Text):
            return Unknown(f"Fn::GetAtt {logical_id}", "has an attribute known only at deploy time",
                           "write the attribute name literally")
        return ResourceRef(str(logical_id), attribute)

    def _sub(self, argument: Any) -> Any:
        if isinstance(argument, list) and len(argument) == 2:
            text, variables = argument[0], clean(argument[1])
        else:
            text, variables = argument, {}
        if not isinstance(text, str) or not isinstance(variables, dict):
            return Unknown("Fn::Sub", "is malformed", "write Fn::Sub with a string (and a map of variables)")
        parts: List[str] = []
        position = 0
        for match in _SUB_PLACEHOLDER.finditer(text):
            parts.append(text[position:match.start()])
            position = match.end()
            if match.group(1):  # ${!Literal} is the literal text ${Literal}
                parts.append("${" + match.group(2) + "}")
                continue
            part = self._sub_variable(match.group(2).strip(), variables)
            if is_unknown(part):
                return part
            parts.append(part)
        parts.append(text[position:])
        return concatenate(parts)

    def _sub_variable(self, name: str, variables: Mapping[str, Any]) -> Any:
        if name in variables:
            return text_of(self.resolve(variables[name]))
        if "." in name and not name.startswith("AWS::"):
            logical_id, attribute = name.split(".", 1)
            if logical_id in self.resources:
                return text_of(ResourceRef(logical_id, attribute))
        return text_of(self._ref(name))

    def _join(self, argument: Any) -> Any:
        if not isinstance(argument, list) or len(argument) != 2:
            return Unknown("Fn::Join", "is malformed", "write Fn::Join [delimiter, [values]]")
        delimiter, items = self.resolve(argument[0]), self.resolve(argument[1])
        for value in (delimiter, items):
            if is_unknown(value):
                return value
        if not isinstance(delimiter, str) or not isinstance(items, list):
            return Unknown("Fn::Join", "does not join a list of strings", "write Fn::Join [delimiter, [values]]")
        parts: List[str] = []
        for index, item in enumerate(items):
            text = text_of(item)
            if is_unknown(text):
                return text
            parts.extend([delimiter, text] if index else [text])
        return concatenate(parts)

    def _select(self, argument: Any) -> Any:
        if not isinstance(argument, list) or len(argument) != 2:
            return Unknown("Fn::Select", "is malformed", "write Fn::Select [index, [values]]")
        index, items = self.resolve(argument[0]), self.resolve(argument[1])
        for value in (index, items):
            if is_unknown(value):
                return value
        try:
            return items[int(index)]
        except (TypeError, ValueError, IndexError, KeyError):
            return Unknown(f"Fn::Select {index!r}", "does not pick an element of its list", "fix the index or list")

    def _split(self, argument: Any) -> Any:
        if not isinstance(argument, list) or len(argument) != 2:
            return Unknown("Fn::Split", "is malformed", "write Fn::Split [delimiter, string]")
        delimiter, source = self.resolve(argument[0]), self.resolve(argument[1])
        for value in (delimiter, source):
            if is_unknown(value):
                return value
        if not isinstance(delimiter, str) or not isinstance(source, str) or not delimiter:
            return Unknown("Fn::Split", "does not split a string", "write Fn::Split [delimiter, string]")
        symbols = symbols_in(source)
        return [Text(piece, [s for s in symbols if "${" + s + "}" in piece]) if symbols else piece
                for piece in source.split(delimiter)]

    def _if(self, argument: Any) -> Any:
        chosen = self._if_branch(argument)
        return chosen if is_unknown(chosen) else self.resolve(chosen)

    def _if_branch(self, argument: Any) -> Any:
        if not isinstance(argument, list) or len(argument) != 3:
            return Unknown("Fn::If", "is malformed", "write Fn::If [condition, value if true, value if false]")
        name = argument[0]
        if name not in self.conditions:
            return Unknown(f"condition {name}", "is not evaluated in this branch", "declare it under Conditions")
        return argument[1] if self.conditions[name] else argument[2]

    def _import_value(self, argument: Any) -> Any:
        name = text_of(self.resolve(argument))
        export = name.source if is_unknown(name) else name
        return Unknown(f"Fn::ImportValue {export}", "is exported by another stack, which trailguard cannot see",
                       f"pass the value in as a parameter with a Default, {SKIP_HINT}")

    def _find_in_map(self, argument: Any) -> Any:
        if not isinstance(argument, list) or len(argument) < 3:
            return Unknown("Fn::FindInMap", "is malformed", "write Fn::FindInMap [map, top-level key, key]")
        name = argument[0]
        table = clean(self.mappings.get(name))
        source = f"Fn::FindInMap {name}"
        if not isinstance(table, dict):
            return Unknown(source, "names no mapping of this template", "fix the name")
        candidates: List[Any] = [table]
        for key in (self.resolve(argument[1]), self.resolve(argument[2])):
            if is_unknown(key):
                return key
            next_level: List[Any] = []
            for level in candidates:
                level = clean(level)
                if not isinstance(level, dict):
                    continue
                if symbols_in(key):
                    next_level.extend(level.values())  # any entry may be chosen at deploy time
                elif str(key) in level:
                    next_level.append(level[str(key)])
            candidates = next_level
        values = [self.resolve(value) for value in candidates]
        if values and all(value == values[0] for value in values):
            return values[0]
        return Unknown(source, "gives different values depending on deploy-time keys" if values else
                       "has no entry for the keys", "make the mapping give one value, or write the value literally")
