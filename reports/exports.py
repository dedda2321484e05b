"""The tables behind the dashboard's KPIs: the rows each figure counts, as a page and as CSV.

A KPI links to the rows behind it, and each table exports as CSV. Each table lists
exactly the rows its KPI counts, with the definitions of the figure selectors
(`orders.figures`, `orders.billing.figures`, `staff.figures`, `feedback.figures`,
`complaints.figures`): the period is `[period.start, period.end)` in the agency's
time zone, and a branch narrows the rows the way the figure does (the order's
branch, the invoice's, the complaint's, the staff member's home branch).

A table's `rows` is one queryset of the agency: related rows are joined and
sums and flags are annotated in the database, so listing a page or streaming
the CSV runs the same few queries whatever the number of rows. Columns give
raw values; `shown` writes them as the agency reads them (labels of choices
in the active language, times in the agency's time zone as `YYYY-MM-DD HH:MM`,
money with two places).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.db.models import CharField, Count, F, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agency.models import Agency, Branch, User
from complaints import figures as complaint_figures
from complaints import selectors as complaint_selectors
from complaints.incidents import selectors as incident_selectors
from complaints.models import Compensation, CompensationStatus, DeadlineKind
from complaints.quality import figures as quality_figures
from feedback import figures as feedback_figures
from feedback import selectors as feedback_selectors
from feedback.models import RevisitStatus
from orders import figures as order_figures
from orders import selectors as order_selectors
from orders.billing import selectors as billing_selectors
from orders.billing.models import Payment, PaymentMethod, Refund, RefundStatus
from orders.intake import selectors as intake_selectors
from orders.intake.models import CancellationStatus
from orders.models import OrderEvent, OrderStatus, Punctuality
from orders.service import selectors as service_selectors
from orders.service.models import RoundOutcome
from reports import formatting
from reports.kpis import CERTIFICATES_WITHIN_DAYS
from reports.periods import Period
from staff import selectors as staff_selectors
from staff.models import EmploymentStatus, StaffMember

#: A table's rows: (agency, period, branch or None, the request's query) → queryset.
Rows = Callable[[Agency, Period, Branch | None, Mapping[str, str]], QuerySet[Any]]
#: A column: its header and what it takes from a row.
Column = tuple[Promise, Callable[[Any], Any]]

CENTS = Decimal("0.01")

#: The order moves the dashboard counts, and the `to` values its links send.
MOVES = (OrderStatus.CONFIRMED, OrderStatus.ACCEPTED, OrderStatus.CANCELLED)


@dataclass(frozen=True)
class Table:
    key: str
    title: Promise
    columns: list[Column]
    rows: Rows

    def headers(self) -> list[str]:
        return [str(header) for header, _value in self.columns]

    def cells(self, row: Any, zone: ZoneInfo) -> list[str]:
        """The row's values as text, in the column order."""
        return [shown(value(row), zone) for _header, value in self.columns]


def shown(value: Any, zone: ZoneInfo) -> str:
    """A value as the agency reads it: times in its zone, money with two places."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime):
        return timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(CENTS))
    return str(value)


def field(path: str) -> Callable[[Any], Any]:
    """The value at a dotted path of a row ("order.customer.name", "get_status_display");
    None when a relation on the way is empty; a method at the end is called."""

    def value(row: Any) -> Any:
        for name in path.split("."):
            if row is None:
                return None
            row = row[name] if isinstance(row, dict) else getattr(row, name)
        return row() if callable(row) else row

    return value


def person(path: str) -> Callable[[Any], Any]:
    """A user's full name, else their login."""
    user_at = field(path)

    def value(row: Any) -> str | None:
        user: User | None = user_at(row)
        return None if user is None else (user.get_full_name() or user.username)

    return value


def _in_period(rows: QuerySet[Any], moment: str, period: Period) -> QuerySet[Any]:
    return rows.filter(**{f"{moment}__gte": period.start, f"{moment}__lt": period.end})


def _of_branch(rows: QuerySet[Any], lookup: str, branch: Branch | None) -> QuerySet[Any]:
    return rows if branch is None else rows.filter(**{lookup: branch})


