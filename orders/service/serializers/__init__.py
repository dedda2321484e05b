"""Service's API shapes. Thin, like the rest: `log` (the service log, the job's inputs,
change requests), `acceptance` (rounds, sign-offs, failed items, rework) and `jobs`
(the field staff's job, which shows both).

What field staff receive never holds the customer's phone or street address
(DESIGN.md, "Who uses it"): the masked forms only, the full ones through the
audited reveal of the staff pages. Every id written is looked up within the
request's agency (and, on a job, within its order), so a foreign id is a 400.
"""
