"""The deployment units `--shard` must keep in one shard: those the cross-unit proof (`across_units`) may join.

A shard runs the cross-unit proof over its own units only, so a trail whose log group, filters and alarms are in
another unit, or a member account covered by an organization trail, would be proven by a full scan and not by the
shards. Here the units are modelled from the files, as the proof models them, and joined when a trail of one is
proven to be linked to another (same account and region, or a link the configuration declares) or an organization
trail of one covers another. Each group is placed by its first unit's path, so the shards merged are the full scan.
Only `--shard` pays for this; without links or an organization each unit is a group of its own.
"""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path
from typing import Collection, Dict, Sequence

from trailguard.scan import across_units
from trailguard.units.links import links_of
from trailguard.units.organization import coverage


def linked_units(paths: Sequence[Path], left_out: Collection[str], args: Namespace) -> Dict[Path, Path]:
    """Each unit's path (a root module's directory, or a file) -> the path of the first unit of its group."""
    declared = across_units.declarations(args)
    units = across_units.scan_units(paths, left_out, declared)
    group = {unit.path: unit.path for unit in units}

    def first(path: Path) -> Path:
        while group[path] != path:
            path = group[path]
        return path

    def join(one: Path, other: Path) -> None:
        low, high = sorted((first(one), first(other)))
        group[high] = low

    for home in units:
        for model in home.models:
            for trail in model.trails.values():
                for link in links_of(trail, model, home, units, declared, candidates_wanted=0)[0]:
                    join(home.path, link.unit.path)
    by_name = {unit.name: unit for unit in units}
    for member, covers in coverage(units, declared).items():
        for cover in covers:
            join(by_name[member].path, cover.home.path)
    return {path: first(path) for path in group}
