"""The API of the service itself: field staff's jobs and service log, change requests, and the
four-stage acceptance with rework (DESIGN.md, "Service" and "Acceptance").

Thin, like intake's API: every write is one of `orders.service.services`, which
holds the rules (who may sign which stage, in which order, once); the API only
parses input and shows the result. Objects are looked up with `get_object`, so
another agency's id — or, under `/api/my/jobs/`, another person's job — answers
404 like a missing one.

Field staff act from their own job, `/api/my/jobs/{id}/…` (area my_jobs); each
action answers with the job as its detail shows it, read again. The office
works from `/api/acceptance-rounds/`, `/api/rework-items/` and
`/api/change-requests/` (area orders).
"""
