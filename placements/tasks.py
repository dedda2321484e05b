from celery import shared_task

from placements.billing import placement_charges_bill_due


@shared_task(name="placements.tasks.bill_due_charges")
def bill_due_charges() -> int:
    """Invoice the placements' charges that are due (idempotent: each charge once)."""
    return placement_charges_bill_due()
