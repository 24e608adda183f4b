"""The checks as pure functions of the model, one module per check: `trail` (TG_AWS_1), `pattern` (TG_AWS_2),
`alarm` (TG_AWS_3), `chain` (TG_AWS_4), `topic` (TG_AWS_5); `analysis.analyse` runs them all on one unit.

Each check returns `Finding`s whose reasons come from the catalogue in `reasons`. No scanner, no `scan`: every
verdict is testable from a model alone (`tests/test_house_rules.py` holds the boundary).
"""
