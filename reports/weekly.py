"""The weekly satisfaction report's document (每周满意度报告), for head office.

One ISO week of the agency or of one branch, in the agency's language and
time zone: the KPIs against their targets with their twelve-week trends, the
satisfaction surveys of the week (the customers' forms and the office's phone
surveys), the low scores and what became of them, the week's complaints and
their handling, the staff with the best and the worst ratings, and attendance
(punctuality and no-shows) per branch and per staff member, and quality and risk:
inspection scores per branch and staff member (the lowest first) and the emergency plans
overdue for review.

A big week would make a PDF of hundreds of pages: above `SURVEY_ROWS_IN_PDF`
answers the PDF gives the survey table per service type only, and the other
lists (low scores, phone surveys, complaints) show their first
`LIST_ROWS_IN_PDF` rows and how many more there are; the full tables are the
week's CSVs on the reports pages.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.pdf import render_pdf
from complaints.models import Complaint, DeadlineKind, Tier
from complaints.quality import figures as quality_figures
from complaints.quality import selectors as quality_selectors
from complaints.selectors import complaint_log
from feedback import selectors as feedback_selectors
from feedback.policy import policy_for
from feedback.selectors import Result
from orders import figures as order_figures
from reports import formatting
from reports.dashboard import tile_groups
from reports.kpis import Measure, measure
from reports.models import WeeklyReport
from reports.periods import week_period
from reports.trends import stored_trends

SURVEY_ROWS_IN_PDF = 300
LIST_ROWS_IN_PDF = 100
BEST_AND_WORST = 5
TEMPLATE = "reports/weekly_pdf.html"


@dataclass(frozen=True)
class Capped:
    """The first rows of a list, and how many more the PDF leaves to the CSV."""

    rows: list[Any]
    more: int


def _capped(rows: QuerySet[Any]) -> Capped:
    total = rows.count()
    return Capped(rows=list(rows[:LIST_ROWS_IN_PDF]), more=max(0, total - LIST_ROWS_IN_PDF))


@dataclass(frozen=True)
class Built:
    measures: dict[str, Measure]
    pdf: bytes


def build(report: WeeklyReport) -> Built:
    """Measure the report's week and render its PDF (nothing is saved here)."""
    agency = report.agency
    with translation.override(report.language), timezone.override(agency.zone):
        context = _context(report)
        pdf = render_pdf(TEMPLATE, context, language=report.language)
    return Built(measures=context["measures"], pdf=pdf)


def _context(report: WeeklyReport) -> dict[str, Any]:
    agency, branch = report.agency, report.branch
    period = week_period(agency, report.week)
    window: dict[str, Any] = {
        "agency": agency,
        "start": period.start,
        "end": period.end,
        "branch": branch,
    }
    measures = measure(agency=agency, period=period, branch=branch)
    trends = stored_trends(agency=agency, branch=branch, until=report.week, current=measures)

    answers = feedback_selectors.surveys_in_period(**window)
    answered = answers.count()
    low_score = policy_for(agency).low_score
    ranked = _ranked(feedback_selectors.feedback_results_by_staff(**window))
    best_count = min(BEST_AND_WORST, (len(ranked) + 1) // 2)
    return {
        "agency": agency,
        "branch": branch,
        "report": report,
        "period": period,
        "printed_at": timezone.now(),
        "measures": measures,
        "groups": tile_groups(measures, trends=trends),
        "answered": answered,
        "surveys": list(answers) if answered <= SURVEY_ROWS_IN_PDF else None,
        "survey_rows_in_pdf": SURVEY_ROWS_IN_PDF,
        "by_service": feedback_selectors.feedback_results_by_service(**window),
        "phone_surveys": _capped(feedback_selectors.revisit_surveys(**window)),
        "low_score": low_score,
        "low_scores": _capped(
            feedback_selectors.low_scores_with_follow_up(answers, low_score=low_score)
        ),
        "complaints": _complaint_rows(
            _capped(
                complaint_log(
                    agency=agency,
                    received_from=period.start,
                    received_until=period.end,
                    branch=branch,
                )
            )
        ),
        "attendance_tables": [
            (_("Branch"), _attendance(window, "branch")),
            (_("Staff member"), _attendance(window, "staff")),
        ],
        "inspection_tables": [
            (_("Branch"), quality_selectors.results(**window, by="branch")),
            (_("Staff member"), quality_selectors.results(**window, by="staff")),
        ],
        "overdue_reviews": list(
            quality_figures.overdue_reviews(agency=agency, on=min(period.last, agency.today()))
        ),
        "best_staff": ranked[:best_count],
        "worst_staff": list(reversed(ranked))[: min(BEST_AND_WORST, len(ranked) - best_count)],
    }


def _attendance(window: dict[str, Any], by: Literal["staff", "branch"]) -> Capped:
    """The week's punctuality and no-shows per branch or per staff member."""
    rows = _capped(order_figures.attendance_by(**window, by=by))
    return Capped(rows=[order_figures.with_punctuality(r) for r in rows.rows], more=rows.more)


def _ranked(results: list[Result]) -> list[Result]:
    """Best first: the higher average, then more answers, then the name."""
    return sorted(
        results,
        key=lambda r: (-(r["average"] or 0), -r["responses"], r["name_zh"]),
    )


@dataclass(frozen=True)
class ComplaintRow:
    complaint: Complaint
    first_response: str
    #: Whether the handling (hard: resolution, soft: verification) was done in time;
    #: None while it is not done.
    completed_in_time: bool | None
    completed_at: datetime | None


def _complaint_rows(complaints: Capped) -> Capped:
    return Capped(rows=[_complaint_row(c) for c in complaints.rows], more=complaints.more)


def _complaint_row(complaint: Complaint) -> ComplaintRow:
    deadlines = list(complaint.deadlines.all())  # prefetched by the complaint log
    first = next((d for d in deadlines if d.kind == DeadlineKind.FIRST_RESPONSE and d.met_at), None)
    completing_kind = (
        DeadlineKind.RESOLUTION if complaint.tier == Tier.HARD else DeadlineKind.VERIFICATION
    )
    completing = next((d for d in deadlines if d.kind == completing_kind and d.met_at), None)
    waited: timedelta | None = (
        None if first is None or first.met_at is None else first.met_at - complaint.received_at
    )
    return ComplaintRow(
        complaint=complaint,
        first_response=formatting.duration(
            None if waited is None else Decimal(round(waited.total_seconds()))
        ),
        completed_in_time=None if completing is None else completing.breached_at is None,
        completed_at=None if completing is None else completing.met_at,
    )
