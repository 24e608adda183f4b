"""Checkov's external-checks entry point for a clone: `checkov --external-checks-dir checks`.

A plain file, not a symbolic link into the package (links break on Windows checkouts and in the sdist). Checkov
executes every `*.py` here as a top-level module named by its stem; this one only registers trailguard's checks
from the installed `trailguard` package, exactly as the installed entry point (`trailguard checks-dir`) does, and
registering twice is harmless.
"""

from trailguard.integrations.checkov.register import register

register()
