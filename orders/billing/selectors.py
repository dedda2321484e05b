"""Reads of billing; each takes the agency explicitly (CONVENTIONS.md, "Where a thing lives").

"Unpaid" is an issued invoice with money still open; "overdue" is an unpaid
one whose due date has passed in the agency's time zone. A paid invoice whose
money was partly paid back stays paid: a refund is not a new debt.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from agency.models import Agency
from orders.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Order,
    Payment,
    Refund,
    RefundStatus,
)

#: What is still to pay, in SQL (Invoice.open_amount in Python).
OPEN_AMOUNT = ExpressionWrapper(
    F("total") - F("credited") - F("paid"),
    output_field=DecimalField(max_digits=12, decimal_places=2),
)

#: Issued invoices (not credit notes) with money still open.
UNPAID = Q(
    kind=InvoiceKind.INVOICE, status=InvoiceStatus.ISSUED, total__gt=F("credited") + F("paid")
)


def overdue_q(today: date) -> Q:
    return UNPAID & Q(due_on__lt=today)


def invoices_for(*, agency: Agency) -> QuerySet[Invoice]:
    """Invoices and credit notes with what a list row shows, in one query."""
    return Invoice.objects.filter(agency=agency).select_related("customer", "branch", "credits")


def unpaid_invoices(queryset: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return queryset.filter(UNPAID)


class OpenTotals(TypedDict):
    open: Decimal
    overdue: Decimal
    unpaid_count: int
    overdue_count: int


def open_totals(queryset: QuerySet[Invoice], *, today: date) -> OpenTotals:
    """What the invoices of `queryset` still have open, and how much of it is overdue: one query."""
    zero = Decimal("0.00")
    money = DecimalField(max_digits=14, decimal_places=2)
    overdue = Q(due_on__lt=today)
    # Only the open invoices are read (the status index serves it), not the whole history.
    row = (
        queryset.filter(UNPAID)
        .order_by()
        .aggregate(
            open=Coalesce(Sum(OPEN_AMOUNT), zero, output_field=money),
            overdue=Coalesce(Sum(OPEN_AMOUNT, filter=overdue), zero, output_field=money),
            unpaid_count=Count("id"),
            overdue_count=Count("id", filter=overdue),
        )
    )
    return OpenTotals(
        open=row["open"],
        overdue=row["overdue"],
        unpaid_count=row["unpaid_count"],
        overdue_count=row["overdue_count"],
    )


def tab_counts(*, agency: Agency) -> dict[str, int]:
    """How many invoices wait to be collected, and how many drafts to be issued: one query."""
    drafts = Q(status=InvoiceStatus.DRAFT)
    # Only what is open or a draft is read (the status index serves it), not the history.
    row = (
        Invoice.objects.filter(agency=agency)
        .filter(UNPAID | drafts)
        .aggregate(unpaid=Count("id", filter=UNPAID), drafts=Count("id", filter=drafts))
    )
    return {"unpaid": row["unpaid"], "drafts": row["drafts"]}


def invoice_detail(*, agency: Agency) -> QuerySet[Invoice]:
    """One invoice with its lines, payments, credit notes and refunds (a query each)."""
    return invoices_for(agency=agency).prefetch_related(
        Prefetch(
            "lines",
            queryset=InvoiceLine.objects.select_related("order", "approved_by").order_by("id"),
        ),
        Prefetch("payments", queryset=Payment.objects.select_related("taken_by")),
        Prefetch(
            "credit_notes",
            queryset=Invoice.objects.filter(agency=agency).order_by("issued_at", "id"),
        ),
        Prefetch(
            "refunds",
            queryset=Refund.objects.select_related(
                "requested_by", "decided_by", "paid_back_by"
            ).order_by("requested_at", "id"),
        ),
    )


def payments_for(*, agency: Agency) -> QuerySet[Payment]:
    return Payment.objects.filter(agency=agency).select_related("invoice", "taken_by")


def refunds_for(*, agency: Agency) -> QuerySet[Refund]:
    return Refund.objects.filter(agency=agency).select_related(
        "invoice__customer", "requested_by", "decided_by", "paid_back_by"
    )


def refunds_waiting(*, agency: Agency) -> QuerySet[Refund]:
    """Refunds a manager has still to approve or reject, the oldest first."""
    return (
        refunds_for(agency=agency)
        .filter(status=RefundStatus.REQUESTED)
        .order_by("requested_at", "id")
    )


def refunds_to_pay_back(*, agency: Agency) -> QuerySet[Refund]:
    """Approved refunds finance has still to pay back, the earliest decided first."""
    return (
        refunds_for(agency=agency).filter(status=RefundStatus.APPROVED).order_by("decided_at", "id")
    )


def link_order(lines: Iterable[InvoiceLine]) -> Order | None:
    """The order an invoice's customer link names: its first order (service line first)."""
    ordered = sorted(lines, key=lambda line: (line.kind != LineKind.SERVICE, line.pk))
    return next((line.order for line in ordered if line.order_id is not None), None)
