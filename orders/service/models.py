"""The service itself: the service log (服务记录), change requests during the job,
and acceptance (验收).

DESIGN.md, "Service": preparation and the service are written in the service
log; content and fees never change without the customer's prior agreement.
DESIGN.md, "Acceptance": on-site lead → team supervisor → office supervisor →
customer. A stage that fails records the failed items; the responsible staff
redo them and acceptance runs again as a new round. Every round is kept.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agency.bounds import TEXT_MAX_LENGTH
from agency.models import TenantModel
from agency.uploads import GeneratedName, validate_photo
from orders.intake.models import ServiceType
from orders.models.orders import CustomerSignature, Order
from orders.staffing.models import Assignment
from staff.models import StaffMember


class EntryKind(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    DEPARTURE = "departure", _("Set out")
    CHECK_IN = "check_in", _("Check-in")
    TASK = "task", _("Task done")
    NOTE = "note", _("Note")
    PHOTO = "photo", _("Photo")
    INSPECTION = "inspection", _("On-site inspection")
    CHECK_OUT = "check_out", _("Check-out")
    REWORK = "rework", _("Rework done")


class ServiceLogEntry(TenantModel):
    """One line of the service log, written by a person on the job. Append-only.

    Nothing here is ever changed or deleted (a database trigger refuses it): a
    correction is a new entry that names the one it corrects, and either says
    what should have been written or, with `withdrawn`, that it should not
    have been written at all.
    """

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="log_entries")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="log_entries")
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    #: The checklist line (preparation, task, inspection) this entry is about.
    item = models.CharField(_("item"), max_length=200, blank=True)
    #: An inspection's verdict on its item.
    ok = models.BooleanField(_("all right"), null=True, blank=True)
    text = models.TextField(_("note"), blank=True, max_length=TEXT_MAX_LENGTH)
    photo = models.ImageField(
        _("photo"),
        upload_to=GeneratedName("service-log"),
        blank=True,
        validators=[validate_photo],
    )
    # Where the device was, when it offered its position (check-in and check-out).
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(null=True, blank=True)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects"),
    )
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    failed_item = models.ForeignKey(
        "FailedItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("service log entry")
        verbose_name_plural = _("service log")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="logentry_position_whole_and_on_earth",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn=False) | Q(corrects__isnull=False),
                name="logentry_only_a_correction_withdraws",
            ),
            # A person checks in to (and out of) a job once; a correction may follow.
            models.UniqueConstraint(
                fields=["agency", "assignment", "kind"],
                condition=Q(kind__in=["check_in", "check_out"], corrects__isnull=True),
                name="logentry_check_in_out_once",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "order", "recorded_at"], name="logentry_order_time")
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} {self.item}"


class ChangeStatus(models.TextChoices):
    AWAITING_CUSTOMER = "awaiting", _("Awaiting the customer")
    APPROVED = "approved", _("Approved by the customer")
    DECLINED = "declined", _("Declined by the customer")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ChangeRequest(TenantModel):
    """A change of service content or fee during the job (变更), priced from the price list.

    It takes effect, and can reach the invoice, only once the customer approved
    it: by a signed link or in person on the staff member's device.
    """

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="change_requests")
    description = models.CharField(_("what changes"), max_length=500)
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("priced as")
    )
    #: More (or, negative, less) of the service, in its pricing unit; zero for content only.
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("fee change"), max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ChangeStatus.choices,
        default=ChangeStatus.AWAITING_CUSTOMER,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    signature = models.ForeignKey(
        CustomerSignature, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(signature__isnull=False),
                name="change_approved_by_signature",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.description[:40]} ({self.amount})"


class Stage(models.IntegerChoices):
    LEAD = 1, _("On-site lead")
    TEAM_SUPERVISOR = 2, _("Team supervisor")
    OFFICE_SUPERVISOR = 3, _("Office supervisor")
    CUSTOMER = 4, _("Customer")


class RoundOutcome(models.TextChoices):
    OPEN = "open", _("Under way")
    PASSED = "passed", pgettext_lazy("acceptance", "Passed")
    FAILED = "failed", pgettext_lazy("acceptance", "Failed")


class AcceptanceRound(TenantModel):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="acceptance_rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=RoundOutcome.choices, default=RoundOutcome.OPEN
    )
    #: The stage waiting to be signed while the round is open; the queues filter on it.
    next_stage = models.PositiveSmallIntegerField(
        choices=Stage.choices, null=True, blank=True, default=Stage.LEAD
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("acceptance round")
        verbose_name_plural = _("acceptance rounds")
        ordering = ["order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "order", "number"], name="acceptanceround_numbered_once"
            ),
            models.UniqueConstraint(
                fields=["agency", "order"],
                condition=Q(outcome="open"),
                name="acceptanceround_one_open_per_order",
            ),
            models.CheckConstraint(
                condition=Q(outcome="open", next_stage__isnull=False, closed_at__isnull=True)
                | (~Q(outcome="open") & Q(next_stage__isnull=True) & Q(closed_at__isnull=False)),
                name="acceptanceround_open_waits_closed_ended",
            ),
        ]
        indexes = [
            models.Index(
                fields=["agency", "next_stage", "opened_at"],
                condition=Q(outcome="open"),
                name="acceptanceround_waiting",
            ),
            # The reports: rounds closed in a period.
            models.Index(
                fields=["agency", "closed_at"],
                condition=~Q(outcome="open"),
                name="acceptanceround_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} #{self.number} ({self.outcome})"


class Signoff(TenantModel):
    """One stage of one round, signed: passed, or failed with the items that failed."""

    round = models.ForeignKey(AcceptanceRound, on_delete=models.PROTECT, related_name="signoffs")
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices)
    passed = models.BooleanField(_("passed"))
    #: The person who signed; empty when the customer signed (see `signature`).
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(_("signed by"), max_length=150)
    #: The customer's stage: their signature, or the office's verification in its place.
    signature = models.OneToOneField(
        CustomerSignature, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), blank=True, max_length=TEXT_MAX_LENGTH)
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)

    class Meta:
        verbose_name = _("acceptance sign-off")
        verbose_name_plural = _("acceptance sign-offs")
        ordering = ["round", "stage"]
        constraints = [
            # Signing twice, or two supervisors at once: one signature per stage.
            models.UniqueConstraint(
                fields=["agency", "round", "stage"], name="signoff_once_per_stage"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(stage=4, score__gte=1, score__lte=5),
                name="signoff_score_1_to_5_by_customer",
            ),
            models.CheckConstraint(
                condition=Q(stage=4, signature__isnull=False)
                | (~Q(stage=4) & Q(signer__isnull=False)),
                name="signoff_customer_signs_others_are_users",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} stage {self.stage}: {'pass' if self.passed else 'fail'}"


class FailedItem(TenantModel):
    """What failed at a stage, who is responsible, and when it was redone (返工)."""

    signoff = models.ForeignKey(Signoff, on_delete=models.PROTECT, related_name="failed_items")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="failed_items")
    description = models.CharField(_("failed item"), max_length=200)
    from_checklist = models.BooleanField(default=False)
    responsible = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible")
    )
    reworked_at = models.DateTimeField(_("redone"), null=True, blank=True)
    reworked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("failed item")
        verbose_name_plural = _("failed items")
        ordering = ["signoff", "id"]
        indexes = [
            models.Index(
                fields=["agency", "responsible"],
                condition=Q(reworked_at__isnull=True),
                name="faileditem_rework_due",
            )
        ]

    def __str__(self) -> str:
        return self.description
