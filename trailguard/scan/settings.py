"""`trailguard scan`'s settings from a configuration file, under the command line: `.trailguard.yaml` in the scanned
directory (or the file given with `--config`), else `[tool.trailguard]` in that directory's `pyproject.toml`.

A file holds the long option names (`skip-path`, `check`, `skip-check`, `soft-fail`, `fail-on`, `format`, `output-file`,
`baseline`, `allow-unproven`, `timeout`, `color`, `verbose`, `cis-version`; `-` or `_` alike). Every option given on the
command line replaces the file's value. The CIS version comes from `--cis-version`, else the file, else the
`TRAILGUARD_CIS_VERSION` environment variable (what the plain Checkov and cfn-lint paths read), else the newest; it is
checked before anything runs. YAML needs PyYAML and pyproject.toml needs tomllib (Python 3.11+) or tomli: both scanners
bring PyYAML; without a TOML reader, a pyproject.toml holding `[tool.trailguard]` is an error that says so rather than
settings silently ignored.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import Any, Collection, Dict, List, Optional, Sequence

from trailguard.controls.control import UnknownVersion, check_version
from trailguard.rules.analysis import CIS_VERSION_VARIABLE
from trailguard.scan.chain import DEFAULT_FAIL_ON, SEVERITIES
from trailguard.scan.runner import DEFAULT_TIMEOUT

CONFIG_FILE = ".trailguard.yaml"
FORMATS = ("text", "json", "sarif")
# Setting name (argparse dest) -> its value when neither the command line nor a file gives it.
DEFAULTS: Dict[str, Any] = {
    "skip_path": [], "check": [], "skip_check": [], "soft_fail": False, "fail_on": DEFAULT_FAIL_ON, "format": ["text"],
    "output_file": [], "output_file_path": None, "baseline": None, "allow_unproven": False, "timeout": DEFAULT_TIMEOUT,
    "color": "auto", "verbose": False, "cis_version": None,
}
_LISTS = {"skip_path", "check", "skip_check", "format", "output_file"}
# Keys that are not options but declarations about deployment units (`links`, `targets`, `organization`), read by
# `trailguard.units.declared` through `read_keys` (docs/cross-unit.md).
UNIT_KEYS = ("links", "targets", "organization")
_ALIASES = {"output": "format", "o": "format", "framework_skip_path": "skip_path"}


class SettingsError(Exception):
    """A configuration file that cannot be read or holds an unknown setting."""


def _load_yaml(path: Path) -> Any:
    try:
        yaml = importlib.import_module("yaml")
    except ImportError:
        raise SettingsError(f"{path} needs PyYAML to be read (pip install pyyaml; both scanners bring it)") from None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SettingsError(f"cannot read {path}: {error}") from None


def _toml_reader() -> Optional[Any]:
    for name in ("tomllib", "tomli"):
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


def _load_pyproject(path: Path) -> Any:
    """`[tool.trailguard]`, or {} when there is none."""
    text = path.read_text(encoding="utf-8")
    if "[tool.trailguard]" not in text:
        return {}
    reader = _toml_reader()
    if reader is None:
        python = f"{sys.version_info[0]}.{sys.version_info[1]}"
        raise SettingsError(f"{path} has [tool.trailguard], but this Python ({python}) cannot read TOML (tomllib "
                            "comes with 3.11): pip install tomli, or move the settings to .trailguard.yaml")
    try:
        return reader.loads(text).get("tool", {}).get("trailguard", {})
    except ValueError as error:
        raise SettingsError(f"cannot read {path}: {error}") from None


def find_config(explicit: Optional[str], paths: Sequence[str]) -> Optional[Path]:
    """The file to read: `--config`, else `.trailguard.yaml` or a pyproject.toml with `[tool.trailguard]` in the
    first scanned directory (the current one for a file)."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise SettingsError(f"no such configuration file: {explicit}")
        return path
    first = Path(paths[0]) if paths else Path(".")
    directory = first if first.is_dir() else first.parent
    for name in (CONFIG_FILE, "pyproject.toml"):
        if (directory / name).is_file():
            return directory / name
    return None


