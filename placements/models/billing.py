"""What a placement bills (issue 20): its schedule of charges and the settlement at its end.

A charge is one row per placement, kind and period, so a sweep that runs twice bills it
once; the invoice it went onto is billing's (orders.billing), never a second numbering.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agency.models import TenantModel
from orders.models import Invoice, Refund
from placements.models.placements import Placement


class ChargeKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    SERVICE = "service", _("Service price")
    WAGE = "wage", _("Staff wage collected by the agency")
    FEE = "fee", _("Agency's service fee")
    #: A replacement beyond the free ones, after the trial (`TrialDecision.fee`).
    REPLACEMENT = "replace", _("Replacement fee")


class ChargeState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    INVOICED = "invoiced", _("Invoiced")
    CANCELLED = "cancelled", _("Cancelled")


class PlacementCharge(TenantModel):
    """One scheduled charge of a placement: what, for which days, how much, when due."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="charges", verbose_name=_("placement")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ChargeKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    due_on = models.DateField(_("due"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    state = models.CharField(
        _("state"), max_length=10, choices=ChargeState.choices, default=ChargeState.PLANNED
    )
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invoice"),
    )

    class Meta:
        verbose_name = _("placement charge")
        verbose_name_plural = _("placement charges")
        ordering = ["due_on", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind", "period_start"], name="placementcharge_once"
            ),
            models.CheckConstraint(
                condition=~Q(state="invoiced") | Q(invoice__isnull=False),
                name="placementcharge_invoiced_names_invoice",
            ),
        ]
        indexes = [
            # The sweep: charges still to bill, by due date.
            models.Index(
                fields=["due_on"], condition=Q(state="planned"), name="placementcharge_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_start}: {self.amount}"


class SettlementKind(models.TextChoices):
    ENDED = "ended", _("Ended on the last day")
    TERMINATED = "terminated", _("Terminated early")


class Settlement(TenantModel):
    """The figures when a placement ends: days served, what was credited back, the deposit
    returned less the agreed deductions (a refund a manager approves)."""

    placement = models.OneToOneField(
        Placement, on_delete=models.CASCADE, related_name="settlement", verbose_name=_("placement")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SettlementKind.choices)
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    days_served = models.PositiveIntegerField(_("days served"))
    credited = models.DecimalField(_("credited for unserved days"), max_digits=12, decimal_places=2)
    deposit = models.DecimalField(_("deposit"), max_digits=12, decimal_places=2)
    deductions = models.DecimalField(_("deductions"), max_digits=12, decimal_places=2)
    deduction_reason = models.CharField(_("reason for deductions"), max_length=300, blank=True)
    deposit_returned = models.DecimalField(_("deposit returned"), max_digits=12, decimal_places=2)
    refund = models.ForeignKey(
        Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_charges = models.PositiveIntegerField(_("charges cancelled"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")

    def __str__(self) -> str:
        return f"{self.placement_id}: {self.kind} {self.last_day}"
