"""Online payment's records: each agency's provider accounts, one checkout per attempt to pay,
the notifications refused, refunds sent to a provider, and reconciliation differences.

A payment itself is billing's `Payment` (recorded by `payment_accept`); these rows say how the
money came, and keep what finance must see when it did not come as it should.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agency.models import TenantModel
from orders.billing.models import Invoice, Refund


class Provider(models.TextChoices):
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")


class PayChannel(models.TextChoices):
    #: A QR code shown by the staff phone or the office page, scanned by the customer.
    NATIVE = "native", _("QR code")
    #: A page opened in the customer's phone browser (WeChat H5, Alipay WAP).
    PHONE = "phone", _("Phone browser")
    #: A page opened in a desktop browser (Alipay page pay).
    PAGE = "page", _("Desktop browser")


class ProviderAccount(TenantModel):
    """An agency's merchant account at one provider. Secrets are stored encrypted
    (`orders.payments.secrets`) and never shown back: a page or the API only replaces them."""

    provider = models.CharField(_("provider"), max_length=8, choices=Provider.choices)
    #: WeChat: the merchant id (mchid); Alipay: the app id.
    merchant_id = models.CharField(_("merchant or app id"), max_length=32)
    #: WeChat: the app id the merchant is bound to (appid); Alipay: unused.
    app_id = models.CharField(_("app id"), max_length=32, blank=True)
    #: WeChat: the merchant certificate's serial number; WeChat Pay public key id.
    cert_serial_no = models.CharField(_("certificate serial number"), max_length=64, blank=True)
    public_key_id = models.CharField(_("platform public key id"), max_length=64, blank=True)
    #: The provider's public key (WeChat Pay public key / Alipay public key), PEM: not secret.
    provider_public_key = models.TextField(_("provider public key"))
    #: Fernet tokens of the merchant's private key (PEM) and of the WeChat APIv3 key.
    private_key_encrypted = models.TextField(editable=False)
    api_key_encrypted = models.TextField(editable=False, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment provider account")
        verbose_name_plural = _("payment provider accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "provider"], name="provideraccount_one_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.merchant_id}"


class CheckoutStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the customer")
    PAID = "paid", _("Paid")
    CLOSED = "closed", _("Closed")


class Checkout(TenantModel):
    """One attempt to pay an invoice online: the provider's order (`out_trade_no`) and the QR
    content or the page the customer is sent to. Claimed open → paid once, by the
    notification that records the payment."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="checkouts")
    provider = models.CharField(_("provider"), max_length=8, choices=Provider.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=PayChannel.choices)
    out_trade_no = models.CharField(max_length=32, unique=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(
        _("status"), max_length=8, choices=CheckoutStatus.choices, default=CheckoutStatus.OPEN
    )
    #: Native pay: the QR code's content; phone or page pay: where the customer is sent.
    code_url = models.CharField(max_length=2000, blank=True)
    pay_url = models.CharField(max_length=4000, blank=True)
    transaction_id = models.CharField(_("provider transaction id"), max_length=64, blank=True)
    payment = models.OneToOneField(
        "orders.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="checkout"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("online checkout")
        verbose_name_plural = _("online checkouts")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A transaction pays once: a duplicated notification cannot record it twice.
            models.UniqueConstraint(
                fields=["provider", "transaction_id"],
                condition=~Q(transaction_id=""),
                name="checkout_transaction_once",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="checkout_amount_positive"),
        ]
        indexes = [models.Index(fields=["agency", "-created_at"], name="checkout_agency_recent")]

    def __str__(self) -> str:
        return self.out_trade_no


class RefusalReason(models.TextChoices):
    SIGNATURE = "signature", _("Bad signature")
    MERCHANT = "merchant", _("Wrong merchant")
    UNKNOWN = "unknown", _("Unknown invoice or checkout")
    AMOUNT = "amount", _("Wrong amount")
    CURRENCY = "currency", _("Wrong currency")
    STATE = "state", _("Invoice cannot take it")
    NO_ACCOUNT = "no_account", _("Provider not configured")


class RefusedNotification(TenantModel):
    """A provider's notification that recorded no payment, kept for finance to look into."""

    provider = models.CharField(_("provider"), max_length=8, choices=Provider.choices)
    reason = models.CharField(_("reason"), max_length=10, choices=RefusalReason.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    out_trade_no = models.CharField(max_length=64, blank=True)
    transaction_id = models.CharField(max_length=64, blank=True)
    #: The body as received (bounded): what the provider said, for an inquiry.
    body = models.TextField(blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("refused notification")
        verbose_name_plural = _("refused notifications")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-received_at"], name="refusednotif_agency_recent")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.reason} {self.out_trade_no}"


class OnlineRefundStatus(models.TextChoices):
    SENDING = "sending", _("Being sent")
    DONE = "done", _("Refunded by the provider")
    FAILED = "failed", _("Refused by the provider")


class OnlineRefund(TenantModel):
    """An approved refund sent back through the provider that took the payment. One per
    refund: `out_refund_no` makes a resent request the same request at the provider."""

    refund = models.OneToOneField(Refund, on_delete=models.PROTECT, related_name="online")
    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="refunds")
    out_refund_no = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=OnlineRefundStatus.choices,
        default=OnlineRefundStatus.SENDING,
    )
    provider_refund_id = models.CharField(max_length=64, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("online refund")
        verbose_name_plural = _("online refunds")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.out_refund_no


class DifferenceKind(models.TextChoices):
    MISSING_HERE = "missing_here", _("In the provider's bill, not recorded here")
    MISSING_THERE = "missing_there", _("Recorded here, not in the provider's bill")
    AMOUNT = "amount", _("Amounts differ")


class ReconciliationDifference(TenantModel):
    """One line where the provider's daily bill and Hearth's records disagree."""

    provider = models.CharField(_("provider"), max_length=8, choices=Provider.choices)
    bill_date = models.DateField(_("bill date"))
    kind = models.CharField(_("difference"), max_length=14, choices=DifferenceKind.choices)
    #: A payment's transaction id, or a refund's out_refund_no.
    reference = models.CharField(_("reference"), max_length=64)
    is_refund = models.BooleanField(_("refund"), default=False)
    ours = models.DecimalField(_("recorded here"), max_digits=12, decimal_places=2, null=True)
    theirs = models.DecimalField(_("provider's bill"), max_digits=12, decimal_places=2, null=True)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reconciliation difference")
        verbose_name_plural = _("reconciliation differences")
        ordering = ["-bill_date", "provider", "reference"]
        constraints = [
            # A rerun of a day's reconciliation finds the same differences, not new ones.
            models.UniqueConstraint(
                fields=["agency", "provider", "bill_date", "reference", "is_refund"],
                name="reconciliation_difference_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bill_date} {self.provider} {self.reference}"


class ReconciliationRun(TenantModel):
    """A provider's bill of a day, compared once: the sweep's record of what it did."""

    provider = models.CharField(max_length=8, choices=Provider.choices)
    bill_date = models.DateField()
    differences = models.PositiveIntegerField(default=0)
    ran_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "provider", "bill_date"], name="reconciliation_run_once"
            ),
        ]
