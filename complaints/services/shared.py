"""What every complaint service shares: the locked row and who may touch it, the
timeline entry, the audit entry, the complaint's link and its local time.

Each service locks the complaint row (`complaint_lock`) and writes the timeline
(`record_event`) and the audit log (`record_audit`) in one transaction.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.models import Agency
from agency.permissions import Area, require
from complaints.models import Complaint, ComplaintEvent


def link_of(complaint: Complaint) -> str:
    return reverse("complaint_detail", kwargs={"pk": complaint.pk})


def complaint_lock(complaint: Complaint, actor: Actor) -> Complaint:
    locked = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("agency", "customer", "staff")
        .get(pk=complaint.pk, agency_id=complaint.agency_id)
    )
    require_office(actor, locked.agency)
    return locked


def require_office(actor: Actor, agency: Agency) -> None:
    require(
        actor, Area.COMPLAINTS, agency_id=agency.pk, message=_("The office handles complaints.")
    )


def require_text(text: str) -> None:
    if not text.strip():
        raise ValidationError({"text": _("Write what was said or done.")})


def record_event(
    complaint: Complaint, kind: str, *, actor: Actor, text: str = ""
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        agency_id=complaint.agency_id,
        complaint=complaint,
        kind=kind,
        text=text.strip(),
        actor=actor.user,
    )


def record_audit(
    complaint: Complaint, actor: Actor, action: str, changes: dict[str, Any] | None = None
) -> None:
    audit_record(
        agency=complaint.agency,
        actor=actor,
        action=action,
        target=complaint,
        changes={"number": complaint.number, **(changes or {})},
    )


def local_time(complaint: Complaint, moment: datetime) -> str:
    return date_format(timezone.localtime(moment, complaint.agency.zone), "Y-m-d H:i")
