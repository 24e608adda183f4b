"""Evaluate Terraform expressions the way Terraform would, as far as a static check can.

Values are plain Python (str, int, float, bool, None, list, dict), `Reference` for what Terraform only knows after
apply (`aws_sns_topic.alerts.arn`), `Template` for a string mixing text and references (`"${...arn}:*"`), and the
model's `Unknown` for what cannot be decided statically, naming the input. Unknowns propagate: a pattern built from
an unknown variable is unknown, and the check fails closed saying which variable.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Protocol, Tuple

from lark import Token, Tree

from trailguard.model import Unknown
from trailguard.terraform import sources
from trailguard.terraform.hcl import Expression, JsonExpression, parse_expression

FIX_UNSUPPORTED = "write it as a plain value, or scan the plan JSON (terraform show -json) instead"
# How deep evaluation may nest (parentheses, function calls, collections, and variables, locals and outputs that
# refer to one another), counted across evaluators: real configurations stay far below it, and it keeps hostile
# input well inside Python's recursion limit, so it becomes an unknown value instead of a RecursionError.
MAX_DEPTH = 100
# The largest file `file()` reads: templates and policies are small; anything bigger is not configuration.
MAX_FILE_BYTES = 8 * 1024 * 1024
_DEPTH = threading.local()
_TEMPLATE_SPECIAL = re.compile(r"[$%\\]")  # what may start an interpolation, a directive or an escape


@dataclass(frozen=True)
class Reference:
    """An attribute Terraform knows only after apply, e.g. `aws_sns_topic.alerts.arn`."""

    address: str
    resource_type: str
    attribute: Tuple[str, ...]
    # For a `data` source: the value of its `name` argument, which selects the object it reads (a literal, or the
    # Unknown naming the input it comes from); None for managed resources and undeclared data sources.
    data_name: Any = field(default=None, compare=False)

    def step(self, name: str) -> Reference:
        """The same reference, one attribute or index further in."""
        return Reference(self.address, self.resource_type, self.attribute + (name,), self.data_name)

    def __str__(self) -> str:
        return ".".join((self.address,) + self.attribute)


@dataclass(frozen=True)
class Template:
    """A string whose text mixes literals and references, e.g. `"${aws_cloudwatch_log_group.trail.arn}:*"`."""

    parts: Tuple[Any, ...]

    def references(self) -> List[Reference]:
        return [part for part in self.parts if isinstance(part, Reference)]

    def __str__(self) -> str:
        return "".join(f"${{{part}}}" if isinstance(part, Reference) else str(part) for part in self.parts)


class Scope(Protocol):
    """What an expression can name; the loader provides it for each module instance and resource instance."""

    def lookup(self, root: str, name: str) -> Any:
        """`var.x`, `local.x`, `each.key`, `count.index`, `path.module`, `module.m`, `data.t`, `aws_x.y`."""


def first_unknown(*values: Any) -> Optional[Unknown]:
    for value in values:
        if isinstance(value, Unknown):
            return value
        if isinstance(value, list):
            found = first_unknown(*value)
            if found:
                return found
        if isinstance(value, dict):
            found = first_unknown(*value.values())
            if found:
                return found
    return None


class Evaluator:
    """Evaluates expression trees in a scope; `bindings` holds the variables of enclosing `for` expressions."""

    def __init__(self, scope: Scope, bindings: Optional[Dict[str, Any]] = None) -> None:
        self.scope = scope
        self.bindings = bindings or {}

    def evaluate(self, expression: Expression) -> Any:
        depth = getattr(_DEPTH, "value", 0)
        if depth >= MAX_DEPTH:
            return Unknown("an expression", f"nests more than {MAX_DEPTH} levels deep (through parentheses, function "
                           "calls, collections, variables or locals)", "simplify it")
        _DEPTH.value = depth + 1
        try:
            return self._evaluate(expression)
        finally:
            _DEPTH.value = depth

    def _evaluate(self, expression: Expression) -> Any:
        if isinstance(expression, JsonExpression):
            return self._json(expression.value)
        if isinstance(expression, Token):
            return self._string_literal(str(expression))
        handler = getattr(self, f"_{expression.data}", None)
        if handler is None:
            return Unknown(f"the expression {_text(expression)}", "uses syntax trailguard does not evaluate",
                           FIX_UNSUPPORTED)
        return handler(expression)

    # --- literals --------------------------------------------------------------------------------------------

    def _json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.template(value, escapes=False)
        if isinstance(value, list):  # through `evaluate`, which bounds the nesting
            return [self.evaluate(JsonExpression(item)) for item in value]
        if isinstance(value, dict):
            return {key: self.evaluate(JsonExpression(item)) for key, item in value.items()}
        return value

    def _expr_term(self, tree: Tree) -> Any:
        return self.evaluate(tree.children[0]) if tree.children else None

    def _int_lit(self, tree: Tree) -> int:
        return int("".join(str(token) for token in tree.children))

    def _float_lit(self, tree: Tree) -> float:
        return float("".join(str(token) for token in tree.children))

    def _string_literal(self, text: str) -> Any:
        return self.template(text[1:-1], escapes=True)

    def _heredoc_template(self, tree: Tree) -> Any:
        text = str(tree.children[0])
        first_newline = text.index("\n")
        body = text[first_newline + 1:text.rstrip().rfind("\n") + 1]
        return self.template(body, escapes=False)

    def _heredoc_template_trim(self, tree: Tree) -> Any:
        text = str(tree.children[0])
        first_newline = text.index("\n")
        lines = text[first_newline + 1:text.rstrip().rfind("\n") + 1].split("\n")
        indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
        return self.template("\n".join(line[indent:] for line in lines), escapes=False)

    def _tuple(self, tree: Tree) -> List[Any]:
        return [self.evaluate(child) for child in tree.children if isinstance(child, Tree)]

    def _object(self, tree: Tree) -> Any:
        result: Dict[str, Any] = {}
        for element in tree.children:
            if not isinstance(element, Tree):
                continue
            key_tree, value_tree = [c for c in element.children if isinstance(c, (Tree, Token))][-2:]
            if isinstance(key_tree, Tree) and key_tree.data == "identifier":
                key: Any = str(key_tree.children[0])
            else:
                key = self.evaluate(key_tree)
            unknown = first_unknown(key)
            if unknown:
                return unknown
            result[str(key)] = self.evaluate(value_tree)
        return result

    def _identifier(self, tree: Tree) -> Any:
        name = str(tree.children[0])
        if name in self.bindings:
            return self.bindings[name]
        if name in ("true", "false"):
            return name == "true"
        if name == "null":
            return None
        return _Root(name, self.scope)

    # --- strings -----------------------------------------------------------------------------------------------

    def template(self, text: str, escapes: bool) -> Any:
        """A string template: literal text (with HCL escapes in quoted strings) and `${...}` interpolations."""
        if "{" not in text:  # no interpolation, no directive: the same text in every scope, decoded once
            return _literal_template(text, escapes)
        return _render_template(text, escapes, self._interpolation)

    def _interpolation(self, inner: str) -> Any:
        try:
            return self.evaluate(parse_expression(inner))
        except Exception:  # noqa: BLE001 - an interpolation we cannot parse is unknown, not an error
            return Unknown(f"the interpolation ${{{inner[:60]}}}", "cannot be parsed", FIX_UNSUPPORTED)

    # --- traversal ---------------------------------------------------------------------------------------------

    def _get_attr_expr_term(self, tree: Tree) -> Any:
        base = self.evaluate(tree.children[0])
        return _step(base, str(tree.children[1].children[0].children[0]))

    def _index_expr_term(self, tree: Tree) -> Any:
        base = self.evaluate(tree.children[0])
        index_tree = tree.children[1]
        if index_tree.children and isinstance(index_tree.children[0], Token):
            key: Any = int("".join(str(token) for token in index_tree.children))
        else:
            key = self.evaluate(index_tree.children[0])
        return _index(base, key)

    def _full_splat_expr_term(self, tree: Tree) -> Any:
        base = _materialise(self.evaluate(tree.children[0]))
        if isinstance(base, Unknown):
            return base
        items = list(base.values()) if isinstance(base, dict) else base if isinstance(base, list) else [base]
        steps = [c for c in tree.children[1].children if isinstance(c, Tree)]
        results = []
        for item in items:
            for step in steps:
                if step.data == "get_attr":
                    item = _step(item, str(step.children[0].children[0]))
                else:
                    item = _index(item, self.evaluate(step.children[0]))
            results.append(_materialise(item))
        return results

    _attr_splat_expr_term = _full_splat_expr_term

    # --- operators and functions -----------------------------------------------------------------------------

    def _conditional(self, tree: Tree) -> Any:
        condition, yes, no = [c for c in tree.children if isinstance(c, Tree)]
        return self._choose(self.evaluate(condition), yes, no)

    def _choose(self, condition: Any, yes: Tree, no: Tree) -> Any:
        decided = _materialise(condition)
        if not isinstance(decided, Unknown):
            try:
                decided = _bool(decided)
            except TypeError:
                return Unknown(f"the condition {decided!r}", "is not a boolean", FIX_UNSUPPORTED)
        if isinstance(decided, Unknown):
            a, b = _materialise(self.evaluate(yes)), _materialise(self.evaluate(no))
            return a if a == b and not first_unknown(a) else decided
        return self.evaluate(yes if decided else no)

    def _unary_op(self, tree: Tree) -> Any:
        operator, operand = str(tree.children[0]), _materialise(self.evaluate(tree.children[1]))
        if isinstance(operand, Unknown):
            return operand
        try:
            return (not _bool(operand)) if operator == "!" else -_number(operand)
        except (TypeError, ValueError):
            return Unknown(f"the expression {_text(tree)}", "cannot be evaluated", FIX_UNSUPPORTED)

    def _binary_op(self, tree: Tree) -> Any:
        """The parser nests every binary chain to the right without precedence (`2 * 3 + 1` as `2 * (3 + 1)`,
        `a == b ? x : y` as `a == (b ? x : y)`): flatten the chain and apply Terraform's precedence instead."""
        operands: List[Tree] = []
        operators: List[str] = []
        branches = _flatten_binary(tree, operands, operators)
        values = [_materialise(self.evaluate(operand)) for operand in operands]
        for level in _PRECEDENCE:
            index = 0
            while index < len(operators):
                if operators[index] not in level:
                    index += 1
                    continue
                values[index:index + 2] = [self._apply(operators[index], values[index], values[index + 1], tree)]
                del operators[index]
        result = values[0]
        return result if branches is None else self._choose(result, *branches)

    @staticmethod
    def _apply(operator: str, left: Any, right: Any, tree: Tree) -> Any:
        unknown = first_unknown(left, right)
        if unknown:
            return unknown
        try:
            if operator in _ARITHMETIC:
                left, right = _number(left), _number(right)
            return _BINARY[operator](left, right)
        except Exception:  # noqa: BLE001 - a type error in the configuration is Terraform's to report
            return Unknown(f"the expression {_text(tree)}", "cannot be evaluated", FIX_UNSUPPORTED)

    def _function_call(self, tree: Tree) -> Any:
        name = str(tree.children[0].children[0])
        arguments = [self.evaluate(argument) for argument in (tree.children[1].children if len(tree.children) > 1
                                                              else []) if isinstance(argument, Tree)]
        arguments = [_materialise(argument) for argument in arguments]
        if name == "file":
            return self._file(*arguments)
        function = FUNCTIONS.get(name)
        if function is None:
            return Unknown(f"{name}(...)", "is a function trailguard does not evaluate", FIX_UNSUPPORTED)
        if name not in ("try", "coalesce"):
            unknown = first_unknown(*arguments)
            if unknown:
                return unknown
        try:
            return function(*arguments)
        except Exception:  # noqa: BLE001
            return Unknown(f"{name}(...)", "could not be evaluated with these arguments", FIX_UNSUPPORTED)

    def _file(self, *arguments: Any) -> Any:
        """Terraform's file(): a relative path is read from the root module's directory, as Terraform runs there."""
        unknown = first_unknown(*arguments)
        if unknown or len(arguments) != 1 or not isinstance(arguments[0], str):
            return unknown or Unknown("file(...)", "is not given one path trailguard can compute", FIX_UNSUPPORTED)
        root = self.scope.lookup("path", "root")
        path = Path(root if isinstance(root, str) else ".") / arguments[0]
        sources.read(path)
        try:
            if not path.is_file():  # a directory, a device or a pipe (reading /dev/zero would never end)
                return Unknown(f'file("{arguments[0]}")', "is not a regular file", "commit the file with the module")
            if path.stat().st_size > MAX_FILE_BYTES:
                return Unknown(f'file("{arguments[0]}")', f"is larger than {MAX_FILE_BYTES} bytes", FIX_UNSUPPORTED)
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            return Unknown(f'file("{arguments[0]}")', f"cannot be read ({error})", "commit the file with the module")

    def _for_tuple_expr(self, tree: Tree) -> Any:
        return self._for(tree, make_object=False)

    def _for_object_expr(self, tree: Tree) -> Any:
        return self._for(tree, make_object=True)

    def _for(self, tree: Tree, make_object: bool) -> Any:
        intro = next(c for c in tree.children if isinstance(c, Tree) and c.data == "for_intro")
        names = [str(c.children[0]) for c in intro.children if isinstance(c, Tree) and c.data == "identifier"]
        collection = _materialise(self.evaluate([c for c in intro.children if isinstance(c, Tree)
                                                 and c.data != "identifier"][-1]))
        if isinstance(collection, Unknown):
            return collection
        expressions = [c for c in tree.children if isinstance(c, Tree) and c.data not in ("for_intro", "for_cond")]
        condition = next((c for c in tree.children if isinstance(c, Tree) and c.data == "for_cond"), None)
        pairs = map_items(collection) if isinstance(collection, dict) else list(enumerate(collection))
        result: Any = {} if make_object else []
        for key, value in pairs:
            bound = dict(self.bindings)
            if len(names) == 2:
                bound[names[0]], bound[names[1]] = key, value
            else:
                bound[names[0]] = value
            inner = Evaluator(self.scope, bound)
            if condition is not None:
                keep = _materialise(inner.evaluate([c for c in condition.children if isinstance(c, Tree)][0]))
                if isinstance(keep, Unknown):
                    return keep
                if not keep:
                    continue
            if make_object:
                result[str(_materialise(inner.evaluate(expressions[0])))] = inner.evaluate(expressions[1])
            else:
                result.append(inner.evaluate(expressions[0]))
        return result


