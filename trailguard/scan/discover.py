"""Which files a scan covers: the CloudFormation templates cfn-lint must lint, and which Terraform root module a
child module's resources belong to (Checkov reports them at the module's own file)."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Iterable, Iterator, List, Set

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
# Directories no deployable source lives in (dependencies, caches, VCS); Checkov skips the same kind.
SKIPPED_DIRECTORIES = {"node_modules", "__pycache__", "site-packages"}

# A CloudFormation template has a top-level Resources section whose resources have AWS:: types (YAML or JSON);
# Terraform `.tf.json` and plan JSON never do (theirs are lower-case `resource` / `resource_changes`). JSON may be
# minified onto one line.
_RESOURCES = re.compile(r'^Resources\s*:|(?:^|[{,])\s*"Resources"\s*:', re.MULTILINE)
_AWS_TYPE = re.compile(r"""["']?Type["']?\s*:\s*["']?AWS::""")
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024  # larger files are generated artefacts (AWS accepts 1 MB)
_HEAD_BYTES = 8 * 1024 * 1024


def looks_like_template(path: Path) -> bool:
    """Whether a file's content is a CloudFormation template's; only its first 8 MB are read, so that a huge file can
    be named as a template without reading it all."""
    try:
        with path.open("rb") as handle:
            text = handle.read(_HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return False
    return bool(_RESOURCES.search(text) and _AWS_TYPE.search(text))


def is_cloudformation_template(path: Path) -> bool:
    """Whether a file is a CloudFormation template (SAM and CDK output included) that cfn-lint can be handed."""
    if path.suffix.lower() not in TEMPLATE_SUFFIXES or not path.is_file():
        return False
    try:
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            return False
    except OSError:
        return False
    return looks_like_template(path)


def walk_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file under the paths, skipping hidden and dependency directories (a file named directly is kept)."""
    for path in paths:
        if path.is_file():
            yield path
            continue
        for directory, subdirectories, files in os.walk(path):
            subdirectories[:] = sorted(name for name in subdirectories
                                       if not name.startswith(".") and name not in SKIPPED_DIRECTORIES)
            for name in sorted(files):
                yield Path(directory, name)


def is_terraform(path: Path) -> bool:
    """Whether a file is Terraform only Checkov reads: HCL, `.tf.json`, or a plan (`terraform show -json`)."""
    if path.name.endswith((".tf", ".tf.json")):
        return True
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            return b'"terraform_version"' in handle.read(_HEAD_BYTES)
    except OSError:
        return False


def cloudformation_templates(paths: Iterable[Path]) -> List[Path]:
    return [path for path in walk_files(paths) if is_cloudformation_template(path)]


# `source = "./modules/x"` in HCL and `"source": "../x"` in .tf.json: local module calls.
_LOCAL_SOURCE = re.compile(r"""["']?source["']?\s*[=:]\s*"(\.{1,2}/[^"]*)\"""")


@cache
def _local_modules(directory: Path) -> Set[Path]:
    """The directories of the local modules a Terraform directory calls."""
    called: Set[Path] = set()
    for file in sorted(directory.glob("*.tf")) + sorted(directory.glob("*.tf.json")):
        try:
            text = file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        called.update((directory / source).resolve() for source in _LOCAL_SOURCE.findall(text))
    return called


def called_modules(root: Path) -> Set[Path]:
    """The directories of every local module a root module calls, directly or through other local modules."""
    seen: Set[Path] = set()
    pending = [root.resolve()]
    while pending:
        directory = pending.pop()
        if directory in seen:
            continue
        seen.add(directory)
        pending.extend(_local_modules(directory))
    seen.discard(root.resolve())
    return seen


def calls_module(root: Path, module: Path) -> bool:
    """Whether a root module calls `module`, directly or through other local modules."""
    return module in called_modules(root)
