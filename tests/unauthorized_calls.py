"""The checks that prove the unauthorized-API-calls control (the shared links and its chain check, TG_AWS_4).

Most fixtures and examples carry that one control; on them the chain checks of the other controls fail, as a CIS
gate would (tests/test_controls_chain.py covers those). Tests about one control's links look at these checks only.
"""

from trailguard.catalog import CHECKS

CHECK_IDS = frozenset(check.id for check in CHECKS.values()
                      if check.chain_control in (None, "unauthorized-api-calls"))
CFN_LINT_IDS = frozenset(CHECKS[check_id].cfn_lint_id for check_id in CHECK_IDS)
# The chain rules of the other controls, for a cfn-lint run that ignores them (`--ignore-checks=E9106,...`).
OTHER_CHAINS_CFN_LINT = ",".join(check.cfn_lint_id for check in CHECKS.values() if check.id not in CHECK_IDS)
