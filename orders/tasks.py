from celery import shared_task

from agency.models import Agency
from orders.billing.invoicing import invoice_accepted_orders, invoice_cancellation_fees
from orders.intake.services.recurring import plans_extend_all


@shared_task(name="orders.tasks.generate_recurring_orders")
def generate_recurring_orders() -> None:
    """Daily: fan out one task per agency, so one agency's failure does not stop the others."""
    for agency_id in Agency.objects.values_list("pk", flat=True):
        generate_recurring_orders_for.delay(agency_id)


@shared_task(name="orders.tasks.generate_recurring_orders_for")
def generate_recurring_orders_for(agency_id: int) -> int:
    return plans_extend_all(agency_id=agency_id)


@shared_task(name="orders.tasks.invoice_new")
def invoice_new() -> int:
    """Draft invoices for newly accepted orders and approved cancellation fees (idempotent)."""
    return invoice_accepted_orders() + invoice_cancellation_fees()
