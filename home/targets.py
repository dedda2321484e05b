"""The manager's KPIs against their targets, one line each (issue 17): the dashboard's
measures of the last 30 days (`reports.kpis`), only those with a target, each linking to
the rows behind it as its dashboard tile does."""

from agency.models import Agency, Branch
from reports import formatting
from reports.dashboard import Scope, Tile
from reports.kpis import KPIS, measure
from reports.periods import PeriodKind, period_for


def kpis_against_targets(*, agency: Agency, branch: Branch | None) -> list[Tile]:
    """A fixed number of aggregate queries (the dashboard's), whatever the agency's size."""
    period = period_for(agency, PeriodKind.LAST_30_DAYS)
    measures = measure(agency=agency, period=period, branch=branch)
    scope = Scope(agency, period, branch)
    return [
        Tile(
            kpi=kpi,
            value=formatting.shown(kpi, measures[kpi.key].value),
            target=formatting.target(kpi, measures[kpi.key]),
            met=measures[kpi.key].met,
            url=scope.page_url(kpi),
        )
        for kpi in KPIS
        if measures[kpi.key].target is not None
    ]
