"""The scanner adapters: the only code in trailguard that imports a scanner (`tests/test_house_rules.py` holds it).

`checkov/` turns Checkov's graph into models and findings into Checkov records; `cfn_lint/` does the same for
cfn-lint's templates and matches. Everything that decides a verdict lives outside, as pure functions of the model.
"""
