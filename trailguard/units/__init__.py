"""Beyond one deployment unit (issue 13, docs/cross-unit.md): where each unit deploys, the links between units that
can be proven from the files or are declared in the configuration, organization trails that cover member accounts,
and one model joined from several units, judged by the same rules.

Nothing here imports a scanner: the Checkov and cfn-lint paths see one unit at a time, and `trailguard scan` is the
only caller (`trailguard.scan.across_units`).
"""
