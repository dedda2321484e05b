"""Following a placement while it runs (issue 20): the agency's policy for it, the
customer's answer at the end of the trial, and the renewal reminder sent once."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.models import TenantModel
from orders.models import Assignment
from placements.models.placements import Placement


class PlacementPolicy(TenantModel):
    """The agency's settings for running placements; an agency without a row has the
    defaults (`placements.during.policy_for`)."""

    replacement_fee = models.DecimalField(
        _("fee for a replacement beyond the free ones"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(0)],
    )
    renewal_notice_days = models.PositiveSmallIntegerField(
        _("renewal reminder (days before the last day)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    first_check_in_days = models.PositiveSmallIntegerField(
        _("first check-in call (days after the start)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    check_in_every_days = models.PositiveSmallIntegerField(
        _("then a check-in every (days)"),
        default=30,
        validators=[MinValueValidator(7), MaxValueValidator(90)],
    )

    class Meta:
        verbose_name = _("placement policy")
        verbose_name_plural = _("placement policies")
        constraints = [models.UniqueConstraint(fields=["agency"], name="placement_policy_once")]


class TrialChoice(models.TextChoices):
    CONFIRM = "confirm", _("Keep the staff member")
    REPLACE = "replace", _("Ask for a replacement")


class TrialDecision(TenantModel):
    """The customer's answer at the end of the trial about the staff member in place;
    once per staff member (a replacement starts a new trial answer)."""

    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="trial_decisions"
    )
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("answer"), max_length=8, choices=TrialChoice.choices)
    reason = models.TextField(_("reason"), blank=True, max_length=TEXT_MAX_LENGTH)
    #: Within the placement's free replacements (no fee).
    free = models.BooleanField(default=True)
    #: The agency's replacement fee when beyond the free ones (charged to the customer by
    #: `placements.billing.replacement_fee_charge_add`).
    fee = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"))
    #: The newcomer's assignment, once the office chose them (`assignment_replace`).
    replacement = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("trial answer")
        verbose_name_plural = _("trial answers")
        ordering = ["answered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "assignment"], name="trial_decision_once_per_staff"
            )
        ]


class RenewalReminder(TenantModel):
    """That the dispatcher and the customer were reminded of a placement's renewal: once
    per last day (a renewal gives the placement a new one, reminded of in its turn)."""

    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="renewal_reminders"
    )
    ends_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("renewal reminder")
        verbose_name_plural = _("renewal reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "ends_on"], name="renewal_reminder_once_per_last_day"
            )
        ]
