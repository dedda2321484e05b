"""The agency's pay rules (issue 21): its policy (overtime, statutory holidays, the travel
allowance) and its rates — per job or per hour, by service and level, or for one staff
member (an override)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agency.models import TenantModel
from orders.models import ServiceType
from staff.models import Level, StaffMember


class PayPolicy(TenantModel):
    """One per agency; an agency without a row pays by the defaults (`payroll.rates.policy_for`).
    The multipliers follow the Labour Law's minimums (加班 150%, 法定节假日 300%)."""

    overtime_after_hours = models.DecimalField(
        _("overtime after (hours a day)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(8),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(24))],
    )
    overtime_multiplier = models.DecimalField(
        _("overtime rate (× the hourly rate)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.5"),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(5))],
    )
    holiday_multiplier = models.DecimalField(
        _("statutory holiday rate (× the rate)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(3),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(5))],
    )
    travel_allowance = models.DecimalField(
        _("travel allowance per job"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    # What Hearth proposes by itself (a manager approves each); 0: nothing proposed.
    five_star_reward = models.DecimalField(
        _("reward for a five-star feedback"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Proposed to each staff member of the job; 0: none."),
    )
    late_penalty = models.DecimalField(
        _("penalty for being late to a job"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Proposed for each late check-in; 0: none."),
    )
    no_show_penalty = models.DecimalField(
        _("penalty for a no-show"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Proposed for each job not turned up to; 0: none."),
    )

    class Meta:
        verbose_name = _("pay policy")
        verbose_name_plural = _("pay policies")
        constraints = [models.UniqueConstraint(fields=["agency"], name="pay_policy_once")]


class RateKind(models.TextChoices):
    PIECE = "piece", _("per job")
    HOURLY = "hourly", _("per hour")


class PayRate(TenantModel):
    """What a job of a service pays its staff member. The most particular rate applies: the
    staff member's own, else their level's, else the service's for any level."""

    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level"),
        help_text=_("Empty: any level."),
    )
    staff = models.ForeignKey(
        StaffMember,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
        help_text=_("Only this staff member (an override of the agency's rate)."),
    )
    kind = models.CharField(_("paid"), max_length=8, choices=RateKind.choices)
    amount = models.DecimalField(
        _("rate"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("pay rate")
        verbose_name_plural = _("pay rates")
        ordering = ["service_type", "level", "staff"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "service_type", "level", "staff"],
                name="pay_rate_once",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(staff__isnull=True),
                name="pay_rate_level_or_staff",
                violation_error_message=_("A rate is for a level or for one staff member."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type} {self.level or ''} {self.staff or ''}: {self.amount}"
