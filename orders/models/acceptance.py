"""Acceptance (验收): four signed stages in order, rounds, failed items and rework.

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
from orders.models.orders import CustomerSignature, Order
from staff.models import StaffMember


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
