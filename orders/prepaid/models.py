"""Prepaid cards (储值卡) and packages (套餐): what the agency sells, what a customer holds.

A card's balance is its ledger (`CardEntry`): the sale tops it up, an invoice paid from it
uses it, a refund or the expiry empties it. The balance is the sum of the entries, never a
number kept on the card, so every change has its line, its author and its time. Writes lock
the card row (`orders.prepaid.services`), so two uses at once never spend more than is left.

A sold card copies its product's terms (what was paid, what it holds, the service and
hours of a visit, the refund fee): a product edited later never changes a card sold before.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agency.models import TenantModel
from orders.billing.models import Invoice, Payment, PaymentMethod
from orders.intake.models import Customer, ServiceType
from orders.models.orders import Order


class ProductKind(models.TextChoices):
    STORED_VALUE = "stored_value", _("Stored-value card")
    PACKAGE = "package", _("Package of visits")


class PrepaidProduct(TenantModel):
    """A card the agency sells: stored value (pay `price`, get `credit`) or a package
    (`visits` visits of `service_type`, `hours_per_visit` hours each, for `price`)."""

    kind = models.CharField(_("kind"), max_length=12, choices=ProductKind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    #: Stored value: what the card holds once sold (the price and the bonus).
    credit = models.DecimalField(
        _("credited"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    service_type = models.ForeignKey(
        ServiceType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service type"),
    )
    visits = models.PositiveIntegerField(_("visits"), null=True, blank=True)
    hours_per_visit = models.DecimalField(
        _("hours per visit"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    validity_days = models.PositiveIntegerField(
        _("valid for (days)"), validators=[MinValueValidator(1), MaxValueValidator(3660)]
    )
    #: Kept from what is paid back when the unused balance is refunded (the agency's rule).
    refund_fee_percent = models.DecimalField(
        _("refund fee (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("prepaid product")
        verbose_name_plural = _("prepaid products")
        ordering = ["kind", "price", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind="stored_value",
                    credit__isnull=False,
                    credit__gte=models.F("price"),
                    service_type__isnull=True,
                    visits__isnull=True,
                    hours_per_visit__isnull=True,
                )
                | Q(
                    kind="package",
                    credit__isnull=True,
                    service_type__isnull=False,
                    visits__gt=0,
                    hours_per_visit__gt=0,
                ),
                name="prepaidproduct_terms_of_its_kind",
            ),
            models.UniqueConstraint(fields=["agency", "name_zh"], name="prepaidproduct_name_zh"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        language = translation.get_language() or ""
        return self.name_zh if language.startswith("zh") else self.name_en


class CardStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("prepaid card", "Active")
    REFUNDING = "refunding", _("Refund asked for")
    REFUNDED = "refunded", _("Refunded")
    EXPIRED = "expired", _("Expired")


#: A card whose balance can no longer move: its ledger ended it.
ENDED = frozenset({CardStatus.REFUNDED, CardStatus.EXPIRED})


class PrepaidCard(TenantModel):
    """A product sold to a customer: the sale (a money-in record, numbered per agency without
    gaps), the terms copied from the product, the validity, and its ledger."""

    #: The sale's number (agency.numbering, kind "prepaid_card"): also the card's number.
    number = models.CharField(_("number"), max_length=20)
    product = models.ForeignKey(
        PrepaidProduct, on_delete=models.PROTECT, related_name="cards", verbose_name=_("product")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="prepaid_cards", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ProductKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=CardStatus.choices, default=CardStatus.ACTIVE
    )
    # The terms at the sale.
    price_paid = models.DecimalField(_("paid"), max_digits=10, decimal_places=2)
    credit = models.DecimalField(
        _("credited"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visits = models.PositiveIntegerField(_("visits"), null=True, blank=True)
    hours_per_visit = models.DecimalField(
        _("hours per visit"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    refund_fee_percent = models.DecimalField(_("refund fee (%)"), max_digits=5, decimal_places=2)
    valid_until = models.DateField(_("valid until"))
    # The sale: money in, recorded like a payment (never processed here).
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    sold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sold_at = models.DateTimeField(_("sold"))
    #: The timers (DESIGN.md "Timers"): when the sweep expires it (the start of the day after
    #: `valid_until` in the agency's zone), and when it reminds the customer (30 days before);
    #: `remind_at` is cleared once reminded or ended.
    expires_at = models.DateTimeField()
    remind_at = models.DateTimeField(null=True, blank=True)
    # The page's hidden key (agency.idempotency): a double click sells one card.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("prepaid card")
        verbose_name_plural = _("prepaid cards")
        ordering = ["-sold_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="prepaidcard_number"),
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="prepaidcard_sold_once"
            ),
            models.CheckConstraint(
                condition=Q(kind="stored_value", credit__isnull=False)
                | Q(kind="package", visits__gt=0, service_type__isnull=False),
                name="prepaidcard_terms_of_its_kind",
            ),
            models.CheckConstraint(
                condition=~Q(method="prepaid"), name="prepaidcard_not_sold_from_a_balance"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "customer"], name="prepaidcard_customer"),
            models.Index(
                fields=["expires_at"],
                condition=Q(status="active"),
                name="prepaidcard_expiry_due",
            ),
            models.Index(
                fields=["remind_at"],
                condition=Q(remind_at__isnull=False),
                name="prepaidcard_reminder_due",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_package(self) -> bool:
        return self.kind == ProductKind.PACKAGE

    @property
    def visit_price(self) -> Decimal:
        """A package's price of one visit (what a used visit costs at a refund)."""
        return self.price_paid / (self.visits or 1)


