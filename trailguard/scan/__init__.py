"""`trailguard scan`: run Checkov and cfn-lint with only trailguard's checks and report the chain per deployment unit.

The verdicts come from the scanners' own output (never from calling the analysis directly), so what the report says
is exactly what a user's Checkov or cfn-lint run says.
"""