class _Root:
    """A bare identifier such as `var`, `aws_sns_topic` or `module`, waiting for its first attribute."""

    def __init__(self, name: str, scope: Scope) -> None:
        self.name, self.scope = name, scope

    def step_attribute(self, name: str) -> Any:
        return self.scope.lookup(self.name, name)

    def step_index(self, key: Any) -> Any:
        return Unknown(f"{self.name}[{key!r}]", "is not a value", FIX_UNSUPPORTED)


def _step(base: Any, name: str) -> Any:
    if isinstance(base, Unknown):
        return base
    if isinstance(base, dict):
        if name in base:
            return base[name]
        return Unknown(f"the attribute {name!r}", "is not set", "set it, or check the name")
    if hasattr(base, "step_attribute"):
        return base.step_attribute(name)
    if isinstance(base, Reference):
        return base.step(name)
    return Unknown(f"the attribute {name!r}", f"is read from a {type(base).__name__}", FIX_UNSUPPORTED)


def _index(base: Any, key: Any) -> Any:
    unknown = first_unknown(base, key)
    if unknown:
        return unknown
    if hasattr(base, "step_index"):
        return base.step_index(key)
    if isinstance(base, Reference):
        return base.step(str(key))
    try:
        return base[key] if isinstance(base, dict) else base[int(key)]
    except (KeyError, IndexError, TypeError, ValueError):
        return Unknown(f"the index [{key!r}]", "is not in the collection", "check the key")


