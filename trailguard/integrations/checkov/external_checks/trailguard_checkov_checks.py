"""Checkov's external-checks entry point (`checkov --external-checks-dir <this directory>`).

Checkov executes every `*.py` here as a top-level module; this one only registers trailguard's checks, which live in
the installed `trailguard` package. Its file name is unique so it shadows no other module.
"""

from trailguard.integrations.checkov.register import register

register()
