"""What a signed-in customer may read: every query is scoped to (agency, customer).

A page or endpoint fetches its object through these, so another customer's id (of
the same agency or another) is simply not found: a 404, like a missing one.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.urls import reverse

from agency.models import Agency
from complaints import selectors as complaint_selectors
from complaints.models import Complaint
from feedback import selectors as feedback_selectors
from feedback.models import FeedbackResponse
from orders.customer_link import staff_card
from orders.links import link_path
from orders.models import (
    SERVED,
    AcceptanceRound,
    BookingRequest,
    Callback,
    Customer,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Order,
    OrderStatus,
    Payment,
    Quote,
    RoundOutcome,
    SignaturePurpose,
    Stage,
)
from orders.staffing.models import Assignment, AssignmentStatus
from orders.staffing.services import ANSWERABLE
from placements.models import Placement
from portal.wording import TodoKind
from staff.models import Certificate

#: How many past orders the home page shows; the orders page has them all, by pages.
HOME_PAST_ORDERS = 10


def customer_for(*, agency: Agency, customer_id: int) -> Customer | None:
    """The signed-in customer; `has_placement` (in the same query) shows the contracts
    link in the portal's navigation."""
    placements = Placement.objects.filter(agency=agency, order__customer=OuterRef("pk"))
    return (
        Customer.objects.filter(agency=agency, pk=customer_id)
        .annotate(has_placement=Exists(placements))
        .first()
    )


def orders_for(*, agency: Agency, customer: Customer) -> QuerySet[Order]:
    """The customer's orders, with what a row shows (service and address)."""
    return Order.objects.filter(agency=agency, customer=customer).select_related(
        "service_type", "needs_form__address"
    )


def upcoming_orders(*, agency: Agency, customer: Customer, now: datetime) -> QuerySet[Order]:
    """Orders still to be served, the soonest first: not over, not done, not cancelled (a
    service accepted before its booked end is past already, to the customer)."""
    return (
        orders_for(agency=agency, customer=customer)
        .filter(ends_at__gte=now)
        .exclude(status__in=[*SERVED, OrderStatus.CANCELLED])
        .order_by("starts_at", "id")
    )


def past_orders(*, agency: Agency, customer: Customer, now: datetime) -> QuerySet[Order]:
    """Every other order (over, done or cancelled), the latest first."""
    return (
        orders_for(agency=agency, customer=customer)
        .exclude(pk__in=upcoming_orders(agency=agency, customer=customer, now=now).values("pk"))
        .order_by("-starts_at", "-id")
    )


def order_detail(*, agency: Agency, customer: Customer) -> QuerySet[Order]:
    """One order with the people serving it (their cards: never a phone)."""
    return orders_for(agency=agency, customer=customer).prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(
                status__in=[AssignmentStatus.PROPOSED, AssignmentStatus.CONFIRMED]
            )
            .select_related("staff")
            .prefetch_related(
                "staff__skills",
                Prefetch("staff__certificates", queryset=Certificate.objects.order_by("kind")),
            )
            .order_by("role", "id"),
            to_attr="serving",
        )
    )


def staff_cards(order: Order) -> list[dict[str, Any]]:
    """The cards of the people proposed or confirmed for the order (from `order_detail`)."""
    first_day = order.agency.local_date(order.starts_at)
    last_day = order.agency.local_date(order.ends_at)
    return [
        staff_card(assignment, first_day=first_day, last_day=last_day)
        for assignment in order.serving  # type: ignore[attr-defined]
    ]


def invoices_for(*, agency: Agency, customer: Customer) -> QuerySet[Invoice]:
    """The customer's issued invoices, newest first, each with its payments (receipts)."""
    return (
        Invoice.objects.filter(agency=agency, customer=customer, kind=InvoiceKind.INVOICE)
        .exclude(status=InvoiceStatus.DRAFT)
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("received_at")))
        .order_by("-issued_at", "-id")
    )


def receipts_for(*, agency: Agency, customer: Customer) -> QuerySet[Payment]:
    return Payment.objects.filter(
        agency=agency, invoice__customer=customer, invoice__kind=InvoiceKind.INVOICE
    ).select_related("invoice")


