"""The customer's link to an invoice (no account): see it, download it and its receipts.

The link names the order and, as its `ref`, the invoice; the invoice must be
issued and carry a line of that order, else the link answers 404 like a
tampered one. The PDF downloads carry the same token, so they are exactly as
private as the page; a receipt of another invoice is a 404. Like the office's, they are
built by a worker: the download's address answers "being prepared" until then.
"""

from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from agency.documents import document_response
from orders.billing.documents import invoice_document, receipt_document
from orders.billing.views.office import unit_label
from orders.link_pages import CustomerLinkBase
from orders.links import LinkInvalid, read_token
from orders.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    Refund,
    RefundStatus,
    SignaturePurpose,
)
from orders.payments.pages import pay_online


class InvoiceLinkView(CustomerLinkBase):
    """The invoice as the customer sees it: lines, totals, what was paid, what is open."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        invoice = self.invoice()
        if invoice is None:
            return _invalid(request)
        token = self.token()
        payments = list(invoice.payments.all())
        return render(
            request,
            "billing/customer_invoice.html",
            {
                "order": self.order,
                "agency": self.order.agency,
                "invoice": invoice,
                "lines": [(line, unit_label(line.unit)) for line in invoice.lines.all()],
                "payments": [
                    (
                        payment,
                        reverse(
                            "customer_link_receipt_pdf",
                            kwargs={"token": token, "payment_id": payment.pk},
                        ),
                    )
                    for payment in payments
                ],
                "credit_notes": list(invoice.credit_notes.all()),
                "refunded": sum((r.amount for r in invoice.refunds.all()), Decimal(0)),
                "pdf_url": reverse("customer_link_invoice_pdf", kwargs={"token": token}),
                "pay_url": reverse("customer_link_pay", kwargs={"token": token}),
            },
        )

    def invoice(self) -> Invoice | None:
        """The issued invoice the link names, if it still bills the link's order."""
        if self.claim.purpose != SignaturePurpose.VIEW_INVOICE or not self.claim.ref:
            return None
        of_order = InvoiceLine.objects.filter(invoice=OuterRef("pk"), order_id=self.order.pk)
        return (
            Invoice.objects.filter(
                agency_id=self.order.agency_id, pk=self.claim.ref, kind=InvoiceKind.INVOICE
            )
            .exclude(status=InvoiceStatus.DRAFT)
            .filter(Exists(of_order))
            .select_related("agency", "customer")
            .prefetch_related(
                Prefetch(
                    "lines", queryset=InvoiceLine.objects.select_related("order").order_by("id")
                ),
                Prefetch("payments", queryset=Payment.objects.order_by("received_at", "id")),
                Prefetch("refunds", queryset=Refund.objects.filter(status=RefundStatus.PAID_BACK)),
                Prefetch(
                    "credit_notes",
                    queryset=Invoice.objects.filter(agency_id=self.order.agency_id).order_by(
                        "issued_at", "id"
                    ),
                ),
            )
            .first()
        )

    def token(self) -> str:
        match = self.request.resolver_match
        return str(match.kwargs["token"]) if match else ""


class InvoicePdfLinkView(InvoiceLinkView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        invoice = self.invoice()
        if invoice is None:
            return _invalid(request)
        key = invoice_document(invoice, agency=invoice.agency)
        return document_response(request, key=key, base_template="base_public.html")


class ReceiptPdfLinkView(InvoiceLinkView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        invoice = self.invoice()
        payments = invoice.payments.all() if invoice is not None else []
        # Only a receipt of the invoice the link names: any other id is a 404.
        payment = next((p for p in payments if p.pk == kwargs["payment_id"]), None)
        if payment is None or invoice is None:
            return _invalid(request)
        key = receipt_document(payment, agency=invoice.agency)
        return document_response(request, key=key, base_template="base_public.html")


class PayOnlineLinkView(InvoiceLinkView):
    """The invoice link's "Pay online": WeChat Pay or Alipay in the customer's phone browser
    (orders.payments.pages.pay_online, which the portal uses too)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        invoice = self.invoice()
        if invoice is None:
            return _invalid(request)
        back_url = reverse("customer_link", kwargs={"token": self.token()})
        return pay_online(request, invoice=invoice, actor=self.customer(), back_url=back_url)

    post = get


def customer_link_pay(request: HttpRequest, token: str) -> HttpResponseBase:
    return _route(request, token, PayOnlineLinkView)


def customer_link_invoice_pdf(request: HttpRequest, token: str) -> HttpResponseBase:
    return _route(request, token, InvoicePdfLinkView)


def customer_link_receipt_pdf(
    request: HttpRequest, token: str, payment_id: int
) -> HttpResponseBase:
    return _route(request, token, ReceiptPdfLinkView, payment_id=payment_id)


def _route(
    request: HttpRequest, token: str, view: type[InvoiceLinkView], **kwargs: Any
) -> HttpResponseBase:
    """Like orders.customer_link.customer_link, for the invoice link's downloads only."""
    try:
        claim = read_token(token)
    except LinkInvalid:
        return _invalid(request)
    if claim.purpose != SignaturePurpose.VIEW_INVOICE:
        return _invalid(request)
    return view.as_view()(request, claim=claim, **kwargs)


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "orders/link_invalid.html", status=404)
