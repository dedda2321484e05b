"""Reads of the weekly reports; each takes the agency explicitly."""

from datetime import date

from django.db.models import QuerySet

from agency.models import Agency
from reports.models import WeeklyReport


def weekly_reports_for(*, agency: Agency) -> QuerySet[WeeklyReport]:
    return WeeklyReport.objects.filter(agency=agency).select_related("branch", "requested_by")


def report_weeks(*, agency: Agency) -> QuerySet[WeeklyReport, date]:
    """The weeks that have a report, newest first (a page of the list is a few weeks)."""
    return (
        WeeklyReport.objects.filter(agency=agency)
        .order_by("-week")
        .values_list("week", flat=True)
        .distinct()
    )


def reports_of_weeks(*, agency: Agency, weeks: list[date]) -> list[tuple[date, list[WeeklyReport]]]:
    """Each week with its reports: the agency's first, then the branches by name; the
    newest version first (one query)."""
    reports = (
        weekly_reports_for(agency=agency)
        .filter(week__in=weeks)
        .order_by("-week", "branch__name", "branch_id", "-version")
    )
    by_week: dict[date, list[WeeklyReport]] = {week: [] for week in weeks}
    for report in reports:
        by_week[report.week].append(report)
    return [
        (week, sorted(rows, key=lambda r: r.branch_id is not None))
        for week, rows in by_week.items()
    ]
