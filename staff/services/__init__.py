"""Every write of the staff app: keyword-only, one transaction each, audited.

One module a topic: `records` (the staff record, skills, and the rating and
penalties higher apps hand down), `qualifications` (certificates and trainings),
`working_hours` (the weekly pattern) and `time_off`; `saving` is how each of
them locks, checks and saves a row.

Rules come from DESIGN.md ("Who uses it", "Staff and assignment"). Bad input is a
ValidationError keyed by the field it is about, so a form shows it next to the field
and the API answers 400 with it; nothing is written then. A refused role is a
PermissionDenied (403 in the API).
"""
