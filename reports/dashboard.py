"""The supervisor's and manager's dashboard: the KPIs of a period and branch, against targets.

DESIGN.md, "Targets the reports measure". Every figure comes from the
`figures` module of the app that owns it (complaints, feedback, orders,
billing, staff); this module only chooses the period, calls them and turns
their results into tiles: a label, the value as a person reads it, the
target where there is one, met or not, and a link to the rows behind it.

Each figure aggregates in the database, so the dashboard runs a fixed number
of queries whatever the data. This first slice shows the figures that exist
(complaints, feedback, revisits); orders, acceptance, staff and revenue
follow with their apps' figures modules (issue 9).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agency.models import Agency, Branch
from complaints import figures as complaint_figures
from complaints.models import Category, Tier
from feedback import figures as feedback_figures

# --- the period ----------------------------------------------------------------------------


class PeriodKind(StrEnum):
    THIS_WEEK = "this_week"
    LAST_WEEK = "last_week"
    LAST_30_DAYS = "last_30_days"
    CUSTOM = "custom"


PERIOD_CHOICES: list[tuple[str, str | Promise]] = [
    (PeriodKind.THIS_WEEK, gettext_lazy("This week")),
    (PeriodKind.LAST_WEEK, gettext_lazy("Last week")),
    (PeriodKind.LAST_30_DAYS, gettext_lazy("Last 30 days")),
    (PeriodKind.CUSTOM, gettext_lazy("From – to")),
]


@dataclass(frozen=True)
class Period:
    """`[start, end)` in the agency's time zone; `first` and `last` are the days it covers."""

    kind: str
    first: date
    last: date
    start: datetime
    end: datetime


