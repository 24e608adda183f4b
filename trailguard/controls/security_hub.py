"""Would AWS Security Hub's check accept a pattern? Information beside a verdict, never a verdict itself.

Security Hub's CloudWatch.1-14 controls look for one exact filter-pattern text each (AWS Security Hub user guide,
"CloudWatch controls"), the CIS v1.2 texts in AWS's own spacing; a pattern that means the same but is written
otherwise, or that follows a newer CIS text, fails there. Many teams must satisfy Security Hub too, so trailguard
says whether it would, and with which text.
"""

from __future__ import annotations

from typing import Optional

from trailguard.controls.control import Control


def security_hub_accepts(pattern: str, control: Control) -> Optional[bool]:
    """True or False for a control Security Hub checks; None for one it does not (organizations-changes)."""
    if control.security_hub_text is None:
        return None
    return pattern == control.security_hub_text


def security_hub_note(pattern: str, control: Control) -> str:
    """One sentence: whether Security Hub's exact-text check would accept the pattern, and the text it wants."""
    accepted = security_hub_accepts(pattern, control)
    if accepted is None:
        return f"Security Hub has no control for {control.slug}"
    if accepted:
        return f"Security Hub {control.security_hub} would accept this pattern (it is the exact text it looks for)"
    return (f"Security Hub {control.security_hub} would not accept this pattern: it looks for this exact text: "
            f"{control.security_hub_text}")
