"""Finance's pages (收费): the list of unpaid and overdue invoices, an invoice, refunds.

Each action is a POST to its own URL (agency.action_views.ActionMixin): a
rejected form re-renders the invoice page with its errors and a 400, a refused
action (wrong status, wrong role) comes back as a message, a success redirects
to the invoice. The rules live in orders.billing.services.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from agency.action_views import ActionMixin, QuickActionMixin
from agency.documents import document_response
from agency.permissions import Area, can_access
from agency.tenant_views import TenantMixin, TenantObjectMixin
from orders import links
from orders.billing import selectors, services
from orders.billing.documents import invoice_document, receipt_document
from orders.billing.filters import InvoiceFilter
from orders.billing.forms import AdjustForm, CreditNoteForm, PayBackForm, PaymentForm, RefundForm
from orders.models import (
    CardStatus,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Payment,
    PricingUnit,
    Refund,
    RefundStatus,
    SignaturePurpose,
)
from orders.prepaid.selectors import cards_for_customer

UNPAID = "unpaid"
DRAFTS = "drafts"
ALL = "all"
#: The list's tabs: finance starts on what is still to collect.
TABS = {
    UNPAID: gettext_lazy("Unpaid and overdue"),
    DRAFTS: gettext_lazy("Drafts to issue"),
    ALL: gettext_lazy("All invoices and credit notes"),
}


class BillingListView(TenantMixin, FilterView):
    """Invoices by tab, filtered; the open amounts of the whole filtered list at the top."""

    area = Area.BILLING
    template_name = "billing/list.html"
    filterset_class = InvoiceFilter
    paginate_by = 100

    @cached_property
    def tab(self) -> str:
        tab = self.request.GET.get("tab", UNPAID)
        return tab if tab in TABS else UNPAID

    def get_queryset(self) -> QuerySet[Invoice]:
        invoices = selectors.invoices_for(agency=self.agency)
        if self.tab == UNPAID:
            # The longest overdue first: that is the money to chase today.
            return selectors.unpaid_invoices(invoices).order_by(
                F("due_on").asc(nulls_last=True), "issued_at", "id"
            )
        if self.tab == DRAFTS:
            return invoices.filter(status=InvoiceStatus.DRAFT).order_by("created_at", "id")
        return invoices.order_by(F("issued_at").desc(nulls_first=True), "-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = self.agency.today()
        counts = selectors.tab_counts(agency=self.agency)
        context.update(
            tab=self.tab,
            tabs=[(key, label, counts.get(key)) for key, label in TABS.items()],
            today=today,
            rows=[
                (invoice, is_overdue(invoice, today=today)) for invoice in context["object_list"]
            ],
            totals=selectors.open_totals(self.object_list, today=today),
            currency=self.agency.currency,
            filtered=any(
                self.request.GET.get(name) for name in self.filterset.form.fields if name != "tab"
            ),
        )
        return context


def is_overdue(invoice: Invoice, *, today: date) -> bool:
    """The row's highlight, by the rule of the `overdue` filter (selectors.overdue_q)."""
    return (
        invoice.kind == InvoiceKind.INVOICE
        and invoice.status == InvoiceStatus.ISSUED
        and invoice.due_on is not None
        and invoice.due_on < today
        and invoice.open_amount > 0
    )


