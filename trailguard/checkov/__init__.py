"""The Checkov adapter: the only package that imports Checkov. It registers trailguard's five checks as Python
graph checks, turns Checkov's graph into trailguard models, and puts each finding's reason in Checkov's output."""
