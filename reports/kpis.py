"""Every KPI the reports show, measured once for a period and branch.

DESIGN.md, "Targets the reports measure". The figures come from the `figures`
module of the app that owns them (orders, billing, staff, feedback,
complaints); this module names each KPI (`KPIS`: key, group, label, unit,
whether the target is a ceiling), calls the figures and turns each result into
a `Measure`. The dashboard shows the measures of the chosen period; the weekly
report stores the measures of its week as JSON (`to_json`), and the trends
read the stored weeks back (`from_json`).

Values are numbers in the KPI's unit: shares are fractions (0.8333), times
are seconds, money is in the agency's currency.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agency.models import Agency, Branch
from complaints import figures as complaint_figures
from complaints.incidents import figures as incident_figures
from complaints.quality import figures as quality_figures
from feedback import figures as feedback_figures
from orders import figures as order_figures
from orders.billing import figures as billing_figures
from reports.periods import Period
from staff import figures as staff_figures

#: Certificates expiring within this many days count on the dashboard.
CERTIFICATES_WITHIN_DAYS = 30


class Unit(StrEnum):
    SHARE = "share"
    DURATION = "duration"
    MONEY = "money"
    COUNT = "count"
    SCORE = "score"


class Group(StrEnum):
    ORDERS = "orders"
    ACCEPTANCE = "acceptance"
    SATISFACTION = "satisfaction"
    COMPLAINTS = "complaints"
    REVISITS = "revisits"
    STAFF = "staff"
    REVENUE = "revenue"
    QUALITY = "quality"


GROUP_TITLES: dict[Group, Promise] = {
    Group.ORDERS: _("Orders"),
    Group.ACCEPTANCE: _("Acceptance"),
    Group.SATISFACTION: _("Satisfaction and feedback"),
    Group.COMPLAINTS: _("Complaints"),
    Group.REVISITS: _("Revisits"),
    Group.STAFF: _("Staff"),
    Group.REVENUE: _("Revenue"),
    Group.QUALITY: _("Quality and risk"),
}


@dataclass(frozen=True)
class Kpi:
    key: str
    group: Group
    label: Promise
    unit: Unit
    #: The target is a ceiling (response time, turnover, breaches), not a floor.
    at_most: bool = False
    #: Measured at a moment (now, or the period's end), not over the period: no trend.
    snapshot: bool = False


KPIS: list[Kpi] = [
    Kpi("taken", Group.ORDERS, _("Orders taken"), Unit.COUNT),
    Kpi("confirmed", Group.ORDERS, _("Confirmed"), Unit.COUNT),
    Kpi("completed", Group.ORDERS, _("Completed (accepted)"), Unit.COUNT),
    Kpi("cancelled", Group.ORDERS, _("Cancelled"), Unit.COUNT),
    Kpi("cancellation_fees", Group.ORDERS, _("Cancellation fees"), Unit.MONEY),
    Kpi("first_pass", Group.ACCEPTANCE, _("Accepted at the first round"), Unit.SHARE),
    Kpi("rework", Group.ACCEPTANCE, _("Rounds failed (rework)"), Unit.SHARE),
    Kpi("satisfied", Group.SATISFACTION, _("Satisfied (score 4 or 5)"), Unit.SHARE),
    Kpi("average_score", Group.SATISFACTION, _("Average score"), Unit.SCORE),
    Kpi("participation", Group.SATISFACTION, _("Feedback participation"), Unit.SHARE),
    Kpi(
        "first_response",
        Group.COMPLAINTS,
        _("Average first response"),
        Unit.DURATION,
        at_most=True,
    ),
    Kpi(
        "average_resolution",
        Group.COMPLAINTS,
        _("Average resolution time"),
        Unit.DURATION,
        at_most=True,
    ),
    Kpi("completion", Group.COMPLAINTS, _("Completed in time"), Unit.SHARE),
    Kpi(
        "open_breaches",
        Group.COMPLAINTS,
        _("Open breaches"),
        Unit.COUNT,
        at_most=True,
        snapshot=True,
    ),
    Kpi("received", Group.COMPLAINTS, _("Complaints received"), Unit.COUNT),
    Kpi("revisits_done", Group.REVISITS, _("Revisits done"), Unit.SHARE),
    Kpi("utilisation", Group.STAFF, _("Utilisation"), Unit.SHARE),
    Kpi("training_coverage", Group.STAFF, _("Training coverage"), Unit.SHARE, snapshot=True),
    Kpi("turnover", Group.STAFF, _("Turnover"), Unit.SHARE, at_most=True),
    Kpi(
        "certificates_expiring",
        Group.STAFF,
        _("Certificates expiring in 30 days"),
        Unit.COUNT,
        snapshot=True,
    ),
    Kpi("punctuality", Group.STAFF, _("Punctuality (on time)"), Unit.SHARE),
    Kpi("no_shows", Group.STAFF, _("No-shows"), Unit.COUNT, at_most=True),
    Kpi("invoiced", Group.REVENUE, _("Invoiced"), Unit.MONEY),
    Kpi("collected", Group.REVENUE, _("Collected"), Unit.MONEY),
    # Quality and risk (issue 19): one Kpi here and one line in `_quality_and_risk` each.
    Kpi("inspection_score", Group.QUALITY, _("Average inspection score"), Unit.SHARE),
    Kpi("inspections_done", Group.QUALITY, _("Inspections done of planned"), Unit.SHARE),
    Kpi(
        "risk_reviews_overdue",
        Group.QUALITY,
        _("Emergency plan reviews overdue"),
        Unit.COUNT,
        at_most=True,
        snapshot=True,
    ),
    Kpi("incidents", Group.QUALITY, _("Incidents reported"), Unit.COUNT, at_most=True),
    Kpi("compensation_paid", Group.QUALITY, _("Compensation paid"), Unit.MONEY),
    Kpi("repeat_problems", Group.QUALITY, _("Repeat problems"), Unit.COUNT, at_most=True),
    Kpi("root_causes", Group.QUALITY, _("Complaints closed with a root cause"), Unit.COUNT),
]

KPI_BY_KEY = {kpi.key: kpi for kpi in KPIS}


@dataclass(frozen=True)
class Measure:
    """One KPI's value for a period; `met` is None without a target or without data."""

    value: Decimal | None
    target: Decimal | None = None
    met: bool | None = None
    #: How many orders, responses, complaints … the value is over, where that matters.
    measured: int | None = None
    #: Counts behind a total (complaints per tier and per category).
    breakdown: dict[str, dict[str, int]] = field(default_factory=dict)


