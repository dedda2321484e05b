"""Pay periods and statements (issue 21). A statement is one staff member's pay for one
period, computed from the period's jobs and placement days, plus rewards and minus
penalties; every line names what it pays for. Draft (or needing attention) while it may
be computed again; approved by finance; paid, then never changed again."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agency.models import TenantModel
from orders.models import Assignment
from placements.models import Placement
from staff.models import StaffMember


class PayPeriod(TenantModel):
    """The days a round of statements pays for (a calendar month by default)."""

    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pay period")
        verbose_name_plural = _("pay periods")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "starts_on"], name="pay_period_once"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="pay_period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y-%m}"


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    #: A line could not be computed (a rate missing, hours not recorded): named on it.
    ATTENTION = "attention", _("Needs attention")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")


#: A statement the computation may still replace.
OPEN = (StatementStatus.DRAFT, StatementStatus.ATTENTION)


class PayStatement(TenantModel):
    period = models.ForeignKey(
        PayPeriod, on_delete=models.PROTECT, related_name="statements", verbose_name=_("period")
    )
    staff = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    #: The staff member's language when computed: the lines and the PDF are worded in it.
    language = models.CharField(_("language"), max_length=8)
    #: Sums of the lines (each line rounded once to the cent when computed).
    earnings = models.DecimalField(_("earnings"), max_digits=12, decimal_places=2, default=0)
    deductions = models.DecimalField(_("deductions"), max_digits=12, decimal_places=2, default=0)
    net = models.DecimalField(_("net pay"), max_digits=12, decimal_places=2, default=0)
    computed_at = models.DateTimeField(_("computed"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("pay statement")
        verbose_name_plural = _("pay statements")
        ordering = ["period", "staff__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "staff"], name="pay_statement_once"),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False),
                name="pay_statement_paid_when",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "staff", "period"], name="pay_statement_staff"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.staff}"


class LineKind(models.TextChoices):
    PIECE = "piece", _("Job (piece rate)")
    HOURLY = "hourly", _("Job (hours)")
    OVERTIME = "overtime", _("Overtime")
    HOLIDAY = "holiday", _("Statutory holiday supplement")
    WAGE = "wage", _("Placement wage")
    TRAVEL = "travel", _("Travel allowance")
    REWARD = "reward", _("Reward")
    PENALTY = "penalty", _("Penalty")
    DEDUCTION = "deduction", _("Deduction")
    CORRECTION = "correction", _("Correction of an earlier period")


class PayLine(TenantModel):
    """One line of a statement, traceable to the job, the placement or the decision it
    pays for; `problem` says why it could not be computed (and the amount is then 0)."""

    statement = models.ForeignKey(PayStatement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=10, choices=LineKind.choices)
    day = models.DateField(_("date"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    rate = models.DecimalField(_("rate"), max_digits=10, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adjustment = models.ForeignKey(
        "payroll.PayAdjustment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    problem = models.CharField(_("needs attention"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pay line")
        verbose_name_plural = _("pay lines")
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "position"], name="pay_line_position"),
        ]

    def __str__(self) -> str:
        return self.description
