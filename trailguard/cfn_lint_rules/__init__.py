"""The cfn-lint rules, loadable by module name: `cfn-lint --append-rules=trailguard.cfn_lint_rules template.yaml`.

cfn-lint instantiates the rule classes that are members of this module (it does not walk submodules), so the rules
made from the catalog (`trailguard.integrations.cfn_lint.rules.RULES`) are re-exported here by their class names
(`TrailDeliversManagementEvents`, ... `AlarmTopicSubscribed`), and nothing else that subclasses its rule base is.
"""

from trailguard.integrations.cfn_lint.rules import RULES

globals().update(RULES)
__all__ = list(RULES)
