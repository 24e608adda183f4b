"""The cfn-lint rules, loadable by module name: `cfn-lint --append-rules=trailguard.cfn_lint_rules template.yaml`.

cfn-lint instantiates the rule classes that are members of this module (it does not walk submodules), so they are
re-exported here, and nothing else that subclasses its rule base is.
"""

from trailguard.integrations.cfn_lint.rules import (
    AlarmTopicSubscribed,
    TrailDeliversManagementEvents,
    UnauthorizedCallsAlarm,
    UnauthorizedCallsMonitored,
    UnauthorizedCallsPattern,
)

__all__ = ["AlarmTopicSubscribed", "TrailDeliversManagementEvents", "UnauthorizedCallsAlarm",
           "UnauthorizedCallsMonitored", "UnauthorizedCallsPattern"]