class InvoiceDetailView(TenantObjectMixin, DetailView):
    """An invoice (or credit note): lines, totals, payments and receipts, credit notes, refunds."""

    area = Area.BILLING
    model = Invoice
    template_name = "billing/invoice.html"
    context_object_name = "invoice"

    def get_queryset(self) -> QuerySet[Invoice]:
        return selectors.invoice_detail(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        invoice: Invoice = self.object
        role = self.membership.role
        is_invoice = invoice.kind == InvoiceKind.INVOICE
        issued = invoice.status != InvoiceStatus.DRAFT
        lines = list(invoice.lines.all())
        refunds = list(invoice.refunds.all())
        pending = sum(
            (
                r.amount
                for r in refunds
                if r.status in (RefundStatus.REQUESTED, RefundStatus.APPROVED)
            ),
            Decimal(0),
        )
        kwargs.setdefault("adjust_form", AdjustForm())
        kwargs.setdefault("payment_form", PaymentForm(initial={"amount": invoice.open_amount}))
        kwargs.setdefault("credit_form", CreditNoteForm())
        kwargs.setdefault("refund_form", RefundForm())
        return super().get_context_data(
            lines=[(line, unit_label(line.unit)) for line in lines],
            payments=list(invoice.payments.all()),
            credit_notes=list(invoice.credit_notes.all()),
            refunds=refunds,
            overdue=is_overdue(invoice, today=self.agency.today()),
            refunded=sum(
                (r.amount for r in refunds if r.status == RefundStatus.PAID_BACK), Decimal(0)
            ),
            overpaid=max(-invoice.open_amount, Decimal(0)),
            creditable=invoice.total - invoice.credited,
            refundable=invoice.paid - pending,
            can_issue=invoice.status == InvoiceStatus.DRAFT,
            can_adjust=invoice.status == InvoiceStatus.DRAFT
            and can_access(role, Area.BILLING_DECISIONS),
            can_pay=is_invoice and invoice.status == InvoiceStatus.ISSUED,
            # The customer's usable prepaid cards, for "Pay from balance" (orders.prepaid).
            cards=[
                c
                for c in cards_for_customer(agency=self.agency, customer=invoice.customer)
                if c.status == CardStatus.ACTIVE
            ]
            if is_invoice and invoice.status == InvoiceStatus.ISSUED
            else [],
            can_credit=is_invoice and issued and invoice.total > invoice.credited,
            can_refund=is_invoice and invoice.paid > pending,
            can_link=is_invoice and issued and selectors.link_order(lines) is not None,
            customer_link=self.request.session.pop(f"invoice_link_{invoice.pk}", None),
            **kwargs,
        )


class InvoiceActionView(ActionMixin, InvoiceDetailView):
    page_name = "invoice_detail"


class InvoiceIssueView(InvoiceActionView):
    def act(self, invoice: Invoice, form: None) -> str:
        invoice = services.invoice_issue(invoice=invoice, actor=self.actor)
        return _("Invoice %(number)s issued, due on %(due)s.") % {
            "number": invoice.number,
            "due": _date(invoice.due_on),
        }


class InvoiceAdjustView(InvoiceActionView):
    """A manager's adjustment of a draft; finance is refused by the service (a message)."""

    form_class = AdjustForm
    form_context_name = "adjust_form"

    def act(self, invoice: Invoice, form: AdjustForm) -> str:
        invoice = services.invoice_adjust(invoice=invoice, actor=self.actor, **form.cleaned_data)
        return _("Adjusted: the invoice now totals %(total)s %(currency)s.") % {
            "total": invoice.total,
            "currency": invoice.currency,
        }


class InvoicePaymentView(InvoiceActionView):
    form_class = PaymentForm
    form_context_name = "payment_form"

    def act(self, invoice: Invoice, form: PaymentForm) -> str:
        payment = services.payment_record(invoice=invoice, actor=self.actor, **form.cleaned_data)
        return _("Payment of %(amount)s %(currency)s recorded; receipt %(receipt)s.") % {
            "amount": payment.amount,
            "currency": invoice.currency,
            "receipt": payment.receipt_number,
        }


class InvoiceCreditNoteView(InvoiceActionView):
    form_class = CreditNoteForm
    form_context_name = "credit_form"

    def act(self, invoice: Invoice, form: CreditNoteForm) -> str:
        note = services.credit_note_issue(invoice=invoice, actor=self.actor, **form.cleaned_data)
        return _("Credit note %(number)s issued for %(amount)s %(currency)s.") % {
            "number": note.number,
            "amount": -note.total,
            "currency": note.currency,
        }


class InvoiceRefundView(InvoiceActionView):
    form_class = RefundForm
    form_context_name = "refund_form"

    def act(self, invoice: Invoice, form: RefundForm) -> str:
        refund = services.refund_request(invoice=invoice, actor=self.actor, **form.cleaned_data)
        return _("Refund of %(amount)s %(currency)s requested; a manager approves it.") % {
            "amount": refund.amount,
            "currency": invoice.currency,
        }


class InvoiceCustomerLinkView(InvoiceActionView):
    """The customer's signed link to see the invoice and download it and its receipts."""

    def act(self, invoice: Invoice, form: None) -> str:
        if invoice.kind != InvoiceKind.INVOICE or invoice.status == InvoiceStatus.DRAFT:
            raise services.BillingConflict(
                _("Issue the invoice before sending it to the customer.")
            )
        order = selectors.link_order(list(invoice.lines.all()))
        if order is None:
            raise services.BillingConflict(
                _("This invoice names no order, so it has no customer link.")
            )
        self.request.session[f"invoice_link_{invoice.pk}"] = links.link_url(
            self.request, order=order, purpose=SignaturePurpose.VIEW_INVOICE, ref=invoice.pk
        )
        return _("Invoice link ready: copy it to the customer.")


class InvoicePdfView(TenantObjectMixin, View):
    """The invoice or credit note as a PDF, in the invoice's (the customer's) language:
    built by a worker, then served from storage (agency.documents)."""

    area = Area.BILLING
    model = Invoice

    def get_queryset(self) -> QuerySet[Invoice]:
        return selectors.invoices_for(agency=self.agency)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return document_response(request, key=invoice_document(self.object, agency=self.agency))


class ReceiptPdfView(TenantObjectMixin, View):
    """A payment's receipt (收据) as a PDF, built by a worker like the invoice's."""

    area = Area.BILLING
    model = Payment

    def get_queryset(self) -> QuerySet[Payment]:
        return selectors.payments_for(agency=self.agency)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return document_response(request, key=receipt_document(self.object, agency=self.agency))


# --- refunds: a manager approves, finance pays back -----------------------------------


class RefundQueueView(TenantMixin, TemplateView):
    """Refunds waiting for a manager, and approved ones waiting for finance to pay back."""

    area = Area.BILLING
    template_name = "billing/refunds.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        to_pay_back = list(selectors.refunds_to_pay_back(agency=self.agency)[:200])
        return super().get_context_data(
            waiting=list(selectors.refunds_waiting(agency=self.agency)[:200]),
            to_pay_back=[(r, PayBackForm(refund_id=r.pk)) for r in to_pay_back],
            **kwargs,
        )


class RefundActionView(QuickActionMixin, TenantObjectMixin, View):
    """A step of a refund, from the refund queue or the invoice page."""

    model = Refund

    def get_queryset(self) -> QuerySet[Refund]:
        return selectors.refunds_for(agency=self.agency)

    def default_url(self) -> str:
        return reverse("refund_queue")


class RefundDecisionView(RefundActionView):
    """A manager approves or rejects a refund."""

    area = Area.APPROVALS
    approve = True

    def act(self, refund: Refund, form: None) -> str:
        services.refund_decide(refund=refund, actor=self.actor, approve=self.approve)
        message = (
            _("Refund of %(amount)s on %(invoice)s approved: finance pays it back.")
            if self.approve
            else _("Refund of %(amount)s on %(invoice)s rejected.")
        )
        return message % {"amount": refund.amount, "invoice": refund.invoice}


class RefundPayBackView(RefundActionView):
    """Finance records how an approved refund was paid back."""

    area = Area.BILLING
    form_class = PayBackForm
    invalid_message = gettext_lazy("Choose how the money was paid back.")

    def act(self, refund: Refund, form: PayBackForm) -> str:
        services.refund_pay_back(refund=refund, actor=self.actor, **form.cleaned_data)
        return _("Refund of %(amount)s on %(invoice)s paid back.") % {
            "amount": refund.amount,
            "invoice": refund.invoice,
        }


def unit_label(unit: str) -> str:
    """ "per hour" for a line priced by the hour; a unit the price list no longer has, as is."""
    try:
        return str(PricingUnit(unit).label)
    except ValueError:
        return unit


def _date(value: Any) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""
