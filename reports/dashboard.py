"""The supervisor's and manager's dashboard: every KPI of a period and branch as a tile.

A tile shows the KPI's value as a person reads it, its target (met: green,
not met: red), what it is measured over, a link to the rows behind it, and
its trend over the last twelve weeks. The weekly report's PDF shows the same
tiles for its week.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from agency.models import Agency, Branch
from complaints.models import Category, IncidentKind, Payer, RootCause, Tier
from reports import formatting
from reports.exports import TABLES
from reports.kpis import GROUP_TITLES, KPIS, Group, Kpi, Measure, Unit, measure
from reports.periods import Period
from reports.trends import Trends, last_reported_monday, stored_trends


@dataclass(frozen=True)
class Tile:
    kpi: Kpi
    value: str
    target: str = ""
    met: bool | None = None
    note: str = ""
    url: str | None = None
    chart: str = ""

    @property
    def label(self) -> str:
        return str(self.kpi.label)

    @property
    def tone(self) -> str:
        """ "met" (green), "unmet" (red) or "none": no verdict without a target to meet."""
        if self.met is None or not self.target:
            return "none"
        return "met" if self.met else "unmet"


@dataclass(frozen=True)
class TileGroup:
    key: str
    title: str
    tiles: list[Tile]
    #: The tables behind the group's KPIs: (title, rows page URL).
    tables: list[tuple[str, str]]


#: The table (`reports.exports`) behind each KPI, with its extra query; KPIs that
#: have a page of their own link there instead (`Scope.page_url`).
ROWS: dict[str, tuple[str, dict[str, str]]] = {
    "taken": ("orders_taken", {}),
    "confirmed": ("order_moves", {"to": "confirmed"}),
    "completed": ("order_moves", {"to": "accepted"}),
    "cancelled": ("order_moves", {"to": "cancelled"}),
    "cancellation_fees": ("cancellations", {}),
    "first_pass": ("acceptance_rounds", {}),
    "rework": ("acceptance_rounds", {}),
    "satisfied": ("feedback", {}),
    "average_score": ("feedback", {}),
    "participation": ("participation", {}),
    "first_response": ("complaints", {}),
    "completion": ("complaints", {}),
    "average_resolution": ("resolved_complaints", {}),
    "revisits_done": ("revisits", {}),
    "utilisation": ("staff", {}),
    "training_coverage": ("staff", {}),
    "punctuality": ("attendance_by_staff", {}),
    "no_shows": ("attendance", {"punctuality": "no_show"}),
    "turnover": ("staff", {}),
    "invoiced": ("invoices", {}),
    "collected": ("payments", {}),
    "inspection_score": ("inspections_by_staff", {}),
    "inspections_done": ("inspection_plans", {}),
    "risk_reviews_overdue": ("risk_reviews_overdue", {}),
    "incidents": ("incidents", {}),
    "compensation_paid": ("compensation_paid", {}),
    "repeat_problems": ("repeat_problems", {}),
    "root_causes": ("root_causes", {}),
}


#: Tables of a group that no single KPI links to.
GROUP_TABLES: dict[Group, set[str]] = {
    Group.STAFF: {"attendance_by_branch"},
    Group.QUALITY: {"inspections_by_branch", "inspections"},
}


@dataclass(frozen=True)
class Scope:
    agency: Agency
    period: Period
    branch: Branch | None

    def query(self, **extra: Any) -> dict[str, Any]:
        """The dashboard's filter as a query string's values."""
        values = {
            "period": "custom",
            "start": self.period.first.isoformat(),
            "end": self.period.last.isoformat(),
            "branch": None if self.branch is None else self.branch.pk,
            **extra,
        }
        return {k: v for k, v in values.items() if v not in (None, "")}

    def rows_url(self, table: str, **extra: Any) -> str:
        return _url(reverse("report_rows", args=[table]), self.query(**extra))

    def page_url(self, kpi: Kpi) -> str | None:
        branch = None if self.branch is None else self.branch.pk
        if kpi.key == "received":
            return _url(
                reverse("complaint_log"),
                {
                    "branch": branch,
                    "received_after": self.period.first.isoformat(),
                    "received_before": self.period.last.isoformat(),
                },
            )
        if kpi.key == "open_breaches":
            return _url(reverse("complaint_desk"), {"branch": branch})
        if kpi.key == "certificates_expiring":
            return reverse("certificates_expiring")
        if kpi.key in ROWS:
            table, extra = ROWS[kpi.key]
            return self.rows_url(table, **extra)
        return None


def _url(path: str, query: dict[str, Any]) -> str:
    params = {k: v for k, v in query.items() if v not in (None, "")}
    return path + ("?" + urlencode(params) if params else "")


def dashboard(*, agency: Agency, period: Period, branch: Branch | None = None) -> list[TileGroup]:
    """The KPI groups of the period and branch, in the order the page shows them."""
    measures = measure(agency=agency, period=period, branch=branch)
    trends = stored_trends(agency=agency, branch=branch, until=last_reported_monday(agency, period))
    return tile_groups(measures, trends=trends, scope=Scope(agency, period, branch))


def tile_groups(
    measures: dict[str, Measure], *, trends: Trends, scope: Scope | None = None
) -> list[TileGroup]:
    """Tiles of the measures, grouped; with links when there is a `scope` (the PDF has none)."""
    groups: list[TileGroup] = []
    for group in Group:
        kpis = [kpi for kpi in KPIS if kpi.group == group]
        tables = {ROWS[k.key][0] for k in kpis if k.key in ROWS} | GROUP_TABLES.get(group, set())
        groups.append(
            TileGroup(
                key=group,
                title=str(GROUP_TITLES[group]),
                tiles=[_tile(kpi, measures[kpi.key], trends, scope) for kpi in kpis],
                tables=[]
                if scope is None
                else [
                    (str(TABLES[table].title), scope.rows_url(table)) for table in sorted(tables)
                ],
            )
        )
    return groups


def _tile(kpi: Kpi, m: Measure, trends: Trends, scope: Scope | None) -> Tile:
    return Tile(
        kpi=kpi,
        value=formatting.shown(kpi, m.value),
        target=formatting.target(kpi, m),
        met=m.met,
        note=_note(kpi, m),
        url=None if scope is None else scope.page_url(kpi),
        chart=trends.chart(kpi),
    )


def _note(kpi: Kpi, m: Measure) -> str:
    if kpi.key == "average_score":
        return _("out of 5")
    if kpi.key == "received":
        tiers = dict(Tier.choices)
        categories = dict(Category.choices)
        parts = [f"{tiers[t]} {formatting.count(n)}" for t, n in m.breakdown["tier"].items()]
        parts += [
            f"{categories[c]} {formatting.count(n)}"
            for c, n in m.breakdown["category"].items()
            if n
        ]
        return ", ".join(parts)
    if kpi.key in BREAKDOWN_NOTES:
        return BREAKDOWN_NOTES[kpi.key](m.breakdown)
    if m.measured is not None and kpi.unit in (Unit.SHARE, Unit.DURATION):
        return _("over %(n)s") % {"n": formatting.count(m.measured)}
    return ""


def _counted(choices: list[tuple[str, Any]], counts: dict[str, int]) -> list[str]:
    """ "label n" for each counted choice, in the choices' order."""
    labels = dict(choices)
    return [f"{labels[c]} {formatting.count(counts[c])}" for c in labels if counts.get(c)]


