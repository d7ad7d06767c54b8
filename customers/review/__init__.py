"""The branch review: a snapshot of how a branch is doing, gathered in the background.

`snapshot` (the stored result), `gathering` (the upstream reads, paced), `sections`
(pure functions from typed results to what each section shows), `tasks` (the job).
"""