def _flatten_binary(tree: Tree, operands: List[Tree], operators: List[str]) -> Optional[Tuple[Tree, Tree]]:
    """Collect a right-nested chain `a op (b op (c ? x : y))` into operands and operators; returns the branches of a
    trailing conditional, which in Terraform applies to the whole chain (`(a op b op c) ? x : y`)."""
    operands.append(tree.children[0])
    term = tree.children[1]
    operators.append(str(term.children[0].children[0]))
    right = [c for c in term.children if isinstance(c, Tree)][-1]
    if right.data == "binary_op":
        return _flatten_binary(right, operands, operators)
    if right.data == "conditional":
        condition, yes, no = [c for c in right.children if isinstance(c, Tree)]
        if condition.data == "binary_op":
            inner = _flatten_binary(condition, operands, operators)
            if inner is not None:  # cannot happen with this grammar; keep Terraform's meaning if it ever does
                return None
        else:
            operands.append(condition)
        return yes, no
    operands.append(right)
    return None


def _bool(value: Any) -> bool:
    """Terraform converts the strings "true" and "false" to bools (TF 0.11 wrote every bool so); nothing else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise TypeError(f"{value!r} is not a boolean")


def _number(value: Any) -> Any:
    """Terraform converts strings to numbers for arithmetic."""
    if isinstance(value, str):
        return float(value) if any(c in value for c in ".eE") else int(value)
    return value


def map_items(mapping: Dict[str, Any]) -> List[Tuple[str, Any]]:
    """A map's elements in the order Terraform iterates them: by key, lexically (not as written)."""
    return sorted(mapping.items(), key=lambda item: str(item[0]))


