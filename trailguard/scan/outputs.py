"""Where each report format goes: several formats in one scan (`--format text --format sarif`, or Checkov's `-o`),
each to standard output or to a file (`--output-file FORMAT=PATH`, or Checkov's `--output-file-path`: a directory for
every format, or a comma-separated list in the order of the formats where `console` means standard output)."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

# File names in an `--output-file-path` directory, as Checkov names its own.
_CHECKOV_NAMES = {"text": "results_cli.txt", "json": "results_json.json", "sarif": "results_sarif.sarif"}


class OutputError(ValueError):
    """An `--output-file` that names no requested format, or a malformed one."""


def destinations(formats: Sequence[str], output_files: Sequence[str],
                 output_file_path: Optional[str]) -> List[Tuple[str, Optional[Path]]]:
    """(format, file or None for standard output) for each requested format, in order."""
    files: Dict[str, Path] = {}
    if output_file_path:
        parts = output_file_path.split(",")
        if len(parts) == 1:
            files = {format_: Path(parts[0]) / _CHECKOV_NAMES[format_] for format_ in formats}
        elif len(parts) == len(formats):
            files = {format_: Path(part) for format_, part in zip(formats, parts) if part != "console"}
        else:
            raise OutputError(f"--output-file-path has {len(parts)} entries for {len(formats)} format(s)")
    for entry in output_files:
        format_, separator, file = entry.partition("=")
        if not separator or not file:
            raise OutputError(f"--output-file takes FORMAT=PATH (for example sarif=trailguard.sarif), not {entry!r}")
        if format_.lower() not in formats:
            raise OutputError(f"--output-file {entry}: {format_} is not among the formats ({', '.join(formats)})")
        files[format_.lower()] = Path(file)
    return [(format_, files.get(format_)) for format_ in formats]
