"""The order (订单) the wings share: its status, its timeline and the customer's signatures.

What the order is made of at intake (customer, service, needs form, plan, quote) lives
in `orders.intake.models` and is referred to here by name. Only `orders.lifecycle`
writes `Order.status` (DESIGN.md, "State changes").
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import DateTimeRangeField
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.db import models
from django.db.models import F, Func, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from agency.models import Branch, TenantModel

if TYPE_CHECKING:
    from orders.intake.models import Quote


class ServiceWindow(Func):
    """An order's time as one range, `[starts_at, ends_at)`: what the day board's overlap
    test and its GiST index share (the index serves only this very expression)."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()

    def __init__(self) -> None:
        super().__init__(F("starts_at"), F("ends_at"))


class OrderStatus(models.TextChoices):
    INTAKE = "intake", _("Intake")
    QUOTED = "quoted", _("Quoted")
    CONFIRMED = "confirmed", _("Confirmed")
    ASSIGNED = "assigned", _("Assigned")
    IN_SERVICE = "in_service", _("In service")
    INSPECTION = "inspection", _("Inspection")
    REWORK = "rework", _("Rework")
    ACCEPTED = "accepted", _("Accepted")
    INVOICED = "invoiced", _("Invoiced")
    PAID = "paid", _("Paid")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


#: An order whose service was given and accepted (what makes a customer a repeat customer).
SERVED = (OrderStatus.ACCEPTED, OrderStatus.INVOICED, OrderStatus.PAID, OrderStatus.CLOSED)


class Order(TenantModel):
    number = models.CharField(_("order number"), max_length=20)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    customer = models.ForeignKey(
        "Customer", on_delete=models.PROTECT, related_name="orders", verbose_name=_("customer")
    )
    needs_form = models.ForeignKey("NeedsForm", on_delete=models.PROTECT, related_name="orders")
    # Copied from the needs form so the board filters without a join.
    service_type = models.ForeignKey(
        "ServiceType", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    plan = models.ForeignKey(
        "RecurringPlan", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    occurrence_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.INTAKE
    )
    is_urgent = models.BooleanField(
        _("urgent"), default=False, help_text=_("May be staffed from any branch.")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    confirmed_quote = models.ForeignKey(
        "Quote", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"], name="order_number_unique_per_agency"
            ),
            models.UniqueConstraint(
                fields=["agency", "plan", "occurrence_date"],
                condition=Q(plan__isnull=False),
                name="order_once_per_plan_occurrence",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="order_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "starts_at"], name="order_agency_starts"),
            # The day board: orders whose window overlaps the day, past starts included.
            GistIndex("agency", ServiceWindow(), name="order_agency_window"),
            # Board search by any part of the order number (see `Customer`'s indexes).
            GinIndex(OpClass(Upper("number"), name="gin_trgm_ops"), name="order_number_trgm"),
            models.Index(fields=["agency", "status", "starts_at"], name="order_agency_status"),
            # The reports: orders taken in a period.
            models.Index(fields=["agency", "created_at"], name="order_agency_created"),
            # The revisit sweep: the services that became due for a periodic revisit.
            models.Index(
                fields=["agency", "ends_at"],
                condition=Q(status__in=SERVED),
                name="order_served_ends",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def latest_quote(self) -> "Quote | None":
        """The quote the customer is shown now: a new quote replaces the one before.

        Read from prefetched quotes when the page prefetched them (Quote's ordering is
        newest first), else one query.
        """
        return self.quotes.all().first()


class OrderEvent(TenantModel):
    """One line of an order's timeline: a status change, or a note such as "link sent"."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=OrderStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: The customer did it (their portal or a signed link), not the office or the system.
    by_customer = models.BooleanField(default=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order timeline")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["agency", "order", "created_at"], name="orderevent_timeline"),
            # Higher apps' sweeps pick up events such as "accepted" (billing, feedback).
            models.Index(fields=["to_status", "created_at"], name="orderevent_by_status"),
            # The reports count an agency's moves in a period from the index alone.
            models.Index(
                fields=["agency", "created_at"],
                include=["to_status", "order"],
                name="orderevent_agency_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"


class SignaturePurpose(models.TextChoices):
    CONFIRM_ORDER = "confirm_order", _("Confirmation of the needs form and quote")
    CANCEL_ORDER = "cancel_order", _("Cancellation request")
    CONFIRM_STAFF = "confirm_staff", _("Confirmation of the proposed staff")
    APPROVE_CHANGE = "approve_change", _("Approval of a change to the service")
    ACCEPT_SERVICE = "accept_service", _("Acceptance of the service")
    VIEW_INVOICE = "view_invoice", _("Viewing an invoice and its receipts")
    DAY_BEFORE = "day_before", _("Confirmation of tomorrow's service")


class SignedVia(models.TextChoices):
    LINK = "link", _("Signed by the customer through a link")
    OFFICE = "office", _("Verified by the office on the customer's behalf")
    DEVICE = "device", _("Signed by the customer on the staff member's device")


class CustomerSignature(TenantModel):
    """The customer's signature on one thing, or the office's verification in its place.

    DESIGN.md, "Intake and booking": where the customer cannot sign, an office
    member verifies and signs on the customer's behalf; the record says so and who.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="signatures")
    purpose = models.CharField(max_length=20, choices=SignaturePurpose.choices)
    via = models.CharField(max_length=10, choices=SignedVia.choices)
    signed_name = models.CharField(_("signed name"), max_length=100)
    signed_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verification_reason = models.CharField(_("why the office signs"), max_length=255, blank=True)
    #: The staff member whose phone the customer signed on (in person, on site).
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("customer signature")
        verbose_name_plural = _("customer signatures")
        ordering = ["signed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(via=SignedVia.LINK)
                | Q(via=SignedVia.DEVICE, collected_by__isnull=False)
                | (Q(via=SignedVia.OFFICE, verified_by__isnull=False) & ~Q(verification_reason="")),
                name="signature_says_how_and_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signed_name} ({self.via})"