def measure(*, agency: Agency, period: Period, branch: Branch | None = None) -> dict[str, Measure]:
    """Every KPI of the period and branch, by key (a fixed number of aggregate queries)."""
    args: dict[str, Any] = {
        "agency": agency,
        "start": period.start,
        "end": period.end,
        "branch": branch,
    }
    measures: dict[str, Measure] = {}

    counts = order_figures.order_counts(**args)
    for key in ("taken", "confirmed", "completed", "cancelled"):
        measures[key] = Measure(Decimal(counts[key]))
    measures["cancellation_fees"] = Measure(order_figures.cancellation_fees(**args))
    rates = order_figures.acceptance_rates(**args)
    measures["first_pass"] = _from_figure(rates["first_pass"])
    measures["rework"] = _from_figure(rates["rework"])

    satisfied = feedback_figures.satisfaction(**args)
    measures["satisfied"] = _from_figure(satisfied)
    measures["average_score"] = Measure(satisfied.average, measured=satisfied.measured)
    measures["participation"] = _from_figure(feedback_figures.participation(**args))

    response = complaint_figures.average_first_response(**args)
    measures["first_response"] = Measure(
        value=_seconds(response.value),
        target=_seconds(response.target),
        met=response.met,
        measured=response.measured,
    )
    resolution = complaint_figures.average_resolution(**args)
    measures["average_resolution"] = Measure(
        value=_seconds(resolution.value),
        target=_seconds(resolution.target),
        met=resolution.met,
        measured=resolution.measured,
    )
    measures["completion"] = _from_figure(complaint_figures.completion_rate(**args))
    breaches = complaint_figures.open_breaches(**args)
    measures["open_breaches"] = Measure(Decimal(breaches), target=Decimal(0), met=breaches == 0)
    tiers = complaint_figures.counts_by_tier(**args)
    measures["received"] = Measure(
        Decimal(sum(tiers.values())),
        breakdown={
            "tier": tiers,
            "category": complaint_figures.counts_by_category(**args),
        },
    )
    measures["revisits_done"] = _from_figure(feedback_figures.revisit_completion(**args))

    measures["utilisation"] = _from_figure(order_figures.utilisation(**args))
    measures["training_coverage"] = _from_figure(
        staff_figures.training_coverage(agency=agency, year=period.last.year, branch=branch)
    )
    measures["turnover"] = _from_figure(
        staff_figures.turnover(
            agency=agency,
            start=period.first,
            end=period.last + timedelta(days=1),
            branch=branch,
        )
    )
    measures["certificates_expiring"] = Measure(
        Decimal(
            staff_figures.certificates_expiring(
                agency=agency, within_days=CERTIFICATES_WITHIN_DAYS, branch=branch
            )
        )
    )

    arrivals = order_figures.attendance(**args)
    measures["punctuality"] = Measure(arrivals["punctuality"], measured=arrivals["measured"])
    measures["no_shows"] = Measure(Decimal(arrivals["no_show"]), measured=arrivals["measured"])

    revenue = billing_figures.revenue(**args)
    measures["invoiced"] = Measure(revenue["invoiced"])
    measures["collected"] = Measure(revenue["collected"])
    measures.update(_quality_and_risk(args, period))
    return measures