class CardEntryKind(models.TextChoices):
    TOP_UP = "top_up", _("Top-up")
    USE = "use", _("Used")
    REFUND = "refund", _("Refunded")
    EXPIRY = "expiry", _("Expired")


class CardEntry(TenantModel):
    """One line of a card's ledger: money (stored value) or visits (package), signed —
    a top-up adds, a use, a refund or the expiry takes away."""

    card = models.ForeignKey(PrepaidCard, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=8, choices=CardEntryKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2, default=0)
    visits = models.IntegerField(_("visits"), default=0)
    #: A use: the invoice it paid, its payment (with the receipt), and for a package the
    #: order whose visit it paid.
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="card_entry"
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("card ledger entry")
        verbose_name_plural = _("card ledger entries")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="top_up", amount__gte=0, visits__gte=0)
                | (~Q(kind="top_up") & Q(amount__lte=0, visits__lte=0)),
                name="cardentry_sign_of_its_kind",
            ),
            # A card is sold, refunded and expired once each: a retried sweep writes nothing.
            models.UniqueConstraint(
                fields=["card", "kind"],
                condition=Q(kind__in=["top_up", "refund", "expiry"]),
                name="cardentry_end_once",
            ),
            # A package pays one visit per order, whichever of the customer's packages.
            models.UniqueConstraint(
                fields=["agency", "order"],
                condition=Q(kind="use", order__isnull=False),
                name="cardentry_one_visit_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.card_id} {self.kind} {self.amount} {self.visits}"


class CardReminder(TenantModel):
    """The expiry reminder sent for a card: the unique card makes it once, whatever the sweep."""

    card = models.OneToOneField(PrepaidCard, on_delete=models.CASCADE, related_name="reminder")
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.card_id}"


class CardRefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting a manager's approval")
    APPROVED = "approved", _("Approved, to be paid back")
    REJECTED = "rejected", _("Rejected")
    PAID_BACK = "paid_back", _("Paid back")


class CardRefund(TenantModel):
    """Paying back a card's unused balance: asked by the office, approved by a manager, paid
    back by finance; the amounts are fixed when asked (`orders.prepaid.refunds.refund_terms`)."""

    card = models.ForeignKey(PrepaidCard, on_delete=models.PROTECT, related_name="refunds")
    #: What the unused balance is worth, before the fee.
    refundable = models.DecimalField(_("refundable"), max_digits=10, decimal_places=2)
    fee = models.DecimalField(_("fee"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("to pay back"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CardRefundStatus.choices,
        default=CardRefundStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("card refund")
        verbose_name_plural = _("card refunds")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    amount__gte=0, fee__gte=0, amount=models.F("refundable") - models.F("fee")
                ),
                name="cardrefund_amount_is_refundable_less_fee",
            ),
            models.UniqueConstraint(
                fields=["card"],
                condition=Q(status__in=["requested", "approved"]),
                name="cardrefund_one_open_per_card",
            ),
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="cardrefund_submitted_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="paid_back")
                | Q(decided_by__isnull=False, paid_back_at__isnull=False),
                name="cardrefund_paid_back_only_when_approved",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="cardrefund_agency_status"),
        ]

    def __str__(self) -> str:
        return f"{self.card_id}: {self.amount} ({self.status})"
