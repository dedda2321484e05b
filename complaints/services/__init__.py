"""Every write about complaints, one module per topic: `intake` (taking a complaint),
`handling` (respond, note, verify, second response, resolve, follow up, close, reopen),
`deadlines` (the SLA clocks: opened, met, cancelled, paused, resumed), `escalation` (the
sweep's ladder and a major complaint's report), `attachments`, and `shared` (the lock,
the timeline entry and the audit entry every service writes).

DESIGN.md, "Complaints": soft complaints are answered in 15 minutes and
verified in 30; hard ones answered in 1 hour, answered again in 3 hours with
the time they will be resolved, and followed up within 24 hours of the
resolution; a major complaint goes to the department head at once; the
customer is flagged for special attention; an upheld complaint can carry a
staff penalty. Each service locks the complaint row and writes the timeline
and the audit log in one transaction.
"""
