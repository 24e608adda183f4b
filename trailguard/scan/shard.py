"""`trailguard scan --shard I/N`: a deterministic share of the deployment units, for a CI matrix of N jobs.

A unit is a Terraform root module (a directory of `.tf` / `.tf.json` files that no other scanned directory calls as a
local module), or any other file (a template, a plan). A unit belongs to shard `1 + sha256(its path) mod N`, its path
taken relative to the working directory: only the unit's own path decides, so adding or removing other files moves no
unit to another shard. A local child module is scanned with every root that calls it (its resources are reported under
the calling root); a directory nobody calls is a root of its own. Units the cross-unit proof may join (a trail and
the unit holding its log group, an organization trail and the member units it covers: `shard_groups`) go where their
group's first unit goes, so each shard proves what a full scan proves. `trailguard merge` puts the shards' reports
back together.
"""

from __future__ import annotations

import argparse
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Optional, Set

from trailguard.scan.discover import called_modules

_TERRAFORM = (".tf", ".tf.json")


class ShardError(argparse.ArgumentTypeError):
    """A `--shard` value that is not I/N with 1 <= I <= N."""


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as CI matrices count
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        try:
            index, count = (int(part) for part in text.split("/"))
        except ValueError:
            raise ShardError(f"--shard takes I/N (for example 2/8), not {text!r}") from None
        if not 1 <= index <= count:
            raise ShardError(f"--shard {text}: I must be between 1 and N")
        return cls(index, count)

    def owns(self, unit: str) -> bool:
        digest = hashlib.sha256(unit.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def _key(path: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path))).as_posix()


def outside(shard: Shard, files: Iterable[Path], groups: Optional[Mapping[Path, Path]] = None) -> Set[str]:
    """The absolute paths of the files that belong to other shards' units only; `groups` maps a unit's resolved path
    to the unit whose shard it joins (`shard_groups.linked_units`)."""
    groups = groups or {}

    def owns(unit: Path) -> bool:
        return shard.owns(_key(groups.get(unit.resolve(), unit)))

    files = list(files)
    directories = {file.parent.resolve() for file in files if file.name.endswith(_TERRAFORM)}
    calls = {directory: called_modules(directory) & directories for directory in sorted(directories)}
    modules = set().union(*calls.values())
    owned: Set[Path] = set()
    for root in sorted(directories - modules):
        if owns(root):
            owned |= {root} | calls[root]
    return {os.path.abspath(file) for file in files
            if (file.parent.resolve() not in owned if file.name.endswith(_TERRAFORM) else not owns(file))}
