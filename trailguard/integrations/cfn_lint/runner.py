"""`trailguard cfn-lint [cfn-lint args]`: cfn-lint itself, with trailguard's rules appended by module name.

Running cfn-lint's own entry point in-process keeps every option, output format and its exit-code bit mask
(2 error, 4 warning, 8 informational) exactly as users know them.
"""

from __future__ import annotations

import sys
from typing import List

# Written with "=" because -a/--append-rules takes several values and would swallow the template names.
APPEND_RULES = "--append-rules=trailguard.cfn_lint_rules"


def run_cfn_lint(args: List[str]) -> int:
    """Run cfn-lint with `args` plus the trailguard rules; returns cfn-lint's exit code."""
    from cfnlint.runner import main

    saved = sys.argv
    sys.argv = ["cfn-lint", APPEND_RULES, *args]
    try:
        main()
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    finally:
        sys.argv = saved
    return 0
