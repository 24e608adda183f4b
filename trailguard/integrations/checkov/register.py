"""Register the checks with Checkov. Idempotent: Checkov executes the external-checks module once per runner."""

from __future__ import annotations

from trailguard.catalog import CHECKS

# The graph-check registries to join: "terraform" also serves terraform_plan (its runner uses this registry).
FRAMEWORKS = ("terraform", "cloudformation")


def register() -> None:
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.runner_filter import RunnerFilter

    from trailguard.integrations.checkov.details import install_report_hook
    from trailguard.integrations.checkov.graph_check import TrailguardCheck

    for framework in FRAMEWORKS:
        registry = get_graph_checks_registry(framework)
        registry.checks[:] = [check for check in registry.checks if check.id not in CHECKS]
        registry.checks.extend(TrailguardCheck(check) for check in CHECKS.values())
    for check_id in CHECKS:
        RunnerFilter.notify_external_check(check_id)
    install_report_hook()
