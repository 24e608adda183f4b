"""The bounds `trailguard scan` checks before a scanner reads a file, exactly at their edges (pure, no scanner)."""

from __future__ import annotations

import json

from tests.robustness.hostile import CFN_PLAIN
from trailguard.scan.discover import MAX_TEMPLATE_BYTES
from trailguard.scan.screen import MAX_ALIAS_NODES, MAX_DEPTH, screen

ANCHORED = 99  # scalars in the anchored list: the list and its scalars are 100 nodes


def _aliasing(count: int, indent: str) -> str:
    """YAML lines whose aliases expand to exactly `count` times 100 nodes."""
    anchor = "[" + ", ".join(["x"] * ANCHORED) + "]"
    return f"{indent}a: &a {anchor}\n{indent}b: [{', '.join(['*a'] * count)}]\n"


def _aliases(count: int) -> str:
    return CFN_PLAIN.replace("Resources:\n", "Mappings:\n  Big:\n" + _aliasing(count, "    ") + "Resources:\n", 1)


def _nested(depth: int) -> str:
    """A template with a value nested `depth` levels deep under the top-level mapping."""
    return CFN_PLAIN.replace("Resources:\n", f"Metadata:\n  Deep: {'[' * (depth - 2)}x{']' * (depth - 2)}\n"
                             "Resources:\n", 1)


def test_alias_expansion_is_counted_exactly_up_to_the_bound(tmp_path):
    limit = MAX_ALIAS_NODES // (ANCHORED + 1)
    (tmp_path / "at_bound.yaml").write_text(_aliases(limit))
    (tmp_path / "over.yaml").write_text(_aliases(limit + 1))
    assert screen([tmp_path]) == [
        (tmp_path / "over.yaml", f"its YAML aliases expand to more than {MAX_ALIAS_NODES:,} nodes", True)]


def test_nesting_is_bounded_in_yaml_and_in_json_that_is_not_yaml(tmp_path):
    (tmp_path / "at_bound.yaml").write_text(_nested(MAX_DEPTH))
    (tmp_path / "over.yaml").write_text(_nested(MAX_DEPTH + 1))
    deep = json.loads('{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}, "Metadata": %s}'
                      % ("[" * MAX_DEPTH + "]" * MAX_DEPTH))
    # A key over 1,024 characters is JSON but not YAML: such a file is read as JSON, by Checkov and here.
    (tmp_path / "long_key.json").write_text(json.dumps({**deep, "Outputs": {"K" * 2000: {"Value": "x"}}}, indent=2))
    why = f"it nests more than {MAX_DEPTH} levels deep"
    assert screen([tmp_path]) == [(tmp_path / "long_key.json", why, True), (tmp_path / "over.yaml", why, True)]


def test_files_out_of_scope_are_left_out_silently_and_large_plans_still_scanned(tmp_path):
    (tmp_path / "workflow.yml").write_text("on: push\nx-lists:\n" + _aliasing(MAX_ALIAS_NODES, "  "))
    with (tmp_path / "huge_template.json").open("w") as handle:
        handle.write('{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}')
        handle.truncate(MAX_TEMPLATE_BYTES + 1)  # sparse: no 50 MB written
    with (tmp_path / "plan.json").open("w") as handle:
        handle.write('{"format_version": "1.2", "resource_changes": []}')
        handle.truncate(MAX_TEMPLATE_BYTES + 1)
    assert screen([tmp_path]) == [
        (tmp_path / "huge_template.json", f"it is larger than {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB", True),
        (tmp_path / "workflow.yml", f"its YAML aliases expand to more than {MAX_ALIAS_NODES:,} nodes", False)]