def read_config(path: Path) -> Dict[str, Any]:
    """The settings a file holds, by argparse dest, with list settings always lists."""
    loaded = _load_pyproject(path) if path.name == "pyproject.toml" else _load_yaml(path)
    if not isinstance(loaded, dict):
        raise SettingsError(f"{path} must hold a mapping of settings, not {type(loaded).__name__}")
    settings: Dict[str, Any] = {}
    for key, value in loaded.items():
        if key in UNIT_KEYS:
            continue
        name = str(key).replace("-", "_")
        name = _ALIASES.get(name, name)
        if name not in DEFAULTS:
            raise SettingsError(f"{path}: unknown setting {key!r} (known: "
                                f"{', '.join(sorted(n.replace('_', '-') for n in DEFAULTS))})")
        settings[name] = _as_list(value) if name in _LISTS else value
    return settings


def read_keys(path: Path, names: Sequence[str]) -> Dict[str, Any]:
    """The values a configuration file gives some keys, as written (the file is read the same way as for settings)."""
    loaded = _load_pyproject(path) if path.name == "pyproject.toml" else _load_yaml(path)
    return {name: loaded[name] for name in names if isinstance(loaded, dict) and name in loaded}


def _as_list(value: Any) -> List[str]:
    if isinstance(value, dict):  # output-file: {sarif: trailguard.sarif}
        return [f"{key}={item}" for key, item in value.items()]
    return [str(item) for item in value] if isinstance(value, (list, tuple)) else [str(value)]


def scalar_defaults() -> Dict[str, Any]:
    """The defaults argparse can hold itself (a list default would be appended to, not replaced)."""
    return {name: default for name, default in DEFAULTS.items() if name not in _LISTS}


def given_by_value(args: argparse.Namespace) -> Collection[str]:
    """The settings that differ from their defaults: what was given, when the command line itself is not at hand
    (`trailguard scan` called from Python with a parsed namespace)."""
    return {name for name, value in vars(args).items() if value is not None and value != DEFAULTS.get(name)}


def resolve(args: argparse.Namespace, given: Collection[str]) -> argparse.Namespace:
    """Every setting not `given` on the command line from the configuration file, else from `DEFAULTS`."""
    path = find_config(getattr(args, "config", None), args.paths)
    configured = read_config(path) if path else {}
    for name, default in DEFAULTS.items():
        if name not in given:
            setattr(args, name, configured.get(name, default if getattr(args, name, None) is None
                                               else getattr(args, name)))
    args.fail_on = str(args.fail_on).upper()
    args.format = list(dict.fromkeys(str(format_).lower() for format_ in args.format))
    if args.fail_on not in SEVERITIES:
        raise SettingsError(f"fail-on must be one of {', '.join(SEVERITIES)}, not {args.fail_on!r}")
    try:
        args.timeout = float(args.timeout)
    except (TypeError, ValueError):
        args.timeout = 0.0
    if not args.timeout > 0:
        raise SettingsError("timeout must be a positive number of seconds")
    args.cis_version = cis_version(args.cis_version)
    unknown = [format_ for format_ in args.format if format_ not in FORMATS]
    if unknown:
        raise SettingsError(f"unknown output format {unknown[0]!r} (known: {', '.join(FORMATS)})")
    return args


def cis_version(given: Any) -> str:
    """The CIS version to judge by: the setting, else the environment's `TRAILGUARD_CIS_VERSION`, else the newest;
    one CIS never published is a usage error listing the known versions."""
    chosen = str(given) if given not in (None, "") else os.environ.get(CIS_VERSION_VARIABLE, "").strip() or None
    try:
        return check_version(chosen)
    except UnknownVersion as error:
        where = "" if given not in (None, "") else f" (from the environment variable {CIS_VERSION_VARIABLE})"
        raise SettingsError(f"{error}{where}") from None
