"""Celery tasks of the reports: the Monday sweep, and building one report."""

from celery import shared_task

from reports import services


@shared_task(name="reports.tasks.sweep_weekly_reports")
def sweep_weekly_reports() -> dict[str, int]:
    """Write the week's reports when an agency's Monday 08:00 has come; start pending
    builds. Idempotent: each report is written once (a unique constraint)."""
    return services.sweep_weekly_reports()


@shared_task(name="reports.tasks.build_weekly_report")
def build_weekly_report(report_id: int) -> bool:
    """Build one pending report; a second delivery finds it built (or locked) and stops."""
    return services.build_weekly_report(report_id)
