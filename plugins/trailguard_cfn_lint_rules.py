"""cfn-lint rules directory entry point, for a clone: `cfn-lint --append-rules=plugins template.yaml`.

cfn-lint executes each file here without putting this directory on `sys.path`, so the rules come from the
installed `trailguard` package (one implementation); importing them makes them members of this module, which is
what cfn-lint registers. Do not combine with `--append-rules=trailguard.cfn_lint_rules` (duplicate rule ids).
"""

from trailguard.cfn_lint_rules import (  # noqa: F401 - cfn-lint registers the members of this module
    AlarmTopicSubscribed,
    TrailDeliversManagementEvents,
    UnauthorizedCallsAlarm,
    UnauthorizedCallsMonitored,
    UnauthorizedCallsPattern,
)
