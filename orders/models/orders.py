"""Orders (订单) and the records around them: needs form, quotes, the timeline,
customer signatures, callbacks, cancellations and recurring plans.

Only `orders.services` writes `Order.status` (DESIGN.md, "State changes").
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agency.bounds import PLAUSIBLE_DATE, TEXT_MAX_LENGTH
from agency.models import Branch, TenantModel
from orders.models.catalogue import Price, ServiceType
from orders.models.customers import Customer, CustomerAddress


class ScheduleKind(models.TextChoices):
    ONCE = "once", _("Once")
    RECURRING = "recurring", _("Recurring on given weekdays")
    LIVE_IN = "live_in", _("Continuous placement (live-in)")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class NeedsForm(TenantModel):
    """The needs form (客户需求表) the office fills in while the customer is on the phone."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="needs_forms")
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    address = models.ForeignKey(CustomerAddress, on_delete=models.PROTECT, related_name="+")
    requirements = models.TextField(
        _("concrete requirements"), blank=True, max_length=TEXT_MAX_LENGTH
    )
    checklist = ArrayField(
        models.CharField(max_length=200), default=list, blank=True, verbose_name=_("tasks wanted")
    )
    schedule_kind = models.CharField(_("schedule"), max_length=12, choices=ScheduleKind.choices)
    start_date = models.DateField(_("start date"), validators=PLAUSIBLE_DATE)
    end_date = models.DateField(_("until"), null=True, blank=True, validators=PLAUSIBLE_DATE)
    weekdays = ArrayField(
        models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)]),
        default=list,
        blank=True,
        verbose_name=_("weekdays"),
    )
    days = models.PositiveSmallIntegerField(
        _("number of days"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    time_start = models.TimeField(_("start time"))
    time_end = models.TimeField(_("end time"))
    quantity = models.DecimalField(
        _("area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    allergies = models.TextField(_("allergies"), blank=True, max_length=TEXT_MAX_LENGTH)
    pets = models.CharField(_("pets"), max_length=200, blank=True)
    do_not_touch = models.TextField(
        _("things not to touch"), blank=True, max_length=TEXT_MAX_LENGTH
    )
    access_notes = models.TextField(_("access notes"), blank=True, max_length=TEXT_MAX_LENGTH)
    budget = models.DecimalField(
        _("budget"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    preferred_gender = models.CharField(
        _("preferred staff gender"), max_length=10, choices=Gender.choices, blank=True
    )
    preferred_language = models.CharField(_("language or dialect"), max_length=60, blank=True)
    min_experience_years = models.PositiveSmallIntegerField(
        _("minimum experience (years)"), null=True, blank=True
    )
    callback_in_days = models.PositiveSmallIntegerField(
        _("call back in (days)"), null=True, blank=True, validators=[MaxValueValidator(90)]
    )
    # Set by the page (a hidden field) or the API (Idempotency-Key): the same
    # submission sent twice is refused instead of booking twice.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("needs form")
        verbose_name_plural = _("needs forms")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="needsform_submitted_once"
            ),
            models.CheckConstraint(
                condition=Q(schedule_kind=ScheduleKind.LIVE_IN) | Q(time_end__gt=F("time_start")),
                name="needsform_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="needsform_until_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} · {self.service_type}"

    @property
    def special_needs(self) -> dict[str, str]:
        """The special needs (特别需求) that are filled in, by label."""
        labels = {
            "allergies": _("allergies"),
            "pets": _("pets"),
            "do_not_touch": _("things not to touch"),
            "access_notes": _("access notes"),
        }
        return {
            str(label): getattr(self, name) for name, label in labels.items() if getattr(self, name)
        }


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


class RecurringPlan(TenantModel):
    """A recurring booking: each occurrence becomes its own order, a horizon ahead."""

    needs_form = models.OneToOneField(NeedsForm, on_delete=models.PROTECT, related_name="plan")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    unit_price = models.DecimalField(
        _("agreed unit price"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    generated_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recurring plan")
        verbose_name_plural = _("recurring plans")

    def __str__(self) -> str:
        return f"{self.needs_form}"


class Order(TenantModel):
    number = models.CharField(_("order number"), max_length=20)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="orders", verbose_name=_("customer")
    )
    needs_form = models.ForeignKey(NeedsForm, on_delete=models.PROTECT, related_name="orders")
    # Copied from the needs form so the board filters without a join.
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    plan = models.ForeignKey(
        RecurringPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
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


class Quote(TenantModel):
    """What the customer is asked to agree to: the price list's unit price times the quantity."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="quotes")
    price = models.ForeignKey(Price, on_delete=models.PROTECT, null=True, related_name="+")
    description = models.CharField(_("description"), max_length=200)
    unit = models.CharField(_("unit"), max_length=10)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.total} {self.currency}"


class OrderEvent(TenantModel):
    """One line of an order's timeline: a status change, or a note such as "link sent"."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=OrderStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
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


class Callback(TenantModel):
    """A call the office owes the customer by `due_at` (回电), staff found or not."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="callbacks")
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, null=True, blank=True, related_name="callbacks"
    )
    due_at = models.DateTimeField(_("due"))
    reason = models.CharField(_("reason"), max_length=255)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(_("outcome"), blank=True, max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["due_at"]
        indexes = [
            models.Index(
                fields=["agency", "due_at"],
                condition=Q(done_at__isnull=True),
                name="callback_open_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} @ {self.due_at:%Y-%m-%d}"


class CancellationStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting a manager's approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Cancellation(TenantModel):
    """A request to cancel an order, its fee under the agency's policy, and the decision.

    The fee and refund due are recorded here; billing drafts the fee's invoice from an
    approved one (`orders.billing.services.invoice_cancellation_fees`).
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="cancellations")
    reason = models.CharField(_("reason"), max_length=500)
    signature = models.ForeignKey(CustomerSignature, on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    fee_percent = models.DecimalField(_("fee (%)"), max_digits=5, decimal_places=2)
    fee = models.DecimalField(_("cancellation fee"), max_digits=12, decimal_places=2)
    refund_due = models.DecimalField(_("refund due"), max_digits=12, decimal_places=2)
    status = models.CharField(max_length=20, choices=CancellationStatus.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("cancellation")
        verbose_name_plural = _("cancellations")
        ordering = ["-requested_at"]
        constraints = [
            # At most one request waits for a decision per order.
            models.UniqueConstraint(
                fields=["agency", "order"],
                condition=Q(status="awaiting_approval"),
                name="cancellation_one_pending_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.status}"