def _incidents_note(breakdown: dict[str, dict[str, int]]) -> str:
    parts = _counted(IncidentKind.choices, breakdown["kind"])
    still_open = sum(breakdown["open"].values())
    return ", ".join([*parts, _("still open %(n)s") % {"n": formatting.count(still_open)}])


def _compensation_note(breakdown: dict[str, dict[str, int]]) -> str:
    labels = dict(Payer.choices)
    return ", ".join(
        _("%(payer)s %(n)s (%(amount)s)")
        % {
            "payer": labels[payer],
            "n": formatting.count(n),
            "amount": formatting.money(Decimal(breakdown["cents"][payer]) / 100),
        }
        for payer, n in sorted(
            breakdown["payer"].items(), key=lambda item: list(labels).index(item[0])
        )
    )


def _repeats_note(breakdown: dict[str, dict[str, int]]) -> str:
    repeat = breakdown["repeat"]
    return _("same customer %(customer)s, same staff member %(staff)s") % {
        "customer": formatting.count(repeat["customer"]),
        "staff": formatting.count(repeat["staff"]),
    }


def _root_causes_note(breakdown: dict[str, dict[str, int]]) -> str:
    return ", ".join(_counted(RootCause.choices, breakdown["root_cause"]))


#: The notes that spell out a measure's breakdown (the PDF prints them too).
BREAKDOWN_NOTES: dict[str, Callable[[dict[str, dict[str, int]]], str]] = {
    "incidents": _incidents_note,
    "compensation_paid": _compensation_note,
    "repeat_problems": _repeats_note,
    "root_causes": _root_causes_note,
}
