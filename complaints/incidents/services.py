"""Incidents: reported from the job page or by the office, owned, followed up and closed.

Issue 19, "Incidents": a staff member reports an incident from the job page in two taps;
the supervisors of the job's branch and the managers hear of it at once; the incident has
an owner (given by a supervisor or manager), a timeline, follow-up actions and a close
with its outcome. A damage incident may become a hard complaint of category damage,
whose remedies carry the compensation. Data-protection incidents are recorded by the
office and read by managers only (agency.permissions, Area.DATA_PROTECTION).

Every write is one transaction with its timeline line and its audit entry.
"""

import uuid
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.idempotency import refuse_repeat, save_once
from agency.models import Agency, Branch, Membership, User
from agency.numbering import next_number
from agency.permissions import ACCESS, Area, can, require
from complaints.incidents.notices import incident_reported
from complaints.models import (
    FIELD_KINDS,
    Category,
    ComplaintChannel,
    Incident,
    IncidentAction,
    IncidentEvent,
    IncidentEventKind,
    IncidentKind,
    IncidentStatus,
    Severity,
    Tier,
)
from complaints.services.intake import Intake, complaint_take
from orders.models import HOLDING, Assignment, Order
from staff.models import StaffMember


@transaction.atomic
def incident_report(
    *,
    assignment: Assignment,
    actor: Actor,
    kind: str,
    note: str = "",
    photo: UploadedFile | None = None,
    submission_key: uuid.UUID | None = None,
) -> Incident:
    """The staff member on the job reports an incident (issue 19): the kind, a note and a
    photo if they like. A report sent again with the same key (a poor connection) raises
    `RepeatedSubmission` naming the first: one incident, the office told once."""
    if actor.user is None or assignment.staff.user_id != actor.user.pk:
        raise PermissionDenied(_("This is not your job."))
    if kind not in FIELD_KINDS:
        raise ValidationError({"kind": _("Choose what happened.")})
    order = assignment.order
    return _create(
        agency=order.agency,
        actor=actor,
        kind=kind,
        branch=order.branch,
        order=order,
        staff=assignment.staff,
        note=note,
        photo=photo,
        submission_key=submission_key,
    )


@transaction.atomic
def incident_record(
    *,
    agency: Agency,
    actor: Actor,
    kind: str,
    note: str,
    branch: Branch | None = None,
    order: Order | None = None,
    submission_key: uuid.UUID | None = None,
) -> Incident:
    """The office records an incident it heard of, a data-protection one among them. Against
    an order, the branch is the order's unless named, and the staff member is the one on
    the job when a single person holds it (a team's incident names nobody: the office
    cannot tell who)."""
    require(actor, Area.INCIDENTS, agency_id=agency.pk, message=_("The office records it."))
    errors = {}
    if kind not in IncidentKind.values:
        errors["kind"] = _("Choose what happened.")
    if order is not None and order.agency_id != agency.pk:
        errors["order"] = _("Choose one of this agency.")
    elif branch is None and order is not None:
        branch = order.branch
    if branch is None:
        errors["branch"] = _("Choose the branch, or give the order number.")
    elif branch.agency_id != agency.pk:
        errors["branch"] = _("Choose one of this agency.")
    if not note.strip():
        errors["note"] = _("Say what happened.")
    if errors or branch is None:
        raise ValidationError(errors)
    return _create(
        agency=agency,
        actor=actor,
        kind=kind,
        branch=branch,
        order=order,
        staff=_sole_staff(order) if order is not None else None,
        note=note,
        photo=None,
        submission_key=submission_key,
    )


def _sole_staff(order: Order) -> StaffMember | None:
    """The staff member holding the job (proposed or confirmed), if exactly one does."""
    holders = list(
        StaffMember.objects.filter(
            agency_id=order.agency_id, assignments__order=order, assignments__status__in=HOLDING
        ).distinct()[:2]
    )
    return holders[0] if len(holders) == 1 else None


