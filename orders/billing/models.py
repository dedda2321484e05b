"""Billing (收费): invoices and credit notes, their lines, payments with receipts, refunds.

DESIGN.md, "Billing": fees follow the price list, the invoice is derived from
the confirmed quote plus the changes the customer approved, receipts are
issued on payment, numbers are sequential per agency without gaps. An issued
invoice is never edited: a credit note corrects it.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from agency.models import Branch, TenantModel
from orders.intake.models import Cancellation, Customer, Quote
from orders.models.orders import Order
from orders.service.models import ChangeRequest


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", pgettext_lazy("invoice status", "Issued")
    PAID = "paid", _("Paid")


class Invoice(TenantModel):
    """An invoice (or a credit note) to one customer; numbered when it is issued."""

    kind = models.CharField(
        _("kind"), max_length=12, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE
    )
    #: Given at issue, from the agency's counter for the kind and year: no gaps.
    number = models.CharField(_("number"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("customer")
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    #: The month a collective invoice of recurring visits covers (its first day).
    period_month = models.DateField(_("month"), null=True, blank=True)
    credits = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("corrects invoice"),
    )
    currency = models.CharField(max_length=3)
    tax_rate_percent = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    subtotal = models.DecimalField(_("subtotal"), max_digits=12, decimal_places=2, default=0)
    tax = models.DecimalField(_("tax"), max_digits=12, decimal_places=2, default=0)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2, default=0)
    #: What payments have settled (refunds deducted); kept with the payments in one transaction.
    paid = models.DecimalField(_("paid"), max_digits=12, decimal_places=2, default=0)
    #: What credit notes took off this invoice.
    credited = models.DecimalField(_("credited"), max_digits=12, decimal_places=2, default=0)
    language = models.CharField(_("language"), max_length=10)
    note = models.CharField(_("note"), max_length=500, blank=True)
    issued_at = models.DateTimeField(pgettext_lazy("invoice", "issued"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A credit note's page key (agency.idempotency): a double click issues it once.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "number"],
                condition=~Q(number=""),
                name="invoice_number_once_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", number="")
                | (Q(status__in=["issued", "paid"]) & ~Q(number="") & Q(issued_at__isnull=False)),
                name="invoice_numbered_when_issued",
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice", credits__isnull=True)
                | Q(kind="credit_note", credits__isnull=False),
                name="invoice_credit_note_names_its_invoice",
            ),
            # One collective invoice per customer and month (drafts collect the visits).
            models.UniqueConstraint(
                fields=["agency", "customer", "period_month"],
                condition=Q(period_month__isnull=False),
                name="invoice_one_per_customer_month",
            ),
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="invoice_submitted_once"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "due_on"], name="invoice_agency_status_due"),
            models.Index(fields=["agency", "created_at"], name="invoice_agency_created"),
            # The reports: invoices issued in a period.
            models.Index(fields=["agency", "issued_at"], name="invoice_agency_issued"),
        ]

    def __str__(self) -> str:
        return self.number or gettext("Draft %(pk)s") % {"pk": self.pk}

    @property
    def open_amount(self) -> Decimal:
        """What is still to pay (nothing on a credit note)."""
        if self.kind != InvoiceKind.INVOICE:
            return Decimal(0)
        return self.total - self.credited - self.paid


class LineKind(models.TextChoices):
    SERVICE = "service", _("Service (confirmed quote)")
    CHANGE = "change", _("Change approved by the customer")
    ADJUSTMENT = "adjustment", _("Manual adjustment")
    CANCELLATION_FEE = "cancellation_fee", _("Cancellation fee")
    CREDIT = "credit", _("Credit")


class InvoiceLine(TenantModel):
    """One line, derived from what it names (quote, change, cancellation), never typed freely;
    a manual adjustment names the manager who approved it and why."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind.choices)
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="invoice_lines"
    )
    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, null=True, blank=True)
    change = models.ForeignKey(ChangeRequest, on_delete=models.PROTECT, null=True, blank=True)
    cancellation = models.ForeignKey(Cancellation, on_delete=models.PROTECT, null=True, blank=True)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["id"]
        constraints = [
            # An order's service, a change or a fee reaches one live invoice only: never twice.
            models.UniqueConstraint(
                fields=["agency", "order"],
                condition=Q(kind="service"),
                name="invoiceline_order_billed_once",
            ),
            models.UniqueConstraint(
                fields=["agency", "change"],
                condition=Q(change__isnull=False),
                name="invoiceline_change_billed_once",
            ),
            models.UniqueConstraint(
                fields=["agency", "cancellation"],
                condition=Q(cancellation__isnull=False),
                name="invoiceline_fee_billed_once",
            ),
            models.CheckConstraint(
                condition=~Q(kind="adjustment") | (Q(approved_by__isnull=False) & ~Q(reason="")),
                name="invoiceline_adjustment_says_who_and_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} {self.amount}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    WECHAT_PAY = "wechat_pay", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    CARD = "card", _("Card")
    PREPAID = "prepaid", _("Prepaid balance")


#: Methods a customer pays by themselves (online, or from their prepaid balance): recorded by
#: the system from the provider's word or the balance's ledger, never typed by the office.
CUSTOMER_METHODS = frozenset(
    {PaymentMethod.WECHAT_PAY, PaymentMethod.ALIPAY, PaymentMethod.PREPAID}
)
#: Methods a provider settles online (orders.payments): its notification records the payment
#: and its answer records the refund, as the system.
ONLINE_METHODS = frozenset({PaymentMethod.WECHAT_PAY, PaymentMethod.ALIPAY})
#: What finance records or pays back by hand: a prepaid balance moves only through its ledger.
OFFICE_METHODS = [(value, label) for value, label in PaymentMethod.choices if value != "prepaid"]


class Payment(TenantModel):
    """A payment recorded against an invoice (not processed here), with its receipt (收据)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices)
    received_at = models.DateTimeField(_("received"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    #: The finance member who recorded it; none when the customer paid online or by balance.
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receipt_number = models.CharField(_("receipt number"), max_length=20)
    # The page's hidden key (agency.idempotency): a double click records the payment once.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "receipt_number"], name="payment_receipt_once_per_agency"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="payment_submitted_once"
            ),
        ]
        indexes = [
            # The reports: what was collected in a period.
            models.Index(fields=["agency", "received_at"], name="payment_agency_received"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number}: {self.amount}"


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting a manager's approval")
    APPROVED = "approved", _("Approved, to be paid back")
    REJECTED = "rejected", _("Rejected")
    PAID_BACK = "paid_back", _("Paid back")


class Refund(TenantModel):
    """Money paid back to the customer: approved by a manager, then recorded by finance."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="refunds")
    cancellation = models.ForeignKey(
        Cancellation, on_delete=models.PROTECT, null=True, blank=True, related_name="refunds"
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=RefundStatus.choices, default=RefundStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    paid_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_back_at = models.DateTimeField(null=True, blank=True)
    # The page's hidden key (agency.idempotency): a double click asks for the refund once.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="refund_submitted_once"
            ),
            # Paid back by finance, or by the provider that took an online payment
            # (orders.payments records its word as the system).
            models.CheckConstraint(
                condition=~Q(status="paid_back")
                | Q(decided_by__isnull=False, paid_back_by__isnull=False)
                | Q(decided_by__isnull=False, method__in=sorted(ONLINE_METHODS)),
                name="refund_paid_back_only_when_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.amount} ({self.status})"
