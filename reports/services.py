"""Writes of the reports: the Monday sweep, building a report, regenerating one.

DESIGN.md, "Timers": each agency's next report time is a column
(`ReportSchedule.next_report_at`, Monday 08:00 in the agency's time zone).
The sweep (beat, every minute) claims the due schedules with
`select_for_update(skip_locked=True)`, writes the previous ISO week's report
rows — the agency's and one per active branch, each once by a unique
constraint — and moves the schedule to the next Monday, all in one
transaction. Building a report is a task per row, started after commit; the
sweep also restarts every pending row whose time has come, so a flushed
Redis or a killed worker delays a report but never loses or doubles it. A
failed build is retried with backoff and, after `MAX_ATTEMPTS`, shows as
failed on the reports page until a manager regenerates it.
"""

import logging
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.models import Agency, Branch, Channel, Membership, Role
from agency.notifications import message_queue
from agency.queueing import enqueue_on_commit
from reports.kpis import to_json
from reports.models import ReportSchedule, ReportStatus, WeeklyReport
from reports.weekly import build

logger = logging.getLogger(__name__)

BUILD_TASK = "reports.tasks.build_weekly_report"
MAX_ATTEMPTS = 5
#: When the report of the week before is due: Monday (weekday 0) at 08:00, local time.
REPORT_WEEKDAY = 0
REPORT_TIME = time(8, 0)


# --- the schedule ------------------------------------------------------------------------


def last_report_time(agency: Agency, moment: datetime) -> datetime:
    """The latest Monday 08:00 in the agency's time zone at or before `moment`."""
    local = timezone.localtime(moment, agency.zone)
    monday = local.date() - timedelta(days=(local.weekday() - REPORT_WEEKDAY) % 7)
    run = _at_report_time(agency, monday)
    return run if run <= moment else _at_report_time(agency, monday - timedelta(days=7))


def _at_report_time(agency: Agency, day: date) -> datetime:
    return datetime.combine(day, REPORT_TIME, tzinfo=agency.zone)


def _first_report_time(agency: Agency, now: datetime) -> datetime:
    """An agency's first report: the latest Monday 08:00 if the agency existed then (its
    last full week gets a report now), else the next one."""
    latest = last_report_time(agency, now)
    if agency.created_at <= latest:
        return latest
    return _at_report_time(agency, latest.date() + timedelta(days=7))


def ensure_schedules(*, now: datetime) -> int:
    """A schedule row for each agency that has none yet; how many were added."""
    missing = Agency.objects.exclude(pk__in=ReportSchedule.objects.values("agency_id")).order_by(
        "pk"
    )
    added = ReportSchedule.objects.bulk_create(
        [
            ReportSchedule(agency=agency, next_report_at=_first_report_time(agency, now))
            for agency in missing
        ],
        ignore_conflicts=True,
    )
    return len(added)


# --- the sweep ---------------------------------------------------------------------------


