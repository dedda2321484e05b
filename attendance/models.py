"""Office attendance (DESIGN.md: office hours 8:30–17:30; office staff sign in, with
deductions for late and absent days).

The office's days off are the agency's own `OfficeDayOff` rows, not the complaints'
holiday calendar: attendance sits below complaints in the layers and may not read it.
"""

from datetime import time
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.models import TenantModel

#: Monday to Friday, as `date.weekday()` numbers them.
DEFAULT_WORKING_WEEKDAYS = (0, 1, 2, 3, 4)


def default_working_weekdays() -> list[int]:
    return list(DEFAULT_WORKING_WEEKDAYS)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class AttendancePolicy(TenantModel):
    """The agency's office hours and deductions; an agency without a row has the
    defaults (`attendance.selectors.policy_for`)."""

    starts_at = models.TimeField(_("office opens"), default=time(8, 30))
    ends_at = models.TimeField(_("office closes"), default=time(17, 30))
    grace_minutes = models.PositiveSmallIntegerField(
        _("late after the opening by more than (minutes)"),
        default=5,
        validators=[MaxValueValidator(60)],
    )
    working_weekdays = ArrayField(
        models.PositiveSmallIntegerField(choices=Weekday.choices),
        verbose_name=_("working days"),
        default=default_working_weekdays,
    )
    late_deduction = models.DecimalField(
        _("deduction per late day"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal(0))],
    )
    absence_deduction = models.DecimalField(
        _("deduction per absent day"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal(0))],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance policy")
        verbose_name_plural = _("attendance policies")
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="attendance_policy_once_per_agency"),
        ]

    def __str__(self) -> str:
        return f"attendance policy @ {self.agency_id}"


class AttendanceDay(TenantModel):
    """One office member's day at the office: when they clocked in and out.

    `day` is the date in the agency's time zone. A manager's correction may leave
    `clocked_in_at` empty (the day counts as absent) and records who corrected it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    day = models.DateField(_("day"))
    clocked_in_at = models.DateTimeField(_("clocked in"), null=True, blank=True)
    clocked_out_at = models.DateTimeField(_("clocked out"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    corrected_at = models.DateTimeField(_("corrected"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance day")
        verbose_name_plural = _("attendance days")
        ordering = ["day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "user", "day"], name="attendance_day_once_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(clocked_out_at__isnull=True)
                | models.Q(
                    clocked_in_at__isnull=False, clocked_out_at__gte=models.F("clocked_in_at")
                ),
                name="attendance_day_out_after_in",
            ),
        ]
        indexes = [models.Index(fields=["agency", "day"], name="attendance_day_agency_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.day.isoformat()}"


class OfficeDayOff(TenantModel):
    """A day the office is closed (a public holiday, a company day): nobody is absent."""

    day = models.DateField(_("day"))
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("office day off")
        verbose_name_plural = _("office days off")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="office_day_off_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.name}"
