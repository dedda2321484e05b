"""The history's invoices, payments and receipts, numbered from the agency's counters."""

from datetime import datetime, timedelta
from decimal import Decimal

from orders.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus, LineKind, Payment
from orders.pricing import money
from reports.demo.cast import Cast
from reports.demo.planning import Job
from reports.demo.rows import bulk, document_numbers


def write_billing(cast: Cast, jobs: list[Job]) -> None:
    """An invoice per order invoiced, numbered from the agency's counter in the order they
    were issued, and its payment with a numbered receipt."""
    agency = cast.agency
    issued = sorted(
        ((job, at) for job in jobs if (at := job.invoiced) is not None), key=lambda row: row[1]
    )
    numbers = document_numbers(agency, "invoice", "", [at for _, at in issued])
    invoices = bulk(
        Invoice,
        [
            _invoice(cast, job, at, number)
            for (job, at), number in zip(issued, numbers, strict=True)
        ],
    )
    bulk(
        InvoiceLine,
        [
            InvoiceLine(
                agency=agency,
                invoice=invoice,
                kind=LineKind.SERVICE,
                order=job.order,
                quote=job.order.confirmed_quote,
                description=f"{job.number} {cast.name_of(job.service.service_type)}",
                quantity=job.quantity,
                unit=job.service.service_type.pricing_unit,
                unit_price=job.service.unit_price,
                amount=job.total,
            )
            for (job, _), invoice in zip(issued, invoices, strict=True)
        ],
    )
    paid = sorted(
        (
            (job, at, invoice)
            for (job, _), invoice in zip(issued, invoices, strict=True)
            if (at := job.paid) is not None
        ),
        key=lambda row: row[1],
    )
    receipts = document_numbers(agency, "receipt", "R", [at for _, at, _ in paid])
    bulk(
        Payment,
        [
            Payment(
                agency=agency,
                invoice=invoice,
                amount=invoice.total,
                method=job.method,
                received_at=at,
                taken_by=cast.finance,
                receipt_number=receipt,
                created_at=at,
            )
            for (job, at, invoice), receipt in zip(paid, receipts, strict=True)
        ],
    )


def _invoice(cast: Cast, job: Job, issued: datetime, number: str) -> Invoice:
    agency = cast.agency
    tax = money(job.total * agency.tax_rate_percent / 100)
    return Invoice(
        agency=agency,
        kind=InvoiceKind.INVOICE,
        number=number,
        status=InvoiceStatus.PAID if job.paid else InvoiceStatus.ISSUED,
        customer_id=job.order.customer_id,
        branch=job.branch,
        currency=agency.currency,
        tax_rate_percent=agency.tax_rate_percent,
        subtotal=job.total,
        tax=tax,
        total=job.total + tax,
        paid=job.total + tax if job.paid else Decimal(0),
        language=agency.default_language,
        issued_at=issued,
        due_on=agency.local_date(issued) + timedelta(days=agency.payment_terms_days),
        issued_by=cast.finance,
        created_at=issued - timedelta(minutes=15),
    )
