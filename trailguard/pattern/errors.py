"""The one exception type of the pattern engine.

Callers (the judge, the CLI, the scanner adapters) only ever need to catch this: it covers syntax errors, patterns
AWS would reject (too long, too many regular expressions) and inputs that are not patterns at all.
"""

from __future__ import annotations

from typing import Optional


class PatternError(ValueError):
    """A pattern that is not valid, with a message a user can act on and, for syntax errors, where it went wrong."""

    def __init__(self, message: str, column: Optional[int] = None, line: Optional[int] = None) -> None:
        self.message = message
        self.column = column
        self.line = line
        super().__init__(self.describe())

    def describe(self) -> str:
        """The message with its position, e.g. `expected ')' at column 61`."""
        if self.column is None:
            return self.message
        if self.line is not None and self.line > 1:
            return f"{self.message} at line {self.line}, column {self.column}"
        return f"{self.message} at column {self.column}"
