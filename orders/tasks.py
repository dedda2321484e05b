from celery import shared_task

from agency.models import Agency
from orders.billing.invoicing import invoice_accepted_orders, invoice_cancellation_fees
from orders.intake.services.recurring import plans_extend_all
from orders.payments.reconciliation import reconcile_due
from orders.payments.refunds import online_refund_send, online_refunds_due
from orders.prepaid.expiry import cards_expire_due, cards_remind_due
from orders.reminders import sweep_day_before, sweep_jobs_tomorrow
from orders.staffing.attendance import no_show_tell_due
from orders.staffing.services import unacknowledged_tell_due


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


@shared_task(name="orders.tasks.send_day_before")
def send_day_before() -> int:
    """Ask tomorrow's customers to confirm, from each agency's hour (idempotent)."""
    return sweep_day_before()


@shared_task(name="orders.tasks.send_jobs_tomorrow")
def send_jobs_tomorrow() -> int:
    """Send the staff tomorrow's jobs, from each agency's evening hour (idempotent)."""
    return sweep_jobs_tomorrow()


@shared_task(name="orders.tasks.sweep_unacknowledged_jobs")
def sweep_unacknowledged_jobs() -> int:
    """Jobs staff did not acknowledge in the agency's time go to the dispatchers (once)."""
    return unacknowledged_tell_due()


@shared_task(name="orders.tasks.sweep_no_shows")
def sweep_no_shows() -> int:
    """Staff not checked in by the agency's no-show time go to the dispatchers (once)."""
    return no_show_tell_due()


@shared_task(name="orders.tasks.sweep_prepaid_cards")
def sweep_prepaid_cards() -> int:
    """Expire prepaid cards past their last day, remind holders 30 days before (each once)."""
    return cards_expire_due() + cards_remind_due()


@shared_task(name="orders.tasks.send_online_refund")
def send_online_refund(refund_id: int) -> None:
    """An approved refund of an online payment, sent to its provider (idempotent)."""
    online_refund_send(refund_id=refund_id)


@shared_task(name="orders.tasks.send_online_refunds_due")
def send_online_refunds_due() -> int:
    """Approved refunds of online payments whose after-commit task was lost, sent now."""
    return online_refunds_due()


@shared_task(name="orders.tasks.reconcile_payments")
def reconcile_payments() -> int:
    """Yesterday's provider bills against recorded payments, once per account and day."""
    return reconcile_due()