def period_for(
    agency: Agency,
    kind: str = PeriodKind.THIS_WEEK,
    *,
    first: date | None = None,
    last: date | None = None,
) -> Period:
    """The period a person chose, in days of the agency's time zone; ISO weeks run
    Monday to Sunday. A custom period needs both days (`first` ≤ `last`)."""
    today = agency.today()
    monday = today - timedelta(days=today.weekday())
    if kind == PeriodKind.LAST_WEEK:
        first, last = monday - timedelta(days=7), monday - timedelta(days=1)
    elif kind == PeriodKind.LAST_30_DAYS:
        first, last = today - timedelta(days=29), today
    elif kind == PeriodKind.CUSTOM and first is not None and last is not None:
        first, last = min(first, last), max(first, last)
    else:
        kind = PeriodKind.THIS_WEEK
        first, last = monday, monday + timedelta(days=6)
    zone = agency.zone
    return Period(
        kind=kind,
        first=first,
        last=last,
        start=datetime.combine(first, time.min, tzinfo=zone),
        end=datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


# --- tiles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    #: The target as read ("≥ 85%"), or "" when the figure has none.
    target: str = ""
    met: bool | None = None
    url: str | None = None
    #: What the value is over ("12 responses"), or a second value.
    note: str = ""

    @property
    def tone(self) -> str:
        """ "met" (green), "unmet" (red) or "none"."""
        if self.met is None:
            return "none"
        return "met" if self.met else "unmet"


@dataclass
class KpiGroup:
    key: str
    title: str
    kpis: list[Kpi] = field(default_factory=list)
    #: False when the figures behind the group are not built yet.


NOTHING = "—"


def percent(value: Decimal | None) -> str:
    """A fraction (0.8333) as a percentage with one decimal ("83.3%")."""
    if value is None:
        return NOTHING
    shown = (Decimal(value) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return _("%(value)s%%") % {"value": number_format(shown, 1)}


def hours(value: timedelta | None) -> str:
    if value is None:
        return NOTHING
    minutes = round(value.total_seconds() / 60)
    return _("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


def money(value: Decimal | None) -> str:
    if value is None:
        return NOTHING
    shown = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return number_format(shown, 2, force_grouping=True)


def count(value: int | None) -> str:
    return NOTHING if value is None else number_format(value, 0, force_grouping=True)


def _measured(n: int) -> str:
    return _("over %(n)s") % {"n": count(n)}


def _url(name: str, **query: Any) -> str:
    params = {k: v for k, v in query.items() if v not in (None, "")}
    return reverse(name) + ("?" + urlencode(params) if params else "")


# --- the dashboard -------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    agency: Agency
    period: Period
    branch: Branch | None

    @property
    def args(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "start": self.period.start,
            "end": self.period.end,
            "branch": self.branch,
        }

    @property
    def branch_id(self) -> int | None:
        return None if self.branch is None else self.branch.pk


def dashboard(*, agency: Agency, period: Period, branch: Branch | None = None) -> list[KpiGroup]:
    """The KPI groups of the period and branch, in the order the page shows them."""
    scope = Scope(agency=agency, period=period, branch=branch)
    return [
        KpiGroup(
            key="satisfaction", title=_("Satisfaction and feedback"), kpis=_satisfaction(scope)
        ),
        KpiGroup(key="complaints", title=_("Complaints"), kpis=_complaints(scope)),
        KpiGroup(key="revisits", title=_("Revisits"), kpis=_revisits(scope)),
    ]


def _target(figure: Any, formatter: Callable[[Any], str], *, at_most: bool = False) -> str:
    target = getattr(figure, "target", None)
    if target is None:
        return ""
    return (_("≤ %(target)s") if at_most else _("≥ %(target)s")) % {"target": formatter(target)}


def _from_figure(
    label: str,
    figure: Any,
    formatter: Callable[[Any], str] = percent,
    *,
    at_most: bool = False,
    url: str | None = None,
) -> Kpi:
    """A tile from a `Figure`-like result (value, target, met, measured), or a bare value."""
    if not hasattr(figure, "value"):
        return Kpi(label=label, value=formatter(figure), url=url)
    measured = getattr(figure, "measured", None)
    return Kpi(
        label=label,
        value=formatter(figure.value),
        target=_target(figure, formatter, at_most=at_most),
        met=getattr(figure, "met", None),
        url=url,
        note="" if measured is None else _measured(measured),
    )


def _satisfaction(scope: Scope) -> list[Kpi]:
    satisfied = feedback_figures.satisfaction(**scope.args)
    participation = feedback_figures.participation(**scope.args)
    average = satisfied.average
    return [
        _from_figure(_("Satisfied (score 4 or 5)"), satisfied),
        Kpi(
            label=_("Average score"),
            value=NOTHING if average is None else number_format(average, 2),
            note=_("out of 5"),
        ),
        _from_figure(_("Feedback participation"), participation),
    ]


def _complaints(scope: Scope) -> list[Kpi]:
    args = scope.args
    response = complaint_figures.average_first_response(**args)
    completion = complaint_figures.completion_rate(**args)
    breaches = complaint_figures.open_breaches(**args)
    tiers = complaint_figures.counts_by_tier(**args)
    categories = complaint_figures.counts_by_category(**args)
    received = _url(
        "complaint_log",
        branch=scope.branch_id,
        received_after=scope.period.first.isoformat(),
        received_before=scope.period.last.isoformat(),
    )
    tier_labels = dict(Tier.choices)
    category_labels = dict(Category.choices)
    return [
        _from_figure(_("Average first response"), response, hours, at_most=True),
        _from_figure(_("Completed in time"), completion),
        Kpi(
            label=_("Open breaches"),
            value=count(breaches),
            met=breaches == 0,
            target=_("none"),
            url=_url("complaint_desk", branch=scope.branch_id),
        ),
        Kpi(
            label=_("Received"),
            value=count(sum(tiers.values())),
            note=", ".join(f"{tier_labels[t]} {count(n)}" for t, n in tiers.items()),
            url=received,
        ),
        Kpi(
            label=_("By category"),
            value=count(sum(categories.values())),
            note=", ".join(f"{category_labels[c]} {count(n)}" for c, n in categories.items() if n),
            url=received,
        ),
    ]


def _revisits(scope: Scope) -> list[Kpi]:
    completion = feedback_figures.revisit_completion(**scope.args)
    return [
        _from_figure(_("Revisits done"), completion, url=_url("revisit_queue", view="overdue")),
    ]