@lru_cache(maxsize=8192)
def _literal_template(text: str, escapes: bool) -> Any:
    """A template with no interpolation: its escapes decoded, cached by text (the patterns every account repeats)."""
    return _render_template(text, escapes, lambda inner: Unknown(f"the interpolation ${{{inner[:60]}}}",
                                                                  "is not expected here", FIX_UNSUPPORTED))


def _render_template(text: str, escapes: bool, interpolate: Callable[[str], Any]) -> Any:
    """A string template's value: literal text (with HCL escapes in quoted strings) and `${...}` interpolations,
    each evaluated by `interpolate`."""
    parts: List[Any] = []
    literal = ""
    index = 0
    while index < len(text):
        if text.startswith("$${", index) or text.startswith("%%{", index):
            literal += text[index + 1:index + 3]
            index += 3
        elif text.startswith("${", index):
            end = _closing_brace(text, index + 2)
            if end < 0:
                return Unknown(f"the string {text[:60]!r}", "has an unterminated interpolation", FIX_UNSUPPORTED)
            inner = text[index + 2:end].strip().lstrip("~").rstrip("~").strip()
            parts.extend([literal, interpolate(inner)])
            literal = ""
            index = end + 1
        elif text.startswith("%{", index):
            return Unknown(f"the string {text[:60]!r}", "uses a template directive (%{...})", FIX_UNSUPPORTED)
        elif escapes and text[index] == "\\" and index + 1 < len(text):
            decoded, index = _escape(text, index)
            literal += decoded
        else:  # plain text, up to the next character that may start one of the above
            special = _TEMPLATE_SPECIAL.search(text, index + 1)
            end = special.start() if special else len(text)
            literal += text[index:end]
            index = end
    parts.append(literal)
    if len(parts) == 3 and parts[0] == parts[2] == "":
        # An interpolation-only string ("${var.enabled ? 1 : 0}", TF 0.11's only way to write an expression)
        # is the interpolated value itself, unconverted, as HCL defines it: a number stays a number.
        return _materialise(parts[1])
    return _join(parts)


