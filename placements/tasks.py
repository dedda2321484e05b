"""Celery tasks of placements: the sweeps of running placements (beat)."""

from celery import shared_task

from placements.billing import placement_charges_bill_due
from placements.during_renewal import renewal_reminders_send
from placements.during_trial import trial_links_send


@shared_task(name="placements.tasks.bill_due_charges")
def bill_due_charges() -> int:
    """Invoice the placements' charges that are due (idempotent: each charge once)."""
    return placement_charges_bill_due()


@shared_task(name="placements.tasks.sweep_running_placements")
def sweep_running_placements() -> dict[str, int]:
    """Ask about trials ending today and remind of renewals; each once, whatever runs twice."""
    return {"trials": trial_links_send(), "renewals": renewal_reminders_send()}
