"""Online payment's reads, each of one agency (DESIGN.md, "Tenancy")."""

from django.db.models import QuerySet

from agency.models import Agency
from orders.models import Invoice, InvoiceKind, InvoiceStatus, Order
from orders.payments.models import (
    Checkout,
    OnlineRefund,
    OnlineRefundStatus,
    ReconciliationDifference,
    ReconciliationRun,
    RefusedNotification,
)


def checkouts_for(*, agency: Agency) -> QuerySet[Checkout]:
    return Checkout.objects.filter(agency=agency).select_related("invoice")


def refused_notifications(*, agency: Agency) -> QuerySet[RefusedNotification]:
    return RefusedNotification.objects.filter(agency=agency).order_by("-received_at", "-id")


def failed_refunds(*, agency: Agency) -> QuerySet[OnlineRefund]:
    return (
        OnlineRefund.objects.filter(agency=agency, status=OnlineRefundStatus.FAILED)
        .select_related("refund__invoice", "checkout")
        .order_by("-finished_at", "-id")
    )


def differences(*, agency: Agency) -> QuerySet[ReconciliationDifference]:
    return ReconciliationDifference.objects.filter(agency=agency)


def recent_runs(*, agency: Agency) -> QuerySet[ReconciliationRun]:
    return ReconciliationRun.objects.filter(agency=agency).order_by("-bill_date", "provider")


def invoice_to_pay(*, order: Order) -> Invoice | None:
    """The issued invoice that bills `order` and is still open (the staff's QR code)."""
    return (
        Invoice.objects.filter(
            agency_id=order.agency_id,
            kind=InvoiceKind.INVOICE,
            status=InvoiceStatus.ISSUED,
            lines__order=order,
        )
        .select_related("agency")
        .order_by("-issued_at")
        .first()
    )
