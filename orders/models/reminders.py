"""The timed messages about tomorrow: which agency's run went out for which day, and each
customer's day-before confirmation (DESIGN.md: the customer is called the day before).

DESIGN.md, "Timers": the sweep claims a run by inserting its row, which a unique
constraint admits once per agency, kind and day, so a duplicate beat or a restarted
worker writes nothing twice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.models import TenantModel
from orders.models.orders import Order

#: The longest change a customer may ask for on the day-before link.
REQUEST_MAX_CHARS = 300


class ReminderKind(models.TextChoices):
    DAY_BEFORE = "day_before", _("Customers asked to confirm tomorrow's service")
    JOBS_TOMORROW = "jobs_tomorrow", _("Staff reminded of tomorrow's jobs")


class ReminderRun(TenantModel):
    """One agency's messages of one kind about the jobs of `day` have been written."""

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    day = models.DateField(_("day of the jobs"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder run")
        verbose_name_plural = _("reminder runs")
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "day"], name="reminder_run_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.kind} {self.day}"


class DayBeforeAnswer(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CHANGE_ASKED = "change_asked", _("Asked for a change")


class DayBeforeCheck(TenantModel):
    """The customer asked, the day before, to confirm the order or ask for a change.

    Once per order; its signed link names this row and is spent once it is answered.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="day_before_checks")
    sent_at = models.DateTimeField(auto_now_add=True)
    answer = models.CharField(
        _("answer"), max_length=20, choices=DayBeforeAnswer.choices, blank=True
    )
    request_text = models.CharField(_("change asked for"), max_length=REQUEST_MAX_CHARS, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("day-before confirmation")
        verbose_name_plural = _("day-before confirmations")
        constraints = [
            models.UniqueConstraint(fields=["agency", "order"], name="day_before_once_per_order")
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.answer or '…'}"
