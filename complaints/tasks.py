"""Celery tasks of complaints: the SLA sweep (beat, every 30 seconds)."""

from celery import shared_task

from complaints.follow_up import follow_ups_from_revisits
from complaints.services.escalation import escalate_due


@shared_task(name="complaints.tasks.sweep_deadlines")
def sweep_deadlines() -> int:
    """Escalate what is due, and mark followed up the complaints whose follow-up call was
    logged in the revisit queue; how many were escalated. Idempotent: a lost, repeated or
    concurrent run does no harm."""
    follow_ups_from_revisits()
    return escalate_due()