def sweep_weekly_reports(*, now: datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Write the reports that are due and start every pending build whose time has come.
    Safe to run twice or concurrently."""
    now = now or timezone.now()
    ensure_schedules(now=now)
    written = _write_due_reports(now=now, limit=limit)
    return {"written": written, "started": _start_pending(now=now, limit=limit)}


def _write_due_reports(*, now: datetime, limit: int) -> int:
    written = 0
    with transaction.atomic():
        due = (
            ReportSchedule.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("agency")
            .filter(next_report_at__lte=now)
            .order_by("next_report_at")[:limit]
        )
        for schedule in due:
            agency = schedule.agency
            run = last_report_time(agency, now)
            week = timezone.localtime(run, agency.zone).date() - timedelta(days=7)
            written += write_week_reports(agency, week)
            schedule.next_report_at = _at_report_time(agency, run.date() + timedelta(days=7))
            schedule.save(update_fields=["next_report_at"])
    return written


def write_week_reports(agency: Agency, week: date) -> int:
    """Version 1 of the week's reports: the agency's and each active branch's. A row that
    exists already is left alone (the unique constraint decides)."""
    branches: list[Branch | None] = [None]
    branches += list(Branch.objects.filter(agency=agency, is_active=True).order_by("pk"))
    rows = WeeklyReport.objects.bulk_create(
        [
            WeeklyReport(
                agency=agency,
                branch=branch,
                week=week,
                version=1,
                language=agency.default_language,
            )
            for branch in branches
        ],
        ignore_conflicts=True,
    )
    return len(rows)


def _start_pending(*, now: datetime, limit: int) -> int:
    """Ask a worker to build each pending report whose time has come."""
    pending = list(
        WeeklyReport.objects.filter(status=ReportStatus.PENDING, next_attempt_at__lte=now)
        # Oldest week first: a report's trends read the weeks before it.
        .order_by("next_attempt_at", "week")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in pending:
        _start_build(pk)
    return len(pending)


def _start_build(report_id: int) -> None:
    enqueue_on_commit(BUILD_TASK, args=[report_id])


# --- building a report -------------------------------------------------------------------


def build_weekly_report(report_id: int) -> bool:
    """Build one pending report: measure its week, render and store its PDF, and email the
    agency's Monday report to its managers. True if it was built now; False if it was
    built already, is being built by another worker, or failed (retried later)."""
    with transaction.atomic():
        report = (
            WeeklyReport.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("agency", "branch", "requested_by")
            .filter(pk=report_id, status=ReportStatus.PENDING)
            .first()
        )
        if report is None:
            return False
        try:
            with transaction.atomic():
                built = build(report)
                report.measures = to_json(built.measures)
                report.pdf.save(_filename(report), ContentFile(built.pdf), save=False)
                report.status = ReportStatus.READY
                report.generated_at = timezone.now()
                report.attempts += 1
                report.last_error = ""
                report.save()
                if report.branch_id is None and report.version == 1 and not report.emailed_at:
                    _email_managers(report)
        except Exception as error:  # noqa: BLE001 - any failure is retried, then shown
            _failed(report, error)
            return False
    return True


def _filename(report: WeeklyReport) -> str:
    scope = "agency" if report.branch_id is None else f"branch-{report.branch_id}"
    return f"weekly-{report.agency_id}-{scope}-{report.week:%G-W%V}-v{report.version}.pdf"


def _failed(report: WeeklyReport, error: Exception) -> None:
    report.attempts += 1
    report.last_error = f"{type(error).__name__}: {error}"[:500]
    # Backoff: 1, 2, 4, 8 minutes; then it needs a person (a regeneration).
    report.next_attempt_at = timezone.now() + timedelta(minutes=2 ** (report.attempts - 1))
    if report.attempts >= MAX_ATTEMPTS:
        report.status = ReportStatus.FAILED
    report.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
    logger.warning(
        "weekly report %s not built (attempt %s)", report.pk, report.attempts, exc_info=error
    )


def _email_managers(report: WeeklyReport) -> None:
    """The PDF to each active manager with an email address, through the outbox (sent after
    commit, retried until it goes); once, as the report is built once."""
    agency = report.agency
    managers = Membership.objects.filter(
        agency=agency, role=Role.MANAGER, is_active=True, user__is_active=True
    ).select_related("user")
    with translation.override(report.language):
        subject = _("Weekly satisfaction report %(week)s — %(agency)s") % {
            "week": f"{report.week:%G-W%V}",
            "agency": agency.name,
        }
        body = _(
            "The satisfaction report of the week from %(first)s to %(last)s is attached. "
            "The branches' reports are on the reports page."
        ) % {
            "first": report.week.isoformat(),
            "last": (report.week + timedelta(days=6)).isoformat(),
        }
    for membership in managers:
        if membership.user.email:
            message_queue(
                agency=agency,
                channel=Channel.EMAIL,
                recipient=membership.user.email,
                subject=subject,
                body=body,
                attachment=report.pdf.name or "",
            )
    report.emailed_at = timezone.now()
    report.save(update_fields=["emailed_at"])


# --- a manager's regeneration ------------------------------------------------------------


class ReportConflict(StateConflict):
    """The report cannot be regenerated now."""


@transaction.atomic
def regenerate_weekly_report(*, report: WeeklyReport, actor: Actor) -> WeeklyReport:
    """The next version of the report's week and branch, built by a worker; the earlier
    versions stay as they were."""
    # Lock the week's versions: two managers at once get two consecutive versions.
    siblings = WeeklyReport.objects.select_for_update().filter(
        agency=report.agency, branch=report.branch, week=report.week
    )
    if siblings.filter(status=ReportStatus.PENDING).exists():
        raise ReportConflict(_("This report is being prepared already."))
    latest = siblings.aggregate(latest=Max("version"))["latest"] or 0
    new = WeeklyReport.objects.create(
        agency=report.agency,
        branch=report.branch,
        week=report.week,
        version=latest + 1,
        language=report.agency.default_language,
        requested_by=actor.user,
    )
    audit_record(agency=report.agency, actor=actor, action="weekly_report.regenerate", target=new)
    _start_build(new.pk)
    return new
