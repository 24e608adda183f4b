"""Text -> AST for CloudWatch Logs filter patterns, with errors that say what was expected and where.

Bounded by construction, never by a recursion limit: AWS's 1024-character limit is checked before lark sees the
text, lark's LALR parser is iterative, the tree is transformed with lark's non-recursive transformer, and the
finished AST's nesting is measured iteratively and capped, so the evaluator and judge can safely recurse over it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Iterator, List, Tuple, Union

from lark import Lark, Token, Transformer_NonRecursive
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from trailguard.pattern import ast
from trailguard.pattern.errors import PatternError
from trailguard.pattern.grammar import (
    JSON_GRAMMAR,
    SPACE_GRAMMAR,
    TERM_GRAMMAR,
    TERMINAL_DESCRIPTIONS,
    TERMINAL_ORDER,
)
from trailguard.pattern.regex import compile_regex

MAX_PATTERN_LENGTH = 1024
MAX_REGEXES = 2
# Deeper than AWS's length limit allows for a real alternating `&&`/`||` nesting (about 113 levels in 1024 characters),
# so it only ever stops input that bypassed that limit, well inside Python's own recursion budget.
MAX_NESTING = 150

_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SELECTOR_STEP = re.compile(
    r"\.([A-Za-z0-9_@$\-:]+)|\[([0-9]+)\]|(\[\*\]|\.\*)|\.?\['([^']*)'\]|\.?\[\"([^\"]*)\"\]"
)
MAX_WILDCARDS_PER_SELECTOR = 1
MAX_WILDCARDS_PER_PATTERN = 3


@cache
def _parser(grammar: str) -> Lark:
    return Lark(grammar, parser="lalr", lexer="contextual", propagate_positions=False, maybe_placeholders=False)


def parse(text: object) -> ast.Pattern:
    """Parse a filter pattern as AWS would read it, or raise `PatternError` saying why AWS would not accept it."""
    if text is None:  # an unset or null pattern is not the empty pattern (which matches every event)
        raise PatternError('the filter has no pattern (it is missing or null); set one, or "" to match every event')
    if not isinstance(text, str):
        raise PatternError(f"a filter pattern must be a string, not {_describe_type(text)}")
    if len(text) > MAX_PATTERN_LENGTH:
        raise PatternError(
            f"the pattern is {len(text)} characters long; AWS rejects filter patterns over {MAX_PATTERN_LENGTH}"
        )
    control = _CONTROL.search(text)
    if control:
        line, column = _position(text, control.start())
        raise PatternError(f"control character U+{ord(control.group()):04X} is not allowed", column, line)
    stripped = text.strip()
    if not stripped:
        return ast.MatchAll()
    kind = stripped[0]
    _refuse_unbraced_json(stripped)
    grammar, transformer = {
        "{": (JSON_GRAMMAR, _JsonTransformer),
        "[": (SPACE_GRAMMAR, _SpaceTransformer),
    }.get(kind, (TERM_GRAMMAR, _TermTransformer))
    try:
        tree = _parser(grammar).parse(text)
        pattern = transformer().transform(tree)
    except UnexpectedInput as error:
        raise _syntax_error(error, text) from None
    except VisitError as error:
        if isinstance(error.orig_exc, PatternError):
            raise error.orig_exc from None
        raise
    _check_limits(pattern)
    return pattern


_SELECTOR_START = re.compile(r"\$(?:\.|\[)")


def _refuse_unbraced_json(stripped: str) -> None:
    """AWS reads `$.errorCode = ...` without its `{` as an invalid pattern, not as terms: say so, not "it misses"."""
    if stripped[0] not in "{[" and _SELECTOR_START.search(stripped):
        raise PatternError("JSON patterns are enclosed in { }: this text uses $. selectors but does not start with "
                           "'{'; write { " + stripped.strip("{} ") + " }")


def _describe_type(value: object) -> str:
    return {bytes: "bytes", int: "a number", float: "a number", bool: "a boolean", list: "a list",
            tuple: "a list", dict: "a map"}.get(type(value), type(value).__name__)


def _position(text: str, offset: int) -> Tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _syntax_error(error: UnexpectedInput, text: str) -> PatternError:
    if isinstance(error, UnexpectedEOF):
        expected = set(error.expected)
        line, column = _position(text, len(text))
        return PatternError(f"unexpected end of pattern, expected {_describe_expected(expected)}", column, line)
    if isinstance(error, UnexpectedToken):
        expected = set(error.expected)
        if error.token.type == "$END":
            line, column = _position(text, len(text))
            return PatternError(f"unexpected end of pattern, expected {_describe_expected(expected)}", column, line)
        history = getattr(error, "token_history", None) or []
        if error.token.type == "VALUE" and history and history[-1].type == "VALUE":
            phrase = f"{history[-1]} {error.token}"
            if phrase.startswith("'") and phrase.endswith("'"):  # 'Failed authentication': single quotes
                return PatternError(f"single quotes are not quotes in a filter pattern (AWS reads them as part of "
                                    f"a bare value, which ends at the space): write \"{phrase[1:-1]}\" with double "
                                    "quotes", history[-1].column, history[-1].line)
            return PatternError(f"a bare value ends at a space (AWS documents no unquoted value with one): write "
                                f"\"{phrase}\" in double quotes", history[-1].column, history[-1].line)
        return PatternError(f"expected {_describe_expected(expected)}", error.column, error.line)
    if isinstance(error, UnexpectedCharacters):
        found = text[error.pos_in_stream] if error.pos_in_stream < len(text) else ""
        allowed = set(error.allowed or ())
        return PatternError(
            f"unexpected {found!r}, expected {_describe_expected(allowed)}", error.column, error.line
        )
    return PatternError(str(error))


def _describe_expected(terminals: set) -> str:
    ordered = [t for t in TERMINAL_ORDER if t in terminals] + sorted(t for t in terminals if t not in TERMINAL_ORDER)
    names: List[str] = []
    for terminal in ordered:
        name = TERMINAL_DESCRIPTIONS.get(terminal, terminal)
        if name not in names:
            names.append(name)
    if not names:
        return "something else"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _unquote(text: str) -> str:
    """Strip the double quotes of a quoted value and resolve its `\\"` and `\\\\` escapes."""
    return re.sub(r'\\(["\\])', r"\1", text[1:-1])


def _classify_value(token: Token) -> Union[str, float, Tuple[str, str]]:
    """A value token as a glob string, a number, or ("regex", body)."""
    raw = str(token)
    if raw.startswith('"'):
        return _unquote(raw)
    if raw.startswith("'"):
        raise PatternError(f"single quotes are not quotes in a filter pattern (AWS rejects {raw}); write "
                           f'"{raw.strip(chr(39))}" with double quotes', token.column, token.line)
    if raw.startswith("%"):
        body = raw[1:-1]
        try:
            compile_regex(body)
        except PatternError as error:
            raise PatternError(f"invalid regular expression {raw}: {error.message}", token.column, token.line) from None
        return ("regex", body)
    if _NUMBER.fullmatch(raw):
        return float(raw)
    return raw


def _selector(token: Token) -> ast.Selector:
    steps: List[ast.PathStep] = []
    for match in _SELECTOR_STEP.finditer(str(token), 1):
        name, index, star, single, double = match.groups()
        if name is not None:
            steps.append(name)
        elif index is not None:
            steps.append(int(index))
        elif star is not None:
            steps.append(ast.ANY_INDEX if star == "[*]" else ast.ANY_FIELD)
        else:
            steps.append(single if single is not None else double)
    return ast.Selector(tuple(steps))


def _comparison(selector: ast.Selector, op_token: Token, value_token: Token) -> ast.Comparison:
    op = str(op_token)
    value = _classify_value(value_token)
    if isinstance(value, float):
        return ast.NumberCompare(selector, op, value)
    if op not in ("=", "!="):
        raise PatternError(f"'{op}' compares numbers, but {value_token!s} is not a number",
                           value_token.column, value_token.line)
    if isinstance(value, tuple):
        return ast.RegexMatch(selector, value[1], negated=op == "!=")
    return ast.StringMatch(selector, value, negated=op == "!=")


def _flatten(kind: type, operands: List[ast.Expr]) -> ast.Expr:
    """Build an n-ary And/Or, splicing in operands of the same kind so grouping leaves no trace."""
    flat: List[ast.Expr] = []
    for operand in operands:
        if isinstance(operand, kind):
            flat.extend(operand.operands)
        else:
            flat.append(operand)
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _operands(children: list) -> List[ast.Expr]:
    return [child for child in children if not isinstance(child, Token)]


class _JsonTransformer(Transformer_NonRecursive):
    def start(self, children: list) -> ast.JsonPattern:
        return ast.JsonPattern(children[1])

    def or_expr(self, children: list) -> ast.Expr:
        return _flatten(ast.Or, _operands(children))

    def and_expr(self, children: list) -> ast.Expr:
        return _flatten(ast.And, _operands(children))

    def group(self, children: list) -> ast.Expr:
        return children[1]

    def compare(self, children: list) -> ast.Comparison:
        selector, op, value = children
        return _comparison(_selector(selector), op, value)

    def is_value(self, children: list) -> ast.IsValue:
        literal = {"TRUE": True, "FALSE": False, "NULL": None}[children[2].type]
        return ast.IsValue(_selector(children[0]), literal)

    def not_exists(self, children: list) -> ast.NotExists:
        return ast.NotExists(_selector(children[0]))


class _SpaceTransformer(Transformer_NonRecursive):
    def start(self, children: list) -> ast.SpaceDelimitedPattern:
        return ast.SpaceDelimitedPattern(tuple(c for c in children if isinstance(c, ast.SpaceField)))

    def ellipsis(self, children: list) -> ast.SpaceField:
        return ast.SpaceField("...", is_ellipsis=True)

    def plain_field(self, children: list) -> ast.SpaceField:
        return ast.SpaceField(str(children[0]))

    def conditioned_field(self, children: list) -> ast.SpaceField:
        condition = children[0]
        names = {c.selector.steps[0] for c in _comparisons(condition)}
        if len(names) != 1:
            raise PatternError(f"one field's conditions name several fields: {', '.join(sorted(names))}")
        return ast.SpaceField(names.pop(), condition)

    def field_or(self, children: list) -> ast.Expr:
        return _flatten(ast.Or, _operands(children))

    def field_and(self, children: list) -> ast.Expr:
        return _flatten(ast.And, _operands(children))

    def field_cmp(self, children: list) -> ast.Comparison:
        name, op, value = children
        return _comparison(ast.Selector((str(name),)), op, value)


class _TermTransformer(Transformer_NonRecursive):
    def start(self, children: list) -> ast.TermPattern:
        groups: dict = {"": [], "?": [], "-": []}
        for prefix, term in children:
            groups[prefix].append(term)
        return ast.TermPattern(tuple(groups[""]), tuple(groups["?"]), tuple(groups["-"]))

    def term(self, children: list) -> Tuple[str, ast.Term]:
        prefix = str(children[0]) if len(children) == 2 else ""
        token = children[-1]
        if token.type == "PHRASE":
            return prefix, ast.Term(_unquote(str(token)))
        if token.type == "REGEX":
            value = _classify_value(token)
            return prefix, ast.Term(value[1], is_regex=True)
        return prefix, ast.Term(str(token))


def iter_nodes(pattern: ast.Pattern) -> Iterator[object]:
    """Every node of a pattern, parents before children, without recursion."""
    stack: List[object] = [pattern]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.JsonPattern):
            stack.append(node.expr)
        elif isinstance(node, (ast.And, ast.Or)):
            stack.extend(reversed(node.operands))
        elif isinstance(node, ast.SpaceDelimitedPattern):
            stack.extend(reversed(node.fields))
        elif isinstance(node, ast.SpaceField) and node.condition is not None:
            stack.append(node.condition)
        elif isinstance(node, ast.TermPattern):
            stack.extend(node.required + node.optional + node.excluded)


def _comparisons(expr: ast.Expr) -> List[ast.Comparison]:
    return [node for node in iter_nodes(ast.JsonPattern(expr)) if not isinstance(node, (ast.JsonPattern, ast.And,
                                                                                         ast.Or))]


def _nesting(pattern: ast.Pattern) -> int:
    deepest = 0
    stack: List[Tuple[object, int]] = [(pattern, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, ast.JsonPattern):
            stack.append((node.expr, depth + 1))
        elif isinstance(node, (ast.And, ast.Or)):
            stack.extend((operand, depth + 1) for operand in node.operands)
    return deepest


def _check_limits(pattern: ast.Pattern) -> None:
    regexes = sum(
        1 for node in iter_nodes(pattern)
        if isinstance(node, ast.RegexMatch) or (isinstance(node, ast.Term) and node.is_regex)
    )
    if regexes > MAX_REGEXES:
        raise PatternError(
            f"AWS accepts at most {MAX_REGEXES} regular expressions in one pattern; this one has {regexes}"
        )
    selectors = [node.selector for node in iter_nodes(pattern) if hasattr(node, "selector")]
    wildcards = [sum(isinstance(step, ast.Wildcard) for step in selector.steps) for selector in selectors]
    if any(count > MAX_WILDCARDS_PER_SELECTOR for count in wildcards):
        raise PatternError("AWS accepts at most one wildcard ([*] or .*) in one selector")
    if sum(wildcards) > MAX_WILDCARDS_PER_PATTERN:
        raise PatternError(f"AWS accepts at most {MAX_WILDCARDS_PER_PATTERN} wildcard selectors in one pattern")
    if _nesting(pattern) > MAX_NESTING:
        raise PatternError(f"the pattern nests more than {MAX_NESTING} levels deep")
