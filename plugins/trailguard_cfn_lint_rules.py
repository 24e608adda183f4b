"""cfn-lint rules directory entry point, for a clone: `cfn-lint --append-rules=plugins template.yaml`.

cfn-lint executes each file here without putting this directory on `sys.path`, so the rules come from the
installed `trailguard` package (one implementation, one class per check of its catalog); making them members of this
module is what cfn-lint registers. Do not combine with `--append-rules=trailguard.cfn_lint_rules` (duplicate rule ids).
"""

from trailguard.integrations.cfn_lint.rules import RULES

globals().update(RULES)
