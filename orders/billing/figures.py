"""Revenue figures for the reports: invoiced and collected, for a period `[start, end)`.

Each selector takes the agency, the period and optionally a branch (the
invoice's branch), and aggregates in the database (three queries).

Definitions (what a report may say about them):

- Invoiced: the totals of the invoices (kind "invoice") *issued in the period*
  minus the totals of the credit notes issued in the period. Drafts are not in
  it. A credit note counts in the period it was issued, whatever period its
  invoice was in.
- Collected: the payments *received in the period* minus the refunds *paid
  back in the period* (status "paid back"; an approved refund not paid yet is
  not money out yet).
"""

from datetime import datetime
from decimal import Decimal

from django.db.models import Q, Sum

from agency.models import Agency, Branch
from orders.billing.models import Invoice, InvoiceKind, Payment, Refund, RefundStatus

ZERO = Decimal("0.00")


def revenue(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> dict[str, Decimal]:
    """{"invoiced": invoices minus credit notes issued, "collected": payments minus refunds}."""
    invoices = Invoice.objects.filter(agency=agency, issued_at__gte=start, issued_at__lt=end)
    if branch is not None:
        invoices = invoices.filter(branch=branch)
    issued = invoices.aggregate(
        invoiced=Sum("total", filter=Q(kind=InvoiceKind.INVOICE)),
        credited=Sum("total", filter=Q(kind=InvoiceKind.CREDIT_NOTE)),
    )
    payments = Payment.objects.filter(agency=agency, received_at__gte=start, received_at__lt=end)
    refunds = Refund.objects.filter(
        agency=agency,
        status=RefundStatus.PAID_BACK,
        paid_back_at__gte=start,
        paid_back_at__lt=end,
    )
    if branch is not None:
        payments = payments.filter(invoice__branch=branch)
        refunds = refunds.filter(invoice__branch=branch)
    received = payments.aggregate(total=Sum("amount"))["total"] or ZERO
    paid_back = refunds.aggregate(total=Sum("amount"))["total"] or ZERO
    return {
        "invoiced": (issued["invoiced"] or ZERO) - abs(issued["credited"] or ZERO),
        "collected": received - paid_back,
    }
