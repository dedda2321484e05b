"""Who hears of an incident at once: the supervisors of the job's branch and the managers,
in the app, by SMS and by email (the rule is urgent: quiet hours do not hold it).

Never another agency's people: the recipients are the incident's agency's members. A
data-protection incident goes to the managers only, who alone may read it. The words carry
the incident's number and kind, the order number and the reporter's name: no phone, no
street address.
"""

from dataclasses import replace

from django.urls import reverse
from django.utils import translation

from agency.models import Role
from complaints.models import Incident, IncidentKind
from messaging.recipients import Recipient
from messaging.rules import Event, Via, rule
from messaging.services import announce, office_recipients
from staff.models import StaffMember


def incident_reported(incident: Incident) -> None:
    link = reverse("incident_detail", kwargs={"pk": incident.pk})
    roles = (
        (Role.MANAGER,)
        if incident.kind == IncidentKind.DATA_PROTECTION
        else rule(f"{Event.INCIDENT_REPORTED.value}:office").roles
    )
    people = office_recipients(
        incident.agency, roles=roles, branch_id=incident.branch_id, link=link
    )
    reporter = incident.staff.name if incident.staff else _name(incident)

    def values(language: str) -> dict[str, str]:
        with translation.override(language):
            return {
                "incident_number": incident.number,
                "incident_kind": str(IncidentKind(incident.kind).label),
                "order_number": incident.order.number if incident.order else "",
                "staff_name": reporter,
            }

    announce(
        agency=incident.agency,
        event=Event.INCIDENT_REPORTED,
        key=f"incident:{incident.pk}:reported",
        context=values,
        office=_by_every_channel(people, agency_id=incident.agency_id),
        topics=[f"incident:{incident.pk}"],
    )


def _by_every_channel(people: list[Recipient], *, agency_id: int) -> list[Recipient]:
    """Office members are told in the app; an incident also by email and by SMS to the
    phone of their staff profile, where they have one."""
    phones = dict(
        StaffMember.objects.filter(
            agency_id=agency_id, user__in=[p.user for p in people if p.user]
        ).values_list("user_id", "phone")
    )
    return [
        replace(
            person,
            via=(Via.IN_APP, Via.SMS, Via.EMAIL),
            email=person.user.email if person.user else "",
            phone=phones.get(person.user.pk, "") if person.user else "",
        )
        for person in people
    ]


def _name(incident: Incident) -> str:
    user = incident.reported_by
    return user.get_full_name() or user.get_username()