def _in_period_of_branch(
    rows: QuerySet[Any], moment: str, period: Period, lookup: str, branch: Branch | None
) -> QuerySet[Any]:
    """Rows whose `moment` falls in the period, of the branch if one is chosen, in the order
    they happened: how each list of things that happened in the period is drawn."""
    return _of_branch(_in_period(rows, moment, period), lookup, branch).order_by(moment, "id")


def _figure_args(agency: Agency, period: Period, branch: Branch | None) -> dict[str, Any]:
    return {"agency": agency, "start": period.start, "end": period.end, "branch": branch}


# --- orders --------------------------------------------------------------------------------


def orders_taken(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Orders created in the period (`order_counts`' "taken")."""
    orders = order_selectors.orders_for(agency=agency)
    return _in_period_of_branch(orders, "created_at", period, "branch", branch)


def order_moves(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Moves to confirmed, accepted or cancelled in the period (`order_counts`), or to the
    one status `to` names. An order moved twice shows twice; the figure counts it once."""
    to = query.get("to")
    statuses = [to] if to in MOVES else list(MOVES)
    events = OrderEvent.objects.filter(agency=agency, to_status__in=statuses).select_related(
        "order", "actor"
    )
    return _in_period_of_branch(events, "created_at", period, "order__branch", branch)


def cancellations(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Cancellations approved in the period, with their fee (`cancellation_fees`)."""
    approved = intake_selectors.cancellations_for(agency=agency).filter(
        status=CancellationStatus.APPROVED
    )
    return _in_period_of_branch(approved, "decided_at", period, "order__branch", branch)


def acceptance_rounds(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Acceptance rounds closed in the period (`acceptance_rates`)."""
    rounds = service_selectors.acceptance_rounds_for(agency=agency).exclude(
        outcome=RoundOutcome.OPEN
    )
    return _in_period_of_branch(rounds, "closed_at", period, "order__branch", branch)


# --- feedback and revisits -----------------------------------------------------------------


def feedback(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """The customers' answers submitted in the period (`satisfaction`)."""
    answers = feedback_selectors.feedback_in_period(
        agency=agency, start=period.start, end=period.end
    ).select_related("request__order", "request__customer")
    return _of_branch(answers, "request__order__branch", branch).order_by("submitted_at", "id")


def participation(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Orders accepted in the period, each once, and whether the customer answered
    (`participation`); with the first acceptance in the period."""
    accepted_at = (
        _in_period(
            OrderEvent.objects.filter(order=OuterRef("pk"), to_status=OrderStatus.ACCEPTED),
            "created_at",
            period,
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return (
        feedback_figures.accepted_orders(**_figure_args(agency, period, branch))
        .select_related("customer", "branch")
        .annotate(accepted_at=Subquery(accepted_at))
        .order_by("accepted_at", "id")
    )


def revisits(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Revisits due in the period, the dropped ones left out (`revisit_completion`)."""
    due = feedback_selectors.revisits_for(agency=agency).exclude(status=RevisitStatus.DROPPED)
    return _in_period_of_branch(due, "due_at", period, "order__branch", branch)


# --- complaints ----------------------------------------------------------------------------


def complaints(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Complaints received in the period (`counts_by_tier`), with their first response
    (the earliest met first-response deadline, as `average_first_response` takes it)."""
    received = _in_period(complaint_selectors.complaints_for(agency=agency), "received_at", period)
    return (
        _of_branch(received, "branch", branch)
        .annotate(
            first_response_at=Min(
                "deadlines__met_at", filter=Q(deadlines__kind=DeadlineKind.FIRST_RESPONSE)
            )
        )
        .order_by("received_at", "id")
    )


def breaches(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Deadlines breached and still open at the period's end, or now (`open_breaches`)."""
    return (
        complaint_figures.open_breach_deadlines(**_figure_args(agency, period, branch))
        .select_related("complaint__branch")
        .order_by("due_at", "id")
    )


def resolved_complaints(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Complaints resolved in the period (`average_resolution`), the longest first."""
    resolved = _in_period(complaint_selectors.complaints_for(agency=agency), "resolved_at", period)
    return _of_branch(resolved, "branch", branch).order_by(
        F("received_at") - F("resolved_at"), "id"
    )


def _resolution_time(row: Any) -> str:
    """Hours and minutes, as the KPI reads them."""
    return formatting.duration(Decimal(round((row.resolved_at - row.received_at).total_seconds())))


# --- quality and risk (issue 19) ---------------------------------------------------------


def inspections(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Inspections made in the period (`inspection_score`), the lowest score first."""
    rows = quality_figures.inspections_in(**_figure_args(agency, period, branch))
    return rows.select_related("order", "branch", "staff", "inspector").order_by(
        "percent", "inspected_at", "id"
    )


def _inspections_by(by: Literal["staff", "branch"]) -> Rows:
    def rows(
        agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
    ) -> QuerySet[Any]:
        return quality_figures.results_by(**_figure_args(agency, period, branch), by=by)

    return rows


def inspection_plans(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """The plans running in the period (`inspections_done`) with what they have done."""
    plans = quality_figures.plans_running_in(**_figure_args(agency, period, branch))
    return (
        plans.select_related("branch", "staff", "checklist")
        .annotate(done=Count("inspections"))
        .order_by("starts_on", "id")
    )


def risk_reviews_overdue(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Emergency plans overdue for review (`risk_reviews_overdue`); the agency's, any branch."""
    return quality_figures.overdue_reviews(agency=agency, on=min(period.last, agency.today()))


def incidents(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Incidents reported in the period (`incidents`), never data-protection ones: the
    dashboard's readers include supervisors."""
    reported = incident_selectors.incidents_for(agency=agency, data_protection=False)
    return _in_period_of_branch(
        reported.select_related("branch", "staff"), "reported_at", period, "branch", branch
    )


def compensation_paid(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Compensation paid in the period (`compensation_figures`)."""
    paid = Compensation.objects.filter(agency=agency, status=CompensationStatus.PAID)
    return _in_period_of_branch(
        paid.select_related("complaint__branch"), "paid_at", period, "complaint__branch", branch
    )


def repeat_problems(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Complaints received in the period that repeat an earlier problem (`repeat_problems`)."""
    received = _in_period_of_branch(
        complaint_selectors.complaints_for(agency=agency), "received_at", period, "branch", branch
    )
    marked = complaint_selectors.with_repeats(received, agency)
    return marked.filter(Q(repeat_customer=True) | Q(repeat_staff=True))


def root_causes(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Complaints closed in the period with their root cause (`root_causes`)."""
    closed = complaint_selectors.complaints_for(agency=agency).exclude(root_cause="")
    return _in_period_of_branch(closed, "closed_at", period, "branch", branch)


def _average_percent(row: dict[str, Any]) -> str:
    return f"{Decimal(row['average']).quantize(CENTS)}%"


# --- staff ---------------------------------------------------------------------------------


def staff(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """The active staff (`utilisation`, `training_coverage`) and the staff who left in the
    period (`turnover`), with their trainings in the year of the period's last day."""
    left_in_period = Q(left_on__gte=period.first, left_on__lt=period.last + timedelta(days=1))
    members = StaffMember.objects.filter(
        Q(status=EmploymentStatus.ACTIVE) | left_in_period, agency=agency
    ).select_related("home_branch")
    members = staff_selectors.trainings_count_this_year(members, agency=agency, today=period.last)
    return _of_branch(members, "home_branch", branch).order_by("name", "id")


def certificates(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Certificates of active staff expiring from today to 30 days later, both included
    (`certificates_expiring`: a certificate already renewed still counts, unlike the
    certificates page)."""
    today = agency.today()
    expiring = staff_selectors.certificates_for(agency=agency).filter(
        staff__status=EmploymentStatus.ACTIVE,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=CERTIFICATES_WITHIN_DAYS),
    )
    return _of_branch(expiring, "staff__home_branch", branch).order_by("expires_on", "id")


# --- attendance ----------------------------------------------------------------------------


def attendance(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """The arrivals recorded for the period's assignments (`attendance`), or those of the
    one punctuality the query names (the no-shows)."""
    recorded = order_figures.attendance_recorded(**_figure_args(agency, period, branch))
    if query.get("punctuality") in Punctuality.values:
        recorded = recorded.filter(punctuality=query["punctuality"])
    return recorded.select_related("order__branch", "staff").order_by("period", "id")


def _attendance_by(by: Literal["staff", "branch"]) -> Rows:
    def rows(
        agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
    ) -> QuerySet[Any]:
        return order_figures.attendance_by(**_figure_args(agency, period, branch), by=by)

    return rows


def _punctuality(row: dict[str, Any]) -> str:
    """The on-time share as a percentage with one place, "" when nothing was recorded."""
    value = order_figures.with_punctuality(row)["punctuality"]
    return "" if value is None else f"{value * 100:.1f}%"


def _average_late(row: dict[str, Any]) -> str:
    """Minutes with one place (a Decimal would be shown as money)."""
    value = order_figures.with_punctuality(row)["average_late_minutes"]
    return "" if value is None else str(value)


ATTENDANCE_COLUMNS: list[Column] = [
    (_("On time"), field("on_time")),
    (_("Late"), field("late")),
    (_("No-show"), field("no_show")),
    (_("Punctuality (on time)"), _punctuality),
    (_("Average minutes late"), _average_late),
]


# --- revenue -------------------------------------------------------------------------------


def invoices(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Invoices and credit notes issued in the period (`revenue`'s "invoiced")."""
    issued = billing_selectors.invoices_for(agency=agency)
    return _in_period_of_branch(issued, "issued_at", period, "branch", branch)


def payments(
    agency: Agency, period: Period, branch: Branch | None, query: Mapping[str, str]
) -> QuerySet[Any]:
    """Payments received and refunds paid back in the period (`revenue`'s "collected"),
    one list of dicts; a refund's amount is negative."""

    def listed(rows: QuerySet[Any], kind: str, moment: str, amount: Any) -> QuerySet[Any]:
        rows = _of_branch(_in_period(rows, moment, period), "invoice__branch", branch)
        return rows.order_by().values(
            kind=Value(kind, output_field=CharField()),
            at=F(moment),
            invoice_number=F("invoice__number"),
            signed_amount=amount,
            method_code=Coalesce("method", Value("")),
            row_id=F("id"),
        )

    received = listed(Payment.objects.filter(agency=agency), "payment", "received_at", F("amount"))
    paid_back = listed(
        Refund.objects.filter(agency=agency, status=RefundStatus.PAID_BACK),
        "refund",
        "paid_back_at",
        -F("amount"),
    )
    return received.union(paid_back, all=True).order_by("at", "kind", "row_id")


MONEY_KINDS: dict[str, Promise] = {"payment": _("Payment"), "refund": _("Refund")}
METHODS = dict(PaymentMethod.choices)


def _money_kind(row: dict[str, Any]) -> Any:
    return MONEY_KINDS[row["kind"]]


def _method(row: dict[str, Any]) -> Any:
    return METHODS.get(row["method_code"], row["method_code"])


# --- the tables ----------------------------------------------------------------------------

_tables = [
    Table(
        "orders_taken",
        _("Orders taken"),
        [
            (_("Order"), field("number")),
            (_("Created"), field("created_at")),
            (_("Customer"), field("customer.name")),
            (_("Service"), field("service_type.name")),
            (_("Branch"), field("branch.name")),
            (_("Status"), field("get_status_display")),
        ],
        orders_taken,
    ),
    Table(
        "order_moves",
        _("Order moves"),
        [
            (_("Order"), field("order.number")),
            (_("Moved to"), field("get_to_status_display")),
            (_("At"), field("created_at")),
            (_("By"), person("actor")),
        ],
        order_moves,
    ),
    Table(
        "cancellations",
        _("Cancellations approved"),
        [
            (_("Order"), field("order.number")),
            (_("Customer"), field("order.customer.name")),
            (_("Approved"), field("decided_at")),
            (_("Price"), field("price")),
            (_("Fee (%)"), field("fee_percent")),
            (_("Cancellation fee"), field("fee")),
        ],
        cancellations,
    ),
    Table(
        "acceptance_rounds",
        _("Acceptance rounds closed"),
        [
            (_("Order"), field("order.number")),
            (_("Branch"), field("order.branch.name")),
            (_("Round"), field("number")),
            (_("Outcome"), field("get_outcome_display")),
            (_("Closed"), field("closed_at")),
        ],
        acceptance_rounds,
    ),
    Table(
        "feedback",
        _("Feedback responses"),
        [
            (_("Order"), field("request.order.number")),
            (_("Customer"), field("request.customer.name")),
            (_("Submitted"), field("submitted_at")),
            (_("Quality of the work"), field("quality")),
            (_("Attitude"), field("attitude")),
            (_("Punctuality"), field("punctuality")),
            (_("Professionalism"), field("professionalism")),
            (_("Overall"), field("overall")),
            (_("Comment"), field("comment")),
        ],
        feedback,
    ),
    Table(
        "participation",
        _("Orders accepted and feedback"),
        [
            (_("Order"), field("number")),
            (_("Customer"), field("customer.name")),
            (_("Branch"), field("branch.name")),
            (_("Accepted"), field("accepted_at")),
            (_("Answered"), field("has_answer")),
        ],
        participation,
    ),
    Table(
        "complaints",
        _("Complaints received"),
        [
            (_("Number"), field("number")),
            (_("Received"), field("received_at")),
            (_("Branch"), field("branch.name")),
            (_("Tier"), field("get_tier_display")),
            (_("Category"), field("get_category_display")),
            (_("Severity"), field("get_severity_display")),
            (_("Status"), field("get_status_display")),
            (_("First response"), field("first_response_at")),
        ],
        complaints,
    ),
    Table(
        "resolved_complaints",
        _("Complaints resolved"),
        [
            (_("Number"), field("number")),
            (_("Branch"), field("branch.name")),
            (_("Category"), field("get_category_display")),
            (_("Received"), field("received_at")),
            (_("Resolved"), field("resolved_at")),
            (_("Resolution time"), _resolution_time),
        ],
        resolved_complaints,
    ),
    Table(
        "breaches",
        _("Open breaches"),
        [
            (_("Complaint"), field("complaint.number")),
            (_("Branch"), field("complaint.branch.name")),
            (_("Deadline"), field("get_kind_display")),
            (_("Due"), field("due_at")),
            (_("Breached"), field("breached_at")),
        ],
        breaches,
    ),
    Table(
        "revisits",
        _("Revisits due"),
        [
            (_("Kind"), field("get_kind_display")),
            (_("Due"), field("due_at")),
            (_("Customer"), field("customer.name")),
            (_("Order"), field("order.number")),
            (_("Status"), field("get_status_display")),
            (_("Outcome"), field("get_outcome_display")),
            (_("Assignee"), person("assignee")),
        ],
        revisits,
    ),
    Table(
        "staff",
        _("Staff"),
        [
            (_("Name"), field("name")),
            (_("Home branch"), field("home_branch.name")),
            (_("Employment status"), field("get_status_display")),
            (_("Started"), field("started_on")),
            (_("Trainings in the year"), field("trainings_this_year")),
            (_("Left"), field("left_on")),
        ],
        staff,
    ),
    Table(
        "certificates",
        _("Certificates expiring in 30 days"),
        [
            (_("Staff member"), field("staff.name")),
            (_("Home branch"), field("staff.home_branch.name")),
            (_("Type"), field("get_kind_display")),
            (_("Number"), field("number")),
            (_("Expires"), field("expires_on")),
        ],
        certificates,
    ),
    Table(
        "attendance",
        _("Arrivals (attendance)"),
        [
            (_("Order"), field("order.number")),
            (_("Branch"), field("order.branch.name")),
            (_("Staff member"), field("staff.name")),
            (_("Starts"), field("period.lower")),
            (_("Punctuality"), field("get_punctuality_display")),
            (_("Checked in"), field("arrived_at")),
            (_("Minutes late"), field("late_minutes")),
            (_("Checked out"), field("left_at")),
            (_("Minutes left early"), field("left_early_minutes")),
            (_("Checked in elsewhere"), field("arrived_off_district")),
        ],
        attendance,
    ),
    Table(
        "attendance_by_staff",
        _("Attendance per staff member"),
        [(_("Staff member"), field("name")), *ATTENDANCE_COLUMNS],
        _attendance_by("staff"),
    ),
    Table(
        "attendance_by_branch",
        _("Attendance per branch"),
        [(_("Branch"), field("name")), *ATTENDANCE_COLUMNS],
        _attendance_by("branch"),
    ),
    Table(
        "invoices",
        _("Invoices and credit notes issued"),
        [
            (_("Number"), field("number")),
            (_("Kind"), field("get_kind_display")),
            (pgettext_lazy("invoice", "Issued"), field("issued_at")),
            (_("Customer"), field("customer.name")),
            (_("Branch"), field("branch.name")),
            (_("Corrects invoice"), field("credits.number")),
            (_("Total"), field("total")),
        ],
        invoices,
    ),
    Table(
        "payments",
        _("Payments and refunds"),
        [
            (_("Kind"), _money_kind),
            (_("At"), field("at")),
            (_("Invoice"), field("invoice_number")),
            (_("Amount"), field("signed_amount")),
            (_("Method"), _method),
        ],
        payments,
    ),
    # Quality and risk (issue 19).
    Table(
        "inspections",
        _("Inspections"),
        [
            (_("Inspected"), field("inspected_at")),
            (_("Kind"), field("get_kind_display")),
            (_("Order"), field("order.number")),
            (_("Branch"), field("branch.name")),
            (_("Staff member"), field("staff.name")),
            (_("Inspector"), person("inspector")),
            (_("Score (%)"), field("percent")),
        ],
        inspections,
    ),
    Table(
        "inspections_by_staff",
        _("Inspection scores per staff member"),
        [
            (_("Staff member"), field("name")),
            (_("Inspections"), field("inspections")),
            (_("Average score"), _average_percent),
        ],
        _inspections_by("staff"),
    ),
    Table(
        "inspections_by_branch",
        _("Inspection scores per branch"),
        [
            (_("Branch"), field("name")),
            (_("Inspections"), field("inspections")),
            (_("Average score"), _average_percent),
        ],
        _inspections_by("branch"),
    ),
    Table(
        "inspection_plans",
        _("Inspection plans"),
        [
            (_("Plan"), field("get_kind_display")),
            (_("Period starts"), field("starts_on")),
            (_("Branch"), field("branch.name")),
            (_("Staff member"), field("staff.name")),
            (_("Jobs to inspect"), field("jobs_planned")),
            (_("Done"), field("done")),
        ],
        inspection_plans,
    ),
    Table(
        "risk_reviews_overdue",
        _("Emergency plan reviews overdue"),
        [
            (_("Risk"), field("get_kind_display")),
            (_("Title"), field("title")),
            (_("Owner"), person("owner")),
            (_("Review by"), field("review_by")),
        ],
        risk_reviews_overdue,
    ),
    Table(
        "incidents",
        _("Incidents reported"),
        [
            (_("Number"), field("number")),
            (_("Reported"), field("reported_at")),
            (_("Branch"), field("branch.name")),
            (_("Kind"), field("get_kind_display")),
            (_("Staff member"), field("staff.name")),
            (_("Status"), field("get_status_display")),
        ],
        incidents,
    ),
    Table(
        "compensation_paid",
        _("Compensation paid"),
        [
            (_("Complaint"), field("complaint.number")),
            (_("Branch"), field("complaint.branch.name")),
            (_("Damaged item"), field("item")),
            (_("Who pays"), field("get_payer_display")),
            (_("Paid"), field("paid_at")),
            (_("Amount"), field("amount")),
        ],
        compensation_paid,
    ),
    Table(
        "repeat_problems",
        _("Repeat problems"),
        [
            (_("Number"), field("number")),
            (_("Received"), field("received_at")),
            (_("Branch"), field("branch.name")),
            (_("Category"), field("get_category_display")),
            (_("Same customer"), field("repeat_customer")),
            (_("Same staff member"), field("repeat_staff")),
        ],
        repeat_problems,
    ),
    Table(
        "root_causes",
        _("Complaints closed with a root cause"),
        [
            (_("Number"), field("number")),
            (_("Closed"), field("closed_at")),
            (_("Branch"), field("branch.name")),
            (_("Category"), field("get_category_display")),
            (_("Root cause"), field("get_root_cause_display")),
        ],
        root_causes,
    ),
]

#: Every table, by the key its URLs use (`report_rows`, `report_rows_csv`).
TABLES: dict[str, Table] = {table.key: table for table in _tables}
