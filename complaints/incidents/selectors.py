"""Reads of incidents for the active agency: data-protection ones only for managers."""

from django.db.models import Prefetch, QuerySet

from agency.models import Agency
from complaints.models import Incident, IncidentAction, IncidentEvent, IncidentKind


def incidents_for(*, agency: Agency, data_protection: bool) -> QuerySet[Incident]:
    """The agency's incidents; `data_protection` (a manager reads) admits those too."""
    incidents = Incident.objects.filter(agency=agency)
    if not data_protection:
        incidents = incidents.exclude(kind=IncidentKind.DATA_PROTECTION)
    return incidents


def incident_list(*, agency: Agency, data_protection: bool) -> QuerySet[Incident]:
    """What the list shows, in one query whatever the number of rows."""
    return incidents_for(agency=agency, data_protection=data_protection).select_related(
        "branch", "order", "staff", "owner", "complaint"
    )


def incident_detail(*, agency: Agency, data_protection: bool) -> QuerySet[Incident]:
    return incident_list(agency=agency, data_protection=data_protection).prefetch_related(
        Prefetch("events", IncidentEvent.objects.select_related("actor")),
        Prefetch("actions", IncidentAction.objects.all()),
    )
