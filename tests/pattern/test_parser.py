"""The parser: what it accepts, the AST it builds, and the errors it gives for what AWS would reject."""

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trailguard.pattern import ast
from trailguard.pattern.errors import PatternError
from trailguard.pattern.parser import MAX_NESTING, MAX_PATTERN_LENGTH, parse

ERROR_CODE = ast.Selector(("errorCode",))


def test_cis_v12_text_parses_to_an_or_of_two_globs():
    parsed = parse('{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }')
    assert parsed == ast.JsonPattern(ast.Or((
        ast.StringMatch(ERROR_CODE, "*UnauthorizedOperation"),
        ast.StringMatch(ERROR_CODE, "AccessDenied*"),
    )))


def test_and_binds_tighter_than_or():
    parsed = parse('{ $.a = "1" || $.b = "2" && $.c = "3" }')
    assert isinstance(parsed.expr, ast.Or)
    assert isinstance(parsed.expr.operands[1], ast.And)


def test_parentheses_override_precedence():
    parsed = parse('{ ($.a = "1" || $.b = "2") && $.c = "3" }')
    assert isinstance(parsed.expr, ast.And)
    assert isinstance(parsed.expr.operands[0], ast.Or)


@pytest.mark.parametrize("text", [
    '{ $.a = "x" && $.b = "y" && $.c = "z" }',
    '{ (($.a = "x")) && ($.b = "y" && ($.c = "z")) }',
    '{$.a="x"&&$.b="y"&&$.c="z"}',
    '{\n  $.a = x\n  && $.b = y\n  && $.c = z\n}',
])
def test_grouping_whitespace_and_quoting_leave_no_trace(text):
    assert parse(text) == parse('{ $.a = "x" && $.b = "y" && $.c = "z" }')


def test_selectors():
    parsed = parse("{ $.resources[0].ARN = \"x\" || $.list[*].id = \"y\" || $.['key.with.dots'] = \"z\" }")
    steps = [operand.selector.steps for operand in parsed.expr.operands]
    assert steps == [("resources", 0, "ARN"), ("list", ast.ANY_INDEX, "id"), ("key.with.dots",)]


def test_value_kinds():
    parsed = parse('{ $.a = 5 && $.b = "5" && $.c = 5* && $.d = %ab+% && $.e IS TRUE && $.f IS NULL && '
                   '$.g NOT EXISTS && $.h >= -1.5 && $.i != "x" }')
    assert parsed.expr.operands == (
        ast.NumberCompare(ast.Selector(("a",)), "=", 5.0),
        ast.StringMatch(ast.Selector(("b",)), "5"),
        ast.StringMatch(ast.Selector(("c",)), "5*"),
        ast.RegexMatch(ast.Selector(("d",)), "ab+"),
        ast.IsValue(ast.Selector(("e",)), True),
        ast.IsValue(ast.Selector(("f",)), None),
        ast.NotExists(ast.Selector(("g",))),
        ast.NumberCompare(ast.Selector(("h",)), ">=", -1.5),
        ast.StringMatch(ast.Selector(("i",)), "x", negated=True),
    )


def test_quoted_value_escapes():
    parsed = parse(r'{ $.a = "say \"hi\" \\ there" }')
    assert parsed.expr.glob == 'say "hi" \\ there'


def test_term_and_space_delimited_and_empty_patterns():
    assert parse("ERROR -Exiting ?WARN") == ast.TermPattern(
        (ast.Term("ERROR"),), (ast.Term("WARN"),), (ast.Term("Exiting"),))
    assert parse('"Access Denied"') == ast.TermPattern((ast.Term("Access Denied"),), (), ())
    spaced = parse("[ip, user, ..., status=4* || status=5*, size>1000]")
    assert [f.name for f in spaced.fields] == ["ip", "user", "...", "status", "size"]
    assert isinstance(spaced.fields[3].condition, ast.Or)
    assert parse("") == ast.MatchAll()
    assert parse("   \n ") == ast.MatchAll()


@pytest.mark.parametrize(("text", "message"), [
    ('{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*" }', "expected ')' at column 78"),
    ('{ $.a = "x" ', "unexpected end of pattern"),
    ('{ $.a > "x" }', "'>' compares numbers"),
    ("{ $.a = %a(b)% }", "parentheses"),
    ('{ $.a = "x" && }', "expected"),
    ("{ a = 1 }", "at column 3"),
    ('{ $.a = %x% || $.b = %y% || $.c = %z% }', "at most 2 regular expressions"),
    ('{ $.a = "\x00" }', "control character U+0000"),
])
def test_syntax_errors_say_what_and_where(text, message):
    with pytest.raises(PatternError) as caught:
        parse(text)
    assert message in str(caught.value)


def test_error_column_points_at_the_problem():
    text = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*" }'
    with pytest.raises(PatternError) as caught:
        parse(text)
    assert caught.value.column == 78
    assert text[caught.value.column - 1] == "}"


def test_length_limit_is_awss():
    inner = '$.a = "x"'
    at_limit = "{ " + inner + " " * (MAX_PATTERN_LENGTH - len(inner) - 4) + " }"
    assert len(at_limit) == MAX_PATTERN_LENGTH
    parse(at_limit)
    with pytest.raises(PatternError, match="1025 characters long; AWS rejects"):
        parse(at_limit + " ")


@pytest.mark.parametrize("value", [5, 1.5, True, ["{ $.a = 1 }"], {"a": 1}, b"{ $.a = 1 }"])
def test_non_string_input_is_a_clean_error(value):
    with pytest.raises(PatternError, match="must be a string"):
        parse(value)


def test_a_missing_pattern_is_not_the_empty_pattern():
    assert isinstance(parse(""), ast.MatchAll)
    with pytest.raises(PatternError, match="the filter has no pattern"):
        parse(None)


@pytest.mark.parametrize("depth", [1_000, 10_000])
def test_deep_parentheses_are_rejected_quickly(depth):
    text = "{ " + "(" * depth + '$.a = "x"' + ")" * depth + " }"
    started = time.perf_counter()
    with pytest.raises(PatternError, match="AWS rejects"):
        parse(text)
    assert time.perf_counter() - started < 1  # generous: this is a hang detector, not a benchmark


def _alternating_nesting(depth: int) -> str:
    """`{$.a=1&&($.a=1||(... $.a=1))}` with `depth` operators: alternating, so each level is a new And/Or node, and
    written without spaces, so it is the deepest nesting per character (9 characters a level)."""
    body = "$.a=1"
    for level in range(depth):
        body = f"$.a=1{'&&' if level % 2 else '||'}({body})"
    return "{" + body + "}"


def test_deepest_nesting_that_fits_in_1024_characters_parses():
    depth = max(d for d in range(MAX_PATTERN_LENGTH) if len(_alternating_nesting(d)) <= MAX_PATTERN_LENGTH)
    parsed = parse(_alternating_nesting(depth))
    levels, node = 0, parsed.expr
    while isinstance(node, (ast.And, ast.Or)):
        levels, node = levels + 1, node.operands[-1]
    assert levels == depth == 113 and depth <= MAX_NESTING  # the nesting cap never stops a pattern AWS accepts
    with pytest.raises(PatternError, match="AWS rejects filter patterns over 1024"):
        parse(_alternating_nesting(depth + 1))


@given(st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("utf-8", "replace")),
                 st.text(alphabet='{}()[]$.=!<>&|"%*?-, aA1\\\n', max_size=300)))
def test_fuzz_never_crashes(text):
    try:
        parse(text)
    except PatternError as error:
        assert error.message
