"""Bounds checked before any scanner reads a YAML or JSON file, so hostile input gives a named result, not a hang.

Checkov's CloudFormation parser reads every `.yaml`, `.yml`, `.json` and `.template` file under a directory, and
it has no bounds of its own: a "billion laughs" YAML alias bomb of a few hundred bytes spins it for ever, nesting a
few hundred levels deep crashes it (and hangs it when several frameworks run), and a very large file is dropped with
only a warning. cfn-lint refuses alias bombs itself (at 250,000 nodes) but nothing else here does. So each such file
is taken out of both scanners' runs and, when it is a CloudFormation template (or JSON, which may be a plan),
reported by name with the bound it exceeds; the other files are still scanned.

The alias bound is decided from the parser's events, without building the document: each node's size (itself plus
its children, an alias counting as the size of the node it names) is known when the node ends, so one pass counts
what the aliases would expand to and stops as soon as the count passes the bound.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from trailguard.scan.discover import MAX_TEMPLATE_BYTES, TEMPLATE_SUFFIXES, looks_like_template, walk_files

MAX_ALIAS_NODES = 250_000  # the bound cfn-lint applies; a real template uses a handful of aliases, if any
MAX_DEPTH = 100  # YAML/JSON nesting levels; real templates (CDK output included) stay well under 30
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def _yaml_problem(text: str) -> Optional[str]:
    """What makes a YAML (or JSON) text unsafe to hand to a scanner, from its parser events; None when it is safe or
    when it does not parse (then the scanners report their own parse error)."""
    import yaml  # PyYAML comes with both scanners; trailguard's core does not need it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    sizes: Dict[str, int] = {}
    open_nodes: List[List] = []  # [anchor, size so far] of each collection not yet ended
    expanded = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.CollectionStartEvent):
                open_nodes.append([event.anchor, 1])
                if len(open_nodes) > MAX_DEPTH:
                    return f"it nests more than {MAX_DEPTH} levels deep"
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size = open_nodes.pop()
            elif isinstance(event, yaml.AliasEvent):
                anchor, size = None, sizes.get(event.anchor, 1)
                expanded += size
                if expanded > MAX_ALIAS_NODES:
                    return f"its YAML aliases expand to more than {MAX_ALIAS_NODES:,} nodes"
            elif isinstance(event, yaml.ScalarEvent):
                anchor, size = event.anchor, 1
            else:
                continue
            if anchor is not None:
                sizes[anchor] = size
            if open_nodes:  # capped so that a bomb's sizes never grow into huge integers
                open_nodes[-1][1] = min(open_nodes[-1][1] + size, MAX_ALIAS_NODES + 1)
    except (yaml.YAMLError, ValueError):  # JSON that is not YAML (a key over 1,024 characters): read it as JSON
        return _json_problem(text)
    return None


def _json_problem(text: str) -> Optional[str]:
    """The nesting bound for JSON that PyYAML cannot read (Checkov falls back to reading such a file as JSON)."""
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return f"it nests more than {MAX_DEPTH} levels deep"
    return None


def _screened(path: Path) -> Optional[Tuple[str, bool]]:
    """Why a file must not reach a scanner and whether the report must name it; None when it may be scanned."""
    try:
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            # Only a template is held back: Checkov reads other large files (a plan JSON) as it always has.
            if not looks_like_template(path):
                return None
            return f"it is larger than {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB", True
        problem = _yaml_problem(path.read_bytes().decode("utf-8", errors="replace"))
    except OSError:
        return None  # the scanners report an unreadable file themselves
    if problem is None:
        return None
    # A YAML file that is not a template holds nothing trailguard checks, so leaving it out loses nothing; a JSON
    # file may be a plan, so it is named.
    return problem, looks_like_template(path) or path.suffix.lower() == ".json"


def screen(paths: Iterable[Path]) -> List[Tuple[Path, str, bool]]:
    """Every file under the paths that no scanner may read: (file, why, whether the report must name it)."""
    found = []
    for path in walk_files(paths):
        screened = _screened(path) if path.suffix.lower() in TEMPLATE_SUFFIXES else None
        if screened:
            found.append((path, *screened))
    return found
