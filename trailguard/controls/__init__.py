"""The CIS AWS monitoring controls (../docs/controls.md): one module per control, each holding its ids, CIS numbers,
target events per CIS version, published texts and notes; and the judge of a pattern for one of them.

    from trailguard.controls import by_slug, judge
    judge('{ $.eventName = "DeleteRolePolicy" }', by_slug("iam-policy-changes")).misses
    judge(pattern, "security-group-changes", cis_version="4.0")

The controls import the pattern engine, never the reverse: `trailguard.pattern` judges any `Target`.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple, Union

from trailguard.controls import (
    cloudtrail_changes,
    cmk_disable_or_deletion,
    config_changes,
    console_auth_failures,
    console_signin_without_mfa,
    iam_policy_changes,
    nacl_changes,
    network_gateway_changes,
    organizations_changes,
    root_usage,
    route_table_changes,
    s3_bucket_policy_changes,
    security_group_changes,
    unauthorized_api_calls,
    vpc_changes,
)
from trailguard.controls.control import CIS_VERSIONS, NEWEST, Control, UnknownVersion
from trailguard.pattern import ast
from trailguard.pattern.errors import PatternError
from trailguard.pattern.judge import judge as judge_target
from trailguard.pattern.parser import parse
from trailguard.pattern.verdict import Verdict

# In CIS order (v1.3-v5 4.1 ... 4.15).
CONTROLS: Tuple[Control, ...] = tuple(
    module.CONTROL
    for module in (
        unauthorized_api_calls,
        console_signin_without_mfa,
        root_usage,
        iam_policy_changes,
        cloudtrail_changes,
        console_auth_failures,
        cmk_disable_or_deletion,
        s3_bucket_policy_changes,
        config_changes,
        security_group_changes,
        nacl_changes,
        network_gateway_changes,
        route_table_changes,
        vpc_changes,
        organizations_changes,
    )
)
_BY_SLUG: Dict[str, Control] = {control.slug: control for control in CONTROLS}

UNAUTHORIZED_API_CALLS = unauthorized_api_calls.CONTROL
UNAUTHORIZED_CALLS = unauthorized_api_calls.TARGET


class UnknownControl(KeyError):
    """A slug that names no control."""

    def __str__(self) -> str:
        return f"unknown control {self.args[0]!r}; known: {', '.join(_BY_SLUG)}"


def by_slug(slug: str) -> Control:
    if slug not in _BY_SLUG:
        raise UnknownControl(slug)
    return _BY_SLUG[slug]


def judge(
    pattern: Union[str, ast.Pattern, object], control: Union[Control, str], cis_version: Optional[str] = None
) -> Verdict:
    """Judge a pattern for a control under a CIS version's text (the newest by default). Never raises on a bad
    pattern; an unknown control or version raises (UnknownControl, UnknownVersion)."""
    chosen = by_slug(control) if isinstance(control, str) else control
    return judge_target(pattern, chosen.target(cis_version))


def judge_together(patterns: Sequence[str], control: Union[Control, str],
                   cis_version: Optional[str] = None) -> Verdict:
    """Judge several filters that feed alarms on one log group as one: the control is covered when their union
    counts its events (two filters may split its calls between them; CONTROLS.md, "Several filters, one
    control"). The verdict's misses are what the filters together leave uncounted; its noise belongs to the
    filter that counts it (each filter is judged alone for that). An invalid or raw-text pattern among them
    decides the answer by itself."""
    chosen = by_slug(control) if isinstance(control, str) else control
    if len(patterns) == 1:
        return judge(patterns[0], chosen, cis_version)
    exprs: List[ast.Expr] = []
    for pattern in patterns:
        try:
            parsed = parse(pattern)
        except PatternError:
            return judge(pattern, chosen, cis_version)
        if not isinstance(parsed, ast.JsonPattern):
            return judge(pattern, chosen, cis_version)
        exprs.extend(parsed.expr.operands if isinstance(parsed.expr, ast.Or) else (parsed.expr,))
    return judge_target(ast.JsonPattern(ast.Or(tuple(exprs))), chosen.target(cis_version))


def judge_unauthorized_calls(pattern: Union[str, ast.Pattern, object]) -> Verdict:
    """Judge a metric-filter pattern for the CIS "unauthorized API calls" control. Never raises on bad input."""
    return judge_target(pattern, UNAUTHORIZED_CALLS)


__all__ = [
    "CIS_VERSIONS",
    "CONTROLS",
    "NEWEST",
    "UNAUTHORIZED_API_CALLS",
    "UNAUTHORIZED_CALLS",
    "Control",
    "UnknownControl",
    "UnknownVersion",
    "by_slug",
    "judge",
    "judge_unauthorized_calls",
]
