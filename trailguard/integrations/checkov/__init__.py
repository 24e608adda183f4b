"""The Checkov adapter: the only package that imports Checkov. It registers trailguard's checks as Python graph
checks, turns Checkov's graph into trailguard models, and puts each finding's reason in Checkov's output.

`external_checks/` is the directory `checkov --external-checks-dir` is pointed at in an installation
(`trailguard checks-dir` prints it); a clone's `checks/` holds the same one-line entry point.
"""