def _quality_and_risk(args: dict[str, Any], period: Period) -> dict[str, Measure]:
    """The "Quality and risk" section, one line per figure. The complaints app's other
    figures of issue 19 (incidents, compensation paid, repeat problems, root causes) join
    here as one more line each, with their Kpi in KPIS and their table in reports.exports."""
    agency: Agency = args["agency"]
    branch: Branch | None = args["branch"]
    # Overdue at the period's last day, or now if that is earlier (a snapshot).
    on = min(period.last, agency.today())
    overdue = quality_figures.risk_reviews_overdue(agency=agency, on=on)
    return {
        "inspection_score": _from_figure(quality_figures.inspection_score(**args)),
        "inspections_done": _from_figure(quality_figures.inspections_done(**args)),
        "risk_reviews_overdue": Measure(Decimal(overdue), target=Decimal(0), met=overdue == 0),
        "incidents": _incidents(agency, args, branch),
        "compensation_paid": _compensation(args),
        "repeat_problems": _repeats(args),
        "root_causes": _root_causes(args),
    }


def _incidents(agency: Agency, args: dict[str, Any], branch: Branch | None) -> Measure:
    """Incidents reported in the period, by kind, and those still open (`breakdown`).

    Supervisors read the dashboard, so data-protection incidents (a manager's matter,
    DESIGN.md) are never counted here. The selector groups by branch; a chosen branch
    keeps its own rows (two queries either way).
    """
    figures = incident_figures.incident_figures(
        agency=agency, start=args["start"], end=args["end"], data_protection=False
    )

    def by_kind(rows: list[incident_figures.IncidentCount]) -> dict[str, int]:
        counted: dict[str, int] = {}
        for row in rows:
            if branch is None or row.branch_id == branch.pk:
                counted[row.kind] = counted.get(row.kind, 0) + row.count
        return counted

    reported, still_open = by_kind(figures.reported), by_kind(figures.open)
    return Measure(
        Decimal(sum(reported.values())),
        breakdown={"kind": reported, "open": still_open},
    )


def _compensation(args: dict[str, Any]) -> Measure:
    """Compensation paid in the period; per payer how many and how much, the amounts in
    whole cents so the stored week keeps integers."""
    paid = complaint_figures.compensation_figures(**args)
    return Measure(
        paid.total,
        measured=sum(n for n, _amount in paid.by_payer.values()),
        breakdown={
            "payer": {payer: n for payer, (n, _amount) in paid.by_payer.items()},
            "cents": {payer: int(amount * 100) for payer, (_n, amount) in paid.by_payer.items()},
        },
    )


def _repeats(args: dict[str, Any]) -> Measure:
    repeats = complaint_figures.repeat_problems(**args)
    return Measure(
        Decimal(repeats.total),
        breakdown={
            "repeat": {"customer": repeats.same_customer, "staff": repeats.same_staff},
        },
    )


def _root_causes(args: dict[str, Any]) -> Measure:
    """Complaints closed in the period that name a root cause, per root cause."""
    causes = {cause: n for cause, n in complaint_figures.root_causes(**args).items() if n}
    return Measure(Decimal(sum(causes.values())), breakdown={"root_cause": causes})


def _from_figure(figure: Any) -> Measure:
    """A `Figure` of any app (value, target, met, measured) as a measure."""
    return Measure(
        value=figure.value, target=figure.target, met=figure.met, measured=figure.measured
    )


def _seconds(duration: timedelta | None) -> Decimal | None:
    return None if duration is None else Decimal(round(duration.total_seconds()))


# --- stored with a weekly report -----------------------------------------------------------


def to_json(measures: dict[str, Measure]) -> dict[str, dict[str, Any]]:
    """The measures as JSON values (numbers as strings, exact)."""
    return {
        key: {
            "value": _text(m.value),
            "target": _text(m.target),
            "met": m.met,
            "measured": m.measured,
            "breakdown": m.breakdown,
        }
        for key, m in measures.items()
    }


def from_json(stored: dict[str, dict[str, Any]]) -> dict[str, Measure]:
    return {
        key: Measure(
            value=_number(row.get("value")),
            target=_number(row.get("target")),
            met=row.get("met"),
            measured=row.get("measured"),
            breakdown=row.get("breakdown") or {},
        )
        for key, row in stored.items()
        if key in KPI_BY_KEY
    }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