def _materialise(value: Any) -> Any:
    """Turn a still-open traversal (a resource group, a module) into a value."""
    return value.materialise() if hasattr(value, "materialise") else value


def _join(parts: List[Any]) -> Any:
    parts = [_materialise(part) for part in parts]
    unknown = first_unknown(*parts)
    if unknown:
        return unknown
    flat: List[Any] = []
    for part in parts:
        if isinstance(part, Template):
            flat.extend(part.parts)
        elif isinstance(part, Reference):
            flat.append(part)
        elif part is None:
            continue
        else:
            flat.append(part if isinstance(part, str) else _to_string(part))
    merged: List[Any] = []
    for part in flat:
        if merged and isinstance(part, str) and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    if not merged:
        return ""
    if len(merged) == 1:
        return merged[0]
    return Template(tuple(merged))


def _to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _closing_brace(text: str, start: int) -> int:
    depth, index, quote = 1, start, False
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == '"':
                quote = False
        elif char == '"':
            quote = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return -1


_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _escape(text: str, index: int) -> Tuple[str, int]:
    char = text[index + 1]
    if char in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[char], index + 2
    if char in "uU":
        width = 4 if char == "u" else 8
        digits = text[index + 2:index + 2 + width]
        if len(digits) == width and all(d in "0123456789abcdefABCDEF" for d in digits):
            return chr(int(digits, 16)), index + 2 + width
    return text[index:index + 2], index + 2


