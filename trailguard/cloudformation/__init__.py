"""The CloudFormation adapter: template -> trailguard models (intrinsic functions, parameters, conditions).

Pure Python over a plain template dict (YAML or JSON, SAM or CDK output), so it is tested without either scanner.
Only `checkov_units` talks to Checkov; the cfn-lint rules live in `trailguard.cfn_lint_rules`.
"""

from trailguard.cloudformation.builder import TemplateError, build_models

__all__ = ["TemplateError", "build_models"]
