"""The lark grammars of the three kinds of CloudWatch Logs filter pattern.

The kind is chosen by the first character (`{` JSON, `[` space-delimited, anything else a term pattern), as AWS
does, so each grammar stays small and its error messages stay specific. Values are one token class (`VALUE`) that
the parser classifies afterwards (quoted string, `%regex%`, number or bare string): a lexer that has to choose
between `123.123` and `123.123.*` by priority guesses wrong, a classifier that sees the whole token does not.
"""

JSON_GRAMMAR = r"""
start: LBRACE or_expr RBRACE

?or_expr: and_expr (OR and_expr)*
?and_expr: atom (AND atom)*
?atom: LPAR or_expr RPAR -> group
     | comparison

comparison: SELECTOR OP VALUE              -> compare
          | SELECTOR IS (TRUE | FALSE | NULL) -> is_value
          | SELECTOR NOT EXISTS             -> not_exists

LBRACE: "{"
RBRACE: "}"
LPAR: "("
RPAR: ")"
AND: "&&"
OR: "||"
OP: "!=" | "<=" | ">=" | "=" | "<" | ">"
IS: "IS"
NOT: "NOT"
EXISTS: "EXISTS"
TRUE: "TRUE"
FALSE: "FALSE"
NULL: "NULL"
SELECTOR: /\$(\.[A-Za-z0-9_@$\-:]+|\.\*|\[[0-9]+\]|\[\*\]|\.?\['[^']*'\]|\.?\["[^"]*"\])+/
VALUE: /"(?:[^"\\]|\\.)*"/
     | /%(?:[^%\\]|\\.)*%/
     | /[^\s()"%&|{}]+/

%import common.WS
%ignore WS
"""

SPACE_GRAMMAR = r"""
start: LSQB [field (COMMA field)* COMMA?] RSQB

field: ELLIPSIS                  -> ellipsis
     | NAME                      -> plain_field
     | field_or                  -> conditioned_field

?field_or: field_and (OR field_and)*
?field_and: field_cmp (AND field_cmp)*
field_cmp: NAME OP VALUE

LSQB: "["
RSQB: "]"
COMMA: ","
ELLIPSIS: "..."
AND: "&&"
OR: "||"
OP: "!=" | "<=" | ">=" | "=" | "<" | ">"
NAME: /[A-Za-z_][A-Za-z0-9_\-]*/
VALUE: /"(?:[^"\\]|\\.)*"/
     | /%(?:[^%\\]|\\.)*%/
     | /[^\s,\[\]"%&|=!<>]+/

%import common.WS
%ignore WS
"""

TERM_GRAMMAR = r"""
start: term+

term: PREFIX? (PHRASE | REGEX | WORD)

PREFIX: "?" | "-"
PHRASE: /"(?:[^"\\]|\\.)*"/
REGEX: /%(?:[^%\\]|\\.)*%/
WORD: /[^\s"%?\-][^\s"]*/

%import common.WS
%ignore WS
"""

# How each terminal is named in an error message, so users read `expected ')'`, not `expected RPAR`.
TERMINAL_DESCRIPTIONS = {
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "COMMA": "','",
    "AND": "'&&'",
    "OR": "'||'",
    "OP": "a comparison operator (=, !=, <, >, <=, >=)",
    "IS": "'IS'",
    "NOT": "'NOT'",
    "EXISTS": "'EXISTS'",
    "TRUE": "'TRUE'",
    "FALSE": "'FALSE'",
    "NULL": "'NULL'",
    "SELECTOR": "a selector such as $.errorCode",
    "VALUE": "a value",
    "NAME": "a field name",
    "ELLIPSIS": "'...'",
    "PREFIX": "'?' or '-'",
    "PHRASE": "a quoted phrase",
    "REGEX": "a %regular expression%",
    "WORD": "a term",
    "$END": "the end of the pattern",
}

# The order in which expected terminals are listed: closing brackets first, because an unclosed group is the
# mistake people make most and the one the message should lead with.
TERMINAL_ORDER = ["RPAR", "RBRACE", "RSQB", "AND", "OR", "COMMA", "OP", "IS", "NOT", "EXISTS", "TRUE", "FALSE",
                  "NULL", "LPAR", "SELECTOR", "VALUE", "NAME", "ELLIPSIS", "LBRACE", "LSQB", "PREFIX", "PHRASE",
                  "REGEX", "WORD", "$END"]