def _create(
    *,
    agency: Agency,
    actor: Actor,
    kind: str,
    branch: Branch,
    order: Order | None,
    staff: StaffMember | None,
    note: str,
    photo: UploadedFile | None,
    submission_key: uuid.UUID | None,
) -> Incident:
    if actor.user is None:
        raise PermissionDenied(_("Only a member reports an incident."))
    queryset = Incident.objects.filter(agency=agency)
    refuse_repeat(queryset, submission_key, _reported)
    now = timezone.now()
    year = now.astimezone(agency.zone).year
    incident = Incident(
        agency=agency,
        number=f"{year}-I{next_number(agency=agency, kind='incident', year=year):04d}",
        kind=kind,
        branch=branch,
        order=order,
        staff=staff,
        note=note.strip(),
        photo=photo or "",
        reported_by=actor.user,
        reported_at=now,
        submission_key=submission_key,
    )
    incident.full_clean(exclude=["submission_key"])
    save_once(incident, queryset, _reported)
    _event(incident, IncidentEventKind.REPORTED, actor=actor, text=incident.note)
    incident_reported(incident)
    _audit(incident, actor, "incident.report", {"kind": kind})
    return incident


def _reported(earlier: Incident) -> str:
    return _("This incident was reported already as %(number)s.") % {"number": earlier.number}


# --- handling --------------------------------------------------------------------------


def may_read(actor: Actor, incident: Incident) -> bool:
    """Whether the actor may read this incident: the office, and for data protection
    the managers only."""
    area = Area.DATA_PROTECTION if incident.kind == IncidentKind.DATA_PROTECTION else Area.INCIDENTS
    return can(actor, area, agency_id=incident.agency_id)


def _locked(incident: Incident, actor: Actor, *, decision: bool = False) -> Incident:
    locked = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=incident.pk, agency_id=incident.agency_id)
    )
    if not may_read(actor, locked):
        raise PermissionDenied(_("Your role cannot handle this incident."))
    if decision:
        require(
            actor,
            Area.INCIDENT_DECISIONS,
            agency_id=locked.agency_id,
            message=_("A supervisor or a manager decides this."),
        )
    return locked


def _open(incident: Incident, actor: Actor, *, decision: bool = False) -> Incident:
    locked = _locked(incident, actor, decision=decision)
    if locked.status != IncidentStatus.OPEN:
        raise StateConflict(_("This incident is closed."))
    return locked


@transaction.atomic
def incident_assign(*, incident: Incident, actor: Actor, owner: User) -> Incident:
    """A supervisor or manager gives the incident its owner: an active office member."""
    incident = _open(incident, actor, decision=True)
    office = ACCESS[Area.INCIDENTS]
    if not Membership.objects.filter(
        agency_id=incident.agency_id, user=owner, role__in=office, is_active=True
    ).exists():
        raise ValidationError({"owner": _("Choose an office member of this agency.")})
    incident.owner = owner
    incident.save(update_fields=["owner"])
    name = owner.get_full_name() or owner.get_username()
    _event(incident, IncidentEventKind.OWNER, actor=actor, text=name)
    _audit(incident, actor, "incident.assign", {"owner": owner.pk})
    return incident


@transaction.atomic
def incident_damage(
    *, incident: Incident, actor: Actor, item: str, description: str, estimated_amount: Decimal
) -> Incident:
    """What was damaged and the first estimate of its worth (positive, whole cents)."""
    incident = _open(incident, actor)
    if incident.kind != IncidentKind.DAMAGE:
        raise StateConflict(_("Only a damage incident records damage."))
    errors = {}
    if not item.strip():
        errors["item"] = _("Say what was damaged.")
    if estimated_amount <= 0 or estimated_amount != estimated_amount.quantize(Decimal("0.01")):
        errors["estimated_amount"] = _("Give a positive amount in whole cents.")
    if errors:
        raise ValidationError(errors)
    incident.damaged_item = item.strip()[:200]
    incident.damage_description = description.strip()
    incident.estimated_amount = estimated_amount
    incident.full_clean(exclude=["submission_key", "photo"])
    incident.save(update_fields=["damaged_item", "damage_description", "estimated_amount"])
    _event(
        incident,
        IncidentEventKind.DAMAGE,
        actor=actor,
        text=f"{incident.damaged_item}: {estimated_amount}",
    )
    _audit(incident, actor, "incident.damage", {"estimated_amount": str(estimated_amount)})
    return incident


