"""The CloudFormation adapter: template -> trailguard models (intrinsic functions, parameters, conditions).

Pure Python over a plain template dict (YAML or JSON, SAM or CDK output), so it is tested without either scanner.
No scanner code: the scanners' adapters live in `trailguard.integrations`.
"""

from trailguard.cloudformation.builder import TemplateError, build_models

__all__ = ["TemplateError", "build_models"]