def _text(tree: Tree) -> str:
    tokens = [str(token) for token in tree.scan_values(lambda value: isinstance(value, Token))]
    return ("".join(tokens))[:60] or tree.data


# --- functions ------------------------------------------------------------------------------------------------

def _jsonencode(value: Any) -> Any:
    if first_unknown(value) or _has_reference(value):
        return Unknown("jsonencode(...)", "encodes a value known only after apply", FIX_UNSUPPORTED)
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _has_reference(value: Any) -> bool:
    if isinstance(value, (Reference, Template)):
        return True
    if isinstance(value, list):
        return any(_has_reference(item) for item in value)
    if isinstance(value, dict):
        return any(_has_reference(item) for item in value.values())
    return False


def _format(spec: str, *values: Any) -> Any:
    """Terraform's format(): Go's verbs, with flags, width and precision (`%-5s`, `%03d`, `%.2f`, `%q`)."""
    pieces: List[Any] = []
    remaining = list(values)
    for match in re.finditer(r"%%|%([-+# 0]*\d*(?:\.\d+)?)([a-zA-Z])|[^%]+", spec):
        token = match.group()
        if token == "%%":
            pieces.append("%")
        elif token.startswith("%"):
            value = remaining.pop(0)
            options, verb = match.group(1), match.group(2)
            if isinstance(value, (Reference, Template)) and not options and verb in "sv":
                pieces.append(value)
                continue
            if isinstance(value, (Reference, Template)):
                return Unknown(f"format({spec!r}, ...)", "formats a value known only after apply", FIX_UNSUPPORTED)
            if verb == "q":
                pieces.append(f"%{options}s" % json.dumps(value, ensure_ascii=False))
            elif verb == "d":
                pieces.append(f"%{options}d" % int(value))
            elif verb in "fFeEgG":
                pieces.append(f"%{options}{verb}" % float(value))
            elif verb in "xXo":
                pieces.append(f"%{options}{verb}" % int(value) if not isinstance(value, str) else value.encode().hex())
            elif verb == "t":
                pieces.append(f"%{options}s" % _to_string(bool(value)))
            else:
                pieces.append(f"%{options}s" % _to_string(value) if options else _to_string(value))
        else:
            pieces.append(token)
    return _join(pieces)


def _replace(text: str, old: str, new: str) -> str:
    """Terraform's replace(): `/.../` is a regular expression, whose replacement may name groups as `$1`."""
    if len(old) >= 2 and old.startswith("/") and old.endswith("/"):
        replacement = re.sub(r"\$\{?(\w+)\}?", r"\\g<\1>", new.replace("\\", "\\\\"))
        return re.sub(old[1:-1], replacement, text)
    return text.replace(old, new)


