"""Celery tasks of payroll: Hearth's own proposals of rewards and penalties (beat)."""

from celery import shared_task

from payroll.adjustments import adjustments_propose_due


@shared_task(name="payroll.tasks.propose_adjustments")
def propose_adjustments() -> int:
    """Propose the rewards and penalties of what happened lately; each source once."""
    return adjustments_propose_due()
