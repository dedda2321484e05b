"""The last twelve weeks of each KPI, read from the stored weekly reports, as charts.

Measuring twelve weeks live would run every figure twelve times; the Monday
sweep has already measured each week and stored it with the week's report
(`WeeklyReport.measures`), so a trend is one query. The newest version of a
week's report counts. A week without a report shows as a gap.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agency.models import Agency, Branch
from reports.charts import Chart, trend_svg
from reports.kpis import KPIS, Kpi, Measure, Unit, from_json
from reports.models import ReportStatus, WeeklyReport
from reports.periods import Period, monday_of

WEEKS = 12


@dataclass(frozen=True)
class Trends:
    mondays: list[date]
    #: KPI key → the measure of each week (None: no report that week).
    series: dict[str, list[Measure | None]]

    def chart(self, kpi: Kpi) -> str:
        """The KPI's trend as an inline SVG, or "" when it has none (a snapshot KPI, or
        no week measured)."""
        if kpi.snapshot:
            return ""
        measures = self.series.get(kpi.key) or []
        values = [None if m is None else m.value for m in measures]
        if all(v is None for v in values):
            return ""
        targets = [m.target for m in measures if m is not None and m.target is not None]
        scale, suffix = _scale(kpi.unit)
        return trend_svg(
            Chart(
                labels=[date_format(monday, "m-d") for monday in self.mondays],
                values=[None if v is None else float(v * scale) for v in values],
                target=float(targets[-1] * scale) if targets else None,
                suffix=suffix,
                description=_("%(kpi)s, the last %(weeks)d weeks")
                % {"kpi": kpi.label, "weeks": len(self.mondays)},
            )
        )


def _scale(unit: Unit) -> tuple[Decimal, str]:
    if unit == Unit.SHARE:
        return Decimal(100), "%"
    if unit == Unit.DURATION:
        return Decimal(1) / 3600, " h"
    return Decimal(1), ""


def last_reported_monday(agency: Agency, period: Period) -> date:
    """The Monday of the last full week the period reaches that can have a report:
    the week of the period's last day if that week is over, else the one before."""
    last_day = min(period.last, agency.today() - timedelta(days=1))
    return monday_of(last_day + timedelta(days=1)) - timedelta(days=7)


def stored_trends(
    *,
    agency: Agency,
    branch: Branch | None,
    until: date,
    current: dict[str, Measure] | None = None,
) -> Trends:
    """The twelve weeks ending with the week of Monday `until` (one query). `current`,
    if given, stands for that last week (a report being built is not stored yet)."""
    mondays = [until - timedelta(weeks=WEEKS - 1 - n) for n in range(WEEKS)]
    reports = WeeklyReport.objects.filter(
        agency=agency, week__in=mondays, status=ReportStatus.READY
    )
    reports = (
        reports.filter(branch__isnull=True) if branch is None else reports.filter(branch=branch)
    )
    stored = {
        week: from_json(measures)
        for week, measures in reports.order_by("week", "-version")
        .distinct("week")
        .values_list("week", "measures")
    }
    if current is not None:
        stored[until] = current
    return Trends(
        mondays=mondays,
        series={
            kpi.key: [
                stored[monday].get(kpi.key) if monday in stored else None for monday in mondays
            ]
            for kpi in KPIS
        },
    )
