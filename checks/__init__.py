"""Checkov walks only directories that are packages; this file makes `checks/` one (see trailguard_checkov_checks)."""
