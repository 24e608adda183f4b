"""The installed trailguard's version, for `trailguard --version` and the SARIF driver (one place reads it)."""

from __future__ import annotations


def installed_version() -> str:
    """The version pip installed; "0+unknown" when run from a source tree that was never installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("trailguard")
    except PackageNotFoundError:
        return "0+unknown"
