"""Intake's records: customers (客户) and their addresses, the catalogue and price
list, the needs form (客户需求表), recurring plans, quotes, callbacks and cancellations.

The full phone and street address are personal data: pages show them masked
and reveal them only through `orders.intake.services.customers.customer_reveal_contact`,
which writes the audit log (DESIGN.md, "Staff and assignment").
"""

from datetime import time
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agency.bounds import PLAUSIBLE_DATE, TEXT_MAX_LENGTH
from agency.masking import mask_phone
from agency.models import Branch, TenantModel
from orders.models.orders import CustomerSignature, Order

phone_validator = RegexValidator(
    r"^\+?[0-9]{6,20}$", _("Enter a phone number of 6 to 20 digits, optionally starting with +.")
)


class MessageChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")


#: How the customer hears from the agency (messaging): edited with the customer.
MESSAGE_PREFERENCES = (
    "email",
    "message_channel",
    "quiet_from",
    "quiet_until",
    "promotions_opt_out",
)


class Customer(TenantModel):
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=21, validators=[phone_validator])
    phone_alt = models.CharField(
        _("second phone"), max_length=21, blank=True, validators=[phone_validator]
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX_LENGTH)
    special_attention = models.BooleanField(_("special attention"), default=False)
    special_attention_reason = models.CharField(
        _("reason for special attention"), max_length=255, blank=True
    )
    #: Where the reason is told in full, e.g. the complaint that set the flag.
    special_attention_link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # How the customer wants to hear from the agency (messaging): one channel, quiet
    # hours in the agency's time zone, and no promotions if they said so.
    email = models.EmailField(_("email"), blank=True)
    message_channel = models.CharField(
        _("messages by"), max_length=10, choices=MessageChannel.choices, default=MessageChannel.SMS
    )
    quiet_from = models.TimeField(_("quiet from"), default=time(21))
    quiet_until = models.TimeField(_("quiet until"), default=time(8))
    promotions_opt_out = models.BooleanField(_("no promotional messages"), default=False)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "phone"], name="customer_phone_unique_per_agency"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "name"], name="customer_agency_name"),
            # Search by any part of the name or phone (`icontains` compares upper case):
            # trigram indexes serve a LIKE with a leading wildcard.
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="customer_name_trgm"),
            GinIndex(OpClass("phone", name="gin_trgm_ops"), name="customer_phone_trgm"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def clean(self) -> None:
        """Preferences that could never be kept are refused (issue 16): email as the channel
        without an address, and quiet hours that start when they end (none, or all day?)."""
        errors = {}
        if self.message_channel == MessageChannel.EMAIL and not self.email:
            errors["email"] = _("Enter an email address to send this customer's messages by email.")
        if self.quiet_from == self.quiet_until:
            errors["quiet_until"] = _("Quiet hours must end at another time than they start.")
        if errors:
            raise ValidationError(errors)


class CustomerAddress(TenantModel):
    """A place where the customer is served. The district is shown widely, the detail masked."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    district = models.CharField(_("district"), max_length=60)
    detail = models.CharField(_("street address"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.district

    @property
    def masked(self) -> str:
        return f"{self.district} ···"


class District(TenantModel):
    """A district's centre, so that a check-in's position can be compared with the job's
    address (`CustomerAddress.district` is free text: the name matches it). Addresses have
    no coordinates of their own; an agency lists the districts it serves."""

    name = models.CharField(_("district"), max_length=60)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    radius_km = models.DecimalField(
        _("radius (km)"),
        max_digits=5,
        decimal_places=1,
        default=5,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(100)],
        help_text=_("A check-in farther than this from the centre is marked as elsewhere."),
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="district_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceCategory(models.TextChoices):
    CLEANING = "cleaning", _("Home cleaning")
    POSTPARTUM = "postpartum", _("Postpartum care")
    NANNY = "nanny", _("Nanny")
    ELDERLY = "elderly", _("Elderly companion")
    REPAIR = "repair", _("Home repair")
    OTHER = "other", _("Other")


class PricingUnit(models.TextChoices):
    HOUR = "hour", _("per hour")
    VISIT = "visit", _("per visit")
    DAY = "day", _("per day")
    SQUARE_METRE = "sqm", _("per square metre")


class ServiceType(TenantModel):
    code = models.SlugField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    category = models.CharField(_("category"), max_length=20, choices=ServiceCategory.choices)
    pricing_unit = models.CharField(_("pricing unit"), max_length=10, choices=PricingUnit.choices)
    # Codes the staff app's skills and certificate types use; matching reads them.
    required_skills = ArrayField(
        models.SlugField(max_length=50), default=list, blank=True, verbose_name=_("required skills")
    )
    required_certificates = ArrayField(
        models.SlugField(max_length=50),
        default=list,
        blank=True,
        verbose_name=_("required certificates"),
    )
    is_special = models.BooleanField(
        _("special / custom service"),
        default=False,
        help_text=_("A special (custom) service cannot be cancelled."),
    )
    is_repair = models.BooleanField(
        _("repair or installation (warranty)"),
        default=False,
        help_text=_(
            "A complaint about it follows the warranty procedure: the customer contacted "
            "within 1 working day, a definitive answer within 72 hours."
        ),
    )
    #: A live-in placement (月嫂, 育儿嫂, 住家保姆) sold on a three-party contract (issue 20):
    #: its orders get placement terms and a contract.
    is_placement = models.BooleanField(
        _("live-in placement (contract)"),
        default=False,
        help_text=_(
            "Sold on a three-party contract with placement terms: dates, trial period, "
            "price, the staff member's wage, deposit."
        ),
    )
    task_checklist = ArrayField(
        models.CharField(max_length=200), default=list, blank=True, verbose_name=_("tasks")
    )
    preparation_checklist = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        verbose_name=_("preparation (tools, materials)"),
    )
    is_active = models.BooleanField(_("offered"), default=True)
    #: The agency marks the services where valuables are checked with the customer at
    #: departure (issue 19): the job page's check-out then shows the check.
    valuables_check = models.BooleanField(
        _("valuables check at departure"),
        default=False,
        help_text=_("The staff member and the customer check the valuables before leaving."),
    )

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["category", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], name="servicetype_code_unique_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        language = translation.get_language() or ""
        return self.name_zh if language.startswith("zh") else self.name_en


class Price(TenantModel):
    """The price of a service type over a period; periods of one service never overlap.

    A quote points at the price it used, so an old quote keeps its old price.
    """

    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="prices")
    unit_price = models.DecimalField(
        _("unit price"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    # [from, until): until is empty while the price is current.
    valid_during = DateRangeField(_("valid"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("price list")
        ordering = ["service_type", "-valid_during"]
        constraints = [
            ExclusionConstraint(
                name="price_periods_do_not_overlap",
                expressions=[
                    ("agency", RangeOperators.EQUAL),
                    ("service_type", RangeOperators.EQUAL),
                    ("valid_during", RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type_id}: {self.unit_price} {self.valid_during}"


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
    #: A customer's own request (their portal): the same form sent twice asks once.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="callback_asked_once"
            ),
        ]
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
    approved one (`orders.billing.invoicing.invoice_cancellation_fees`).
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