@transaction.atomic
def incident_action_add(
    *, incident: Incident, actor: Actor, text: str, due_on: date
) -> IncidentAction:
    """A follow-up action: what is to be done, and by which day."""
    incident = _open(incident, actor)
    if actor.user is None:
        raise PermissionDenied(_("Only a member adds an action."))
    if not text.strip():
        raise ValidationError({"text": _("Say what is to be done.")})
    if due_on < timezone.localdate(timezone.now(), incident.agency.zone):
        raise ValidationError({"due_on": _("The due day cannot be in the past.")})
    action = IncidentAction.objects.create(
        agency_id=incident.agency_id,
        incident=incident,
        text=text.strip()[:300],
        due_on=due_on,
        created_by=actor.user,
    )
    _event(incident, IncidentEventKind.ACTION, actor=actor, text=action.text)
    _audit(incident, actor, "incident.action_add", {"action": action.pk})
    return action


def action_of(incident: Incident, pk: int) -> IncidentAction:
    """One of the incident's follow-up actions, else a field error (never another's)."""
    found = IncidentAction.objects.filter(incident=incident, pk=pk).first()
    if found is None:
        raise ValidationError({"action": _("Choose a follow-up action of this incident.")})
    return found


@transaction.atomic
def incident_action_done(*, action: IncidentAction, actor: Actor) -> IncidentAction:
    """A follow-up action done; a second tap changes nothing."""
    incident = _open(action.incident, actor)
    action = IncidentAction.objects.select_for_update().get(pk=action.pk, incident=incident)
    if action.done_at is not None:
        return action
    action.done_at = timezone.now()
    action.save(update_fields=["done_at"])
    _event(incident, IncidentEventKind.ACTION_DONE, actor=actor, text=action.text)
    _audit(incident, actor, "incident.action_done", {"action": action.pk})
    return action


@transaction.atomic
def incident_open_complaint(*, incident: Incident, actor: Actor) -> Incident:
    """A damage incident becomes a hard complaint of category damage on its order, linked
    to the incident: the complaint's remedies then carry the compensation (issue 19)."""
    incident = _open(incident, actor, decision=True)
    if incident.kind != IncidentKind.DAMAGE or incident.order_id is None:
        raise StateConflict(_("A complaint is opened from a damage incident on an order."))
    if incident.complaint_id is not None:
        raise StateConflict(_("This incident has its complaint already."))
    order = Order.objects.select_related("customer").get(pk=incident.order_id)
    description = " ".join(
        part for part in (incident.damaged_item, incident.damage_description, incident.note) if part
    )
    complaint = complaint_take(
        agency=incident.agency,
        actor=actor,
        intake=Intake(
            branch=incident.branch,
            customer=order.customer,
            order=order,
            staff=incident.staff,
            # The office opens it after speaking with the customer about the damage.
            channel=ComplaintChannel.PHONE,
            category=Category.DAMAGE,
            tier=Tier.HARD,
            severity=Severity.NORMAL,
            description=description
            or _("Damage reported as incident %(number)s.") % {"number": incident.number},
        ),
    )
    incident.complaint = complaint
    incident.save(update_fields=["complaint"])
    _event(incident, IncidentEventKind.COMPLAINT, actor=actor, text=complaint.number)
    _audit(incident, actor, "incident.open_complaint", {"complaint": complaint.number})
    return incident


@transaction.atomic
def incident_close(*, incident: Incident, actor: Actor, outcome: str) -> Incident:
    """A supervisor or manager closes the incident with its outcome."""
    incident = _open(incident, actor, decision=True)
    if not outcome.strip():
        raise ValidationError({"outcome": _("Say how it ended.")})
    incident.status = IncidentStatus.CLOSED
    incident.outcome = outcome.strip()
    incident.closed_at = timezone.now()
    incident.save(update_fields=["status", "outcome", "closed_at"])
    _event(incident, IncidentEventKind.CLOSED, actor=actor, text=incident.outcome)
    _audit(incident, actor, "incident.close")
    return incident


def _event(incident: Incident, kind: str, *, actor: Actor, text: str = "") -> IncidentEvent:
    return IncidentEvent.objects.create(
        agency_id=incident.agency_id,
        incident=incident,
        kind=kind,
        text=text.strip(),
        actor=actor.user,
    )


def _audit(
    incident: Incident, actor: Actor, action: str, changes: dict[str, object] | None = None
) -> None:
    audit_record(
        agency=incident.agency,
        actor=actor,
        action=action,
        target=incident,
        changes={"number": incident.number, **(changes or {})},
    )
