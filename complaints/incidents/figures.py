"""Incident figures for the reports (issue 19): counts by kind and branch in a period, and
the ones still open. The reports app wires them in; this module reads, never writes."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet

from agency.models import Agency
from complaints.models import Incident, IncidentKind, IncidentStatus


@dataclass(frozen=True)
class IncidentCount:
    kind: str
    branch_id: int
    count: int


@dataclass(frozen=True)
class IncidentFigures:
    #: Reported in [start, end), by kind and branch.
    reported: list[IncidentCount]
    #: Open now, by kind and branch, whenever reported.
    open: list[IncidentCount]

    @property
    def reported_total(self) -> int:
        return sum(row.count for row in self.reported)

    @property
    def open_total(self) -> int:
        return sum(row.count for row in self.open)


def incident_figures(
    *, agency: Agency, start: datetime, end: datetime, data_protection: bool = False
) -> IncidentFigures:
    """Two grouped queries, served by the (agency, reported_at) and the open-rows indexes;
    data-protection incidents only for a manager's report (`data_protection`)."""
    incidents = Incident.objects.filter(agency=agency)
    if not data_protection:
        incidents = incidents.exclude(kind=IncidentKind.DATA_PROTECTION)

    def grouped(queryset: QuerySet[Incident]) -> list[IncidentCount]:
        rows = queryset.values("kind", "branch_id").annotate(count=Count("id"))
        return [
            IncidentCount(kind=row["kind"], branch_id=row["branch_id"], count=row["count"])
            for row in rows.order_by("kind", "branch_id")
        ]

    return IncidentFigures(
        reported=grouped(incidents.filter(reported_at__gte=start, reported_at__lt=end)),
        open=grouped(incidents.filter(status=IncidentStatus.OPEN)),
    )
