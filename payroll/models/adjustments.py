"""Rewards, penalties and deductions on a staff member's pay (issue 21), and corrections of a
paid statement. Each is proposed with its reason (by a supervisor, or by Hearth from what
happened: a five-star feedback, an upheld complaint) and approved by a manager; the next
statement approved takes it, once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.models import TenantModel
from payroll.models.statements import PayStatement
from staff.models import StaffMember


class AdjustmentKind(models.TextChoices):
    REWARD = "reward", _("Reward")
    PENALTY = "penalty", _("Penalty")
    DEDUCTION = "deduction", _("Deduction")
    CORRECTION = "correction", _("Correction")


class AdjustmentReason(models.TextChoices):
    FIVE_STAR = "five_star", _("Five-star feedback")
    PRAISE = "praise", _("Written praise")
    REFERRAL = "referral", _("Referral")
    COMPLAINT = "complaint", _("Complaint upheld")
    LATENESS = "lateness", _("Late for a job")
    NO_SHOW = "no_show", _("No-show")
    UNDER_COLLECTED = "under_collected", _("Money lost through poor work")
    CORRECTION = "correction", _("Correction of a paid statement")
    OTHER = "other", _("Other")


class AdjustmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PayAdjustment(TenantModel):
    staff = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AdjustmentKind.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=AdjustmentReason.choices)
    #: Signed: a reward adds, a penalty or a deduction takes away, a correction either.
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    note = models.TextField(_("why"), max_length=TEXT_MAX_LENGTH)
    #: What it comes from, once ("complaint:12", "feedback:40"); empty for one by hand.
    source = models.CharField(max_length=100, blank=True)
    link = models.CharField(max_length=300, blank=True)
    #: The paid statement a correction corrects.
    corrects = models.ForeignKey(
        PayStatement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AdjustmentStatus.choices,
        default=AdjustmentStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    #: The statement that paid or deducted it: set when that statement is approved.
    settled_in = models.ForeignKey(
        PayStatement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("pay adjustment")
        verbose_name_plural = _("rewards and penalties")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "source"], condition=~Q(source=""), name="pay_adjustment_once"
            ),
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="pay_adjustment_submission_once"
            ),
            models.CheckConstraint(
                condition=(Q(kind="reward") & Q(amount__gt=0))
                | (Q(kind__in=["penalty", "deduction"]) & Q(amount__lt=0))
                | (Q(kind="correction") & ~Q(amount=0)),
                name="pay_adjustment_sign_by_kind",
            ),
        ]
        indexes = [
            # The statements' computation: approved, not yet settled, per staff member.
            models.Index(
                fields=["agency", "staff"],
                condition=Q(status="approved", settled_in__isnull=True),
                name="pay_adjustment_unsettled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.kind} {self.amount}"