def _toset(values: Any) -> List[Any]:
    """Terraform orders a set of strings lexically and a set of numbers numerically."""
    unique = list(dict.fromkeys(values))
    if all(isinstance(v, str) for v in unique) or all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                       for v in unique):
        return sorted(unique)
    return unique


def _substr(text: str, offset: int, length: int) -> str:
    offset, length = int(offset), int(length)
    start = offset if offset >= 0 else max(len(text) + offset, 0)
    return text[start:] if length < 0 else text[start:start + length]


def _flatten(values: Any) -> List[Any]:
    flat: List[Any] = []
    for value in values:
        flat.extend(_flatten(value) if isinstance(value, list) else [value])
    return flat


def _join_function(separator: str, *lists: Any) -> Any:
    items = [item for collection in lists for item in collection]
    pieces: List[Any] = []
    for position, item in enumerate(items):
        if position:
            pieces.append(separator)
        pieces.append(item)
    return _join(pieces)


def _try(*values: Any) -> Any:
    for value in values:
        if not first_unknown(value):
            return value
    return values[-1] if values else None


def _coalesce(*values: Any) -> Any:
    for value in values:
        if isinstance(value, Unknown):
            return value
        if value not in (None, ""):
            return value
    return None


FUNCTIONS: Dict[str, Callable[..., Any]] = {
    "jsonencode": _jsonencode,
    "format": _format,
    "join": _join_function,
    "concat": lambda *lists: [item for collection in lists for item in collection],
    "merge": lambda *maps: {key: value for mapping in maps for key, value in mapping.items()},
    "lookup": lambda mapping, key, *default: mapping[key] if key in mapping or not default else default[0],
    "lower": lambda text: text.lower(),
    "upper": lambda text: text.upper(),
    "trimspace": lambda text: text.strip(),
    "chomp": lambda text: text.rstrip("\r\n"),
    "replace": _replace,
    "tostring": lambda value: value if isinstance(value, (str, Template, Reference)) else _to_string(value),
    "tonumber": lambda value: float(value) if "." in str(value) else int(value),
    "tobool": _bool,
    "tolist": list,
    # Terraform 0.11's constructors, still in modules written for it: list("") and map("k", "v").
    "list": lambda *items: list(items),
    "map": lambda *pairs: {str(pairs[index]): pairs[index + 1] for index in range(0, len(pairs) - 1, 2)},
    "toset": _toset,
    "tomap": dict,
    "length": len,
    "element": lambda values, index: values[int(index) % len(values)],
    "keys": lambda mapping: sorted(mapping),
    "split": lambda separator, text: text.split(separator),
    "flatten": _flatten,
    "compact": lambda values: [value for value in values if value not in ("", None)],
    "contains": lambda values, value: value in values,
    "distinct": lambda values: list(dict.fromkeys(values)),
    "sort": lambda values: sorted(str(value) for value in values),
    "substr": _substr,
    "trimprefix": lambda text, prefix: text[len(prefix):] if prefix and text.startswith(prefix) else text,
    "trimsuffix": lambda text, suffix: text[:-len(suffix)] if suffix and text.endswith(suffix) else text,
    "startswith": lambda text, prefix: text.startswith(prefix),
    "endswith": lambda text, suffix: text.endswith(suffix),
    "values": lambda mapping: [mapping[key] for key in sorted(mapping)],
    "try": _try,
    "coalesce": _coalesce,
    "max": max,
    "min": min,
}

# Terraform's binary operators, highest precedence first; all associate to the left.
_PRECEDENCE = (("*", "/", "%"), ("+", "-"), (">", ">=", "<", "<="), ("==", "!="), ("&&",), ("||",))
_ARITHMETIC = {"*", "/", "%", "+", "-", ">", ">=", "<", "<="}

_BINARY: Dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b, ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b, "+": lambda a, b: a + b, "-": lambda a, b: a - b,
    "*": lambda a, b: a * b, "/": lambda a, b: a / b, "%": lambda a, b: a % b,
    "&&": lambda a, b: _bool(a) and _bool(b), "||": lambda a, b: _bool(a) or _bool(b),
}
