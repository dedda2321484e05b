"""Invoices from what happened: a draft for each accepted order (from its confirmed quote
and the changes the customer approved) and for each approved cancellation fee.

The sweep (`orders.tasks.invoice_new`) reads the order events after billing's cursor
(`orders.events`), so it costs what became new; each order's draft is made once.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.audit import Actor
from orders.billing.services import BillingConflict, invoice_audit, invoice_total
from orders.events import unread_events
from orders.lifecycle import order_lock
from orders.models import (
    Cancellation,
    CancellationStatus,
    ChangeRequest,
    ChangeStatus,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Order,
    OrderEvent,
    OrderStatus,
    Quote,
)

#: Billing's cursors on the order timeline (orders.events): acceptances, cancellations.
CONSUMER = "billing.accepted"
CANCELLATIONS_CONSUMER = "billing.cancelled"


def invoice_accepted_orders(*, limit: int = 200) -> int:
    """Draft an invoice for each accepted order not billed yet; how many were drafted.

    Reads the acceptance events (`OrderEvent` to "accepted") after billing's cursor
    (orders.events); a service line exists once per order (a unique constraint),
    so a second run, or two at once, bill nothing twice.
    """
    billed = InvoiceLine.objects.filter(order=OuterRef("order"), kind=LineKind.SERVICE)
    events = (
        OrderEvent.objects.filter(to_status=OrderStatus.ACCEPTED)
        .filter(~Exists(billed))
        # A placement is billed on its contract's schedule (placements.billing), not per order.
        .exclude(order__service_type__is_placement=True)
    )
    drafted = 0
    with unread_events(CONSUMER, events, now=timezone.now(), limit=limit) as accepted:
        for event in accepted:
            with transaction.atomic():
                order = Order.objects.select_for_update().get(pk=event.order_id)
                if InvoiceLine.objects.filter(order=order, kind=LineKind.SERVICE).exists():
                    continue
                invoice_order(order=order)
                drafted += 1
    return drafted


def invoice_cancellation_fees(*, limit: int = 200) -> int:
    """Draft an invoice for each approved cancellation with a fee not billed yet.

    Read from the cancellation events after billing's cursor, as the acceptances are: an
    approval cancels the order in the same transaction, so its event finds it.
    """
    fee_due = Cancellation.objects.filter(
        order=OuterRef("order"), status=CancellationStatus.APPROVED, fee__gt=0
    ).filter(~Exists(InvoiceLine.objects.filter(cancellation=OuterRef("pk"))))
    events = OrderEvent.objects.filter(to_status=OrderStatus.CANCELLED).filter(Exists(fee_due))
    drafted = 0
    with unread_events(
        CANCELLATIONS_CONSUMER, events, now=timezone.now(), limit=limit
    ) as cancelled:
        for event in cancelled:
            pending = Cancellation.objects.filter(
                order_id=event.order_id, status=CancellationStatus.APPROVED, fee__gt=0
            ).values_list("pk", flat=True)
            for pk in pending:
                with transaction.atomic():
                    cancellation = Cancellation.objects.select_for_update().get(pk=pk)
                    if InvoiceLine.objects.filter(cancellation=cancellation).exists():
                        continue
                    invoice_cancellation_fee(cancellation=cancellation)
                    drafted += 1
    return drafted


@transaction.atomic
def invoice_order(*, order: Order) -> Invoice:
    """The accepted order's draft invoice: its confirmed quote and the approved changes.

    A visit of a recurring plan goes onto the customer's invoice of that month
    when the agency bills monthly.
    """
    order = order_lock(order)
    if order.status != OrderStatus.ACCEPTED:
        raise BillingConflict(_("Only an accepted order is invoiced."))
    quote = order.confirmed_quote
    if quote is None:
        raise BillingConflict(_("This order has no confirmed quote to invoice."))
    invoice = _draft_for(order)
    _agreed_line(invoice, order, quote)
    for change in order.change_requests.filter(status=ChangeStatus.APPROVED):
        _agreed_line(invoice, order, change)
    invoice_total(invoice)
    invoice_audit(invoice, Actor.system(), "invoice.draft", {"order": order.number})
    return invoice


@transaction.atomic
def invoice_cancellation_fee(*, cancellation: Cancellation) -> Invoice:
    """The fee of a late cancellation as an invoice of its own."""
    order = cancellation.order
    invoice = Invoice.objects.create(
        agency_id=order.agency_id,
        customer=order.customer,
        branch=order.branch,
        currency=order.agency.currency,
        tax_rate_percent=order.agency.tax_rate_percent,
        language=_language(order),
    )
    # In the customer's language, not the sweep's (the beat runs in the site's default).
    with translation.override(invoice.language):
        description = _("%(number)s cancellation fee (%(percent)s%% of %(price)s)") % {
            "number": order.number,
            "percent": cancellation.fee_percent,
            "price": cancellation.price,
        }
    InvoiceLine.objects.create(
        agency_id=order.agency_id,
        invoice=invoice,
        kind=LineKind.CANCELLATION_FEE,
        order=order,
        cancellation=cancellation,
        description=description,
        quantity=Decimal(1),
        unit_price=cancellation.fee,
        amount=cancellation.fee,
    )
    invoice_total(invoice)
    invoice_audit(invoice, Actor.system(), "invoice.draft", {"cancellation": cancellation.pk})
    return invoice


def _agreed_line(invoice: Invoice, order: Order, agreed: Quote | ChangeRequest) -> None:
    """A line exactly as the customer agreed to it, the confirmed quote or an approved change:
    the invoice charges neither more nor less (DESIGN.md, "Billing")."""
    source: dict[str, Quote | ChangeRequest]
    if isinstance(agreed, Quote):
        kind, amount, source = LineKind.SERVICE, agreed.total, {"quote": agreed}
    else:
        kind, amount, source = LineKind.CHANGE, agreed.amount, {"change": agreed}
    InvoiceLine.objects.create(
        agency=order.agency,
        invoice=invoice,
        kind=kind,
        order=order,
        **source,
        description=f"{order.number} {agreed.description}",
        quantity=agreed.quantity,
        unit=agreed.unit,
        unit_price=agreed.unit_price,
        amount=amount,
    )


def _draft_for(order: Order) -> Invoice:
    """A new draft for the order, or the customer's monthly draft for a recurring visit."""
    agency = order.agency
    fields = {
        "agency": agency,
        "customer": order.customer,
        "branch": order.branch,
        "currency": agency.currency,
        "tax_rate_percent": agency.tax_rate_percent,
        "language": _language(order),
    }
    if order.plan_id is None or not agency.monthly_invoicing:
        return Invoice.objects.create(**fields)
    month = agency.local_date(order.starts_at).replace(day=1)
    invoice, _created = Invoice.objects.select_for_update().get_or_create(
        agency=agency, customer=order.customer, period_month=month, defaults=fields
    )
    if invoice.status != InvoiceStatus.DRAFT:
        # The month's invoice went out before this visit was accepted: the visit is invoiced
        # on its own. Raising here stopped the sweep at this order, every run, for every order.
        return Invoice.objects.create(**fields)
    return invoice


def _language(order: Order) -> str:
    return order.customer.preferred_language or order.agency.default_language
