"""`trailguard account`: the same proof, read-only, from a live AWS account (docs/account.md).

`aws` is the only module that talks to AWS (boto3, imported lazily, through a list of read operations); `build` turns
what AWS answers into the model the file loaders build; `collect` decides which calls to make and groups what they
return into one model per account and region of a trail's log group; `report` turns the findings into the results
`trailguard scan` renders; `command` is the subcommand.
"""
