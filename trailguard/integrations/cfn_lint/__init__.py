"""The cfn-lint adapter: the only package that imports cfn-lint. Its rule classes (`rules`), the template's failed
findings placed where cfn-lint points (`matches`), and `trailguard cfn-lint` (`runner`).

cfn-lint loads the rules by the public module name `trailguard.cfn_lint_rules`, which only re-exports them.
"""
