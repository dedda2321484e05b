"""Celery tasks of complaints: the SLA sweep (beat, every 30 seconds)."""

from celery import shared_task

from complaints.services import escalate_due


@shared_task(name="complaints.tasks.sweep_deadlines")
def sweep_deadlines() -> int:
    """Escalate what is due. Idempotent: a lost, repeated or concurrent run does no harm."""
    return escalate_due()
