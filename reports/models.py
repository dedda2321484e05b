"""The weekly satisfaction report (每周满意度报告) and the agency's report schedule.

DESIGN.md, "Timers": the Monday report is a deadline column
(`ReportSchedule.next_report_at`), not a Celery countdown. The beat sweep claims
the schedules that are due, writes the week's report rows (one per agency and
per branch, guarded by a unique constraint) and moves the schedule on; a task
then builds each report. A manager may regenerate a report: that writes the
next version and keeps the earlier ones.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.models import Branch, TenantModel


class ReportSchedule(TenantModel):
    """When the agency's next weekly report is due (Monday 08:00 in its time zone)."""

    next_report_at = models.DateTimeField(_("next report"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="report_schedule_one_per_agency")
        ]
        indexes = [models.Index(fields=["next_report_at"], name="report_schedule_due")]

    def __str__(self) -> str:
        return f"{self.agency_id} → {self.next_report_at:%Y-%m-%d %H:%M}"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class WeeklyReport(TenantModel):
    """One version of the satisfaction report of an ISO week, for the agency (no branch)
    or one branch. `measures` keeps the week's KPI values (the dashboard's trends read
    them), `content` everything else the PDF shows, so an old version stays as it was."""

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    week = models.DateField(_("week of"), help_text=_("The Monday the ISO week starts on."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    #: The week's KPI values (`reports.kpis.to_json`): the trends read them.
    measures = models.JSONField(default=dict, blank=True)
    pdf = models.FileField(upload_to="reports/%Y/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who asked for this version; empty for the Monday run."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        ordering = ["-week", "branch_id", "-version"]
        constraints = [
            # The agency's own report has no branch: NULLs must clash too.
            models.UniqueConstraint(
                fields=["agency", "branch", "week", "version"],
                name="weekly_report_once_per_version",
                nulls_distinct=False,
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "branch", "-week"], name="weekly_report_by_week"),
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="weekly_report_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week:%G-W%V} v{self.version}"