def complaints_for(*, agency: Agency, customer: Customer) -> QuerySet[Complaint]:
    """The customer's complaints, newest first, as the complaints app reads them (read-only)."""
    return complaint_selectors.complaints_for(agency=agency).filter(customer=customer)


def feedback_for(*, agency: Agency, customer: Customer) -> QuerySet[FeedbackResponse]:
    """The feedback the customer gave, newest first, with each order's service."""
    given = feedback_selectors.customer_history(agency=agency, customer_id=customer.pk)
    return given["feedback"].select_related("request__order__service_type")


def booking_requests_for(*, agency: Agency, customer: Customer) -> QuerySet[BookingRequest]:
    """The customer's booking requests, newest first, with what a row shows."""
    return (
        BookingRequest.objects.filter(agency=agency, customer=customer)
        .select_related("service_type", "address", "order")
        .order_by("-created_at", "-id")
    )


def callbacks_for(*, agency: Agency, customer: Customer) -> QuerySet[Callback]:
    """The calls the office still owes the customer, the soonest first."""
    return Callback.objects.filter(agency=agency, customer=customer, done_at__isnull=True).order_by(
        "due_at", "id"
    )


@dataclass(frozen=True)
class Todo:
    """Something waiting for the customer, and the signed-link page that answers it."""

    kind: TodoKind
    #: The order's number, or the invoice's.
    reference: str
    url: str
    starts_at: datetime | None = None


def todos(*, agency: Agency, customer: Customer) -> list[Todo]:
    """Quotes to sign, staff to confirm, acceptances to sign, invoices to pay (5 queries).

    Each links to the page the office's own link would open (`orders.links`), so
    the portal rebuilds no signing page and the rules of each stay in their wing.
    """
    mine = orders_for(agency=agency, customer=customer).select_related(None)
    items: list[Todo] = []
    latest_quote = Quote.objects.filter(order=OuterRef("pk")).order_by("-created_at", "-id")
    for order in mine.filter(status=OrderStatus.QUOTED).annotate(
        quote_id=Subquery(latest_quote.values("pk")[:1])
    ):
        if order.quote_id:
            path = link_path(
                order=order,
                purpose=SignaturePurpose.CONFIRM_ORDER,
                ref=order.quote_id,
            )
            items.append(Todo(TodoKind.QUOTE, order.number, path, order.starts_at))
    proposed = Assignment.objects.filter(
        agency=agency, order=OuterRef("pk"), status=AssignmentStatus.PROPOSED
    )
    for staffed in mine.filter(status__in=ANSWERABLE).filter(Exists(proposed)):
        path = link_path(order=staffed, purpose=SignaturePurpose.CONFIRM_STAFF)
        items.append(Todo(TodoKind.STAFF, staffed.number, path, staffed.starts_at))
    rounds = AcceptanceRound.objects.filter(
        agency=agency,
        order__customer=customer,
        outcome=RoundOutcome.OPEN,
        next_stage=Stage.CUSTOMER,
    ).select_related("order")
    for round_ in rounds.order_by("opened_at"):
        path = link_path(
            order=round_.order, purpose=SignaturePurpose.ACCEPT_SERVICE, ref=round_.number
        )
        items.append(Todo(TodoKind.ACCEPTANCE, round_.order.number, path, round_.order.starts_at))
    items.extend(_invoices_to_pay(agency=agency, customer=customer))
    return items


def _invoices_to_pay(*, agency: Agency, customer: Customer) -> list[Todo]:
    """Issued, unpaid invoices, each to the portal's own invoice page (pay online or by card)."""
    unpaid = Invoice.objects.filter(
        agency=agency,
        customer=customer,
        kind=InvoiceKind.INVOICE,
        status=InvoiceStatus.ISSUED,
    ).order_by("due_on", "id")
    return [
        Todo(
            TodoKind.INVOICE,
            invoice.number,
            reverse("portal:invoice", kwargs={"agency_slug": agency.slug, "pk": invoice.pk}),
        )
        for invoice in unpaid
    ]
