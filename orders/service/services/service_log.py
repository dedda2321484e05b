"""The service log (服务记录), written by the staff on the job from their own assignment.

DESIGN.md, "Service": preparation (tools, materials, rehearsal) and the service
itself — check-in, tasks, notes, on-site inspection, check-out — are written in
the service log. Entries are append-only: a correction is a new entry naming
the one it corrects.

Status moves: assigned → in service at the first check-in; in service →
inspection when the on-site lead checks out, which opens acceptance round 1.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from messaging.rules import Event
from messaging.services import announce
from orders.lifecycle import order_lock, order_transition
from orders.messages import customer_recipient, job_context, order_topics
from orders.models import (
    AcceptanceRound,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    EntryKind,
    Order,
    OrderStatus,
    ServiceLogEntry,
    Stage,
)
from orders.service import selectors
from orders.service.privacy import contact_window, staff_may_see_contact
from orders.staffing import attendance

#: While these, the team is on the job and writes tasks, notes and photos.
ON_THE_JOB = frozenset({OrderStatus.IN_SERVICE, OrderStatus.INSPECTION, OrderStatus.REWORK})


def acceptance_round_start(order: Order) -> AcceptanceRound:
    """A new acceptance round on a locked order, numbered after the last (验收, DESIGN.md).

    The first opens when the lead checks out; the next when the rework is done.
    """
    last = order.acceptance_rounds.aggregate(last=Max("number"))["last"] or 0
    return AcceptanceRound.objects.create(agency_id=order.agency_id, order=order, number=last + 1)


@dataclass(frozen=True)
class Position:
    """Where the device was, when it offered its position."""

    latitude: Decimal
    longitude: Decimal
    accuracy_m: int | None = None


def own_assignment(assignment: Assignment, *, actor: Actor) -> Assignment:
    """The actor's own confirmed assignment, read again with its order locked."""
    order = order_lock(assignment.order)
    fresh = Assignment.objects.select_related("staff").get(
        pk=assignment.pk, agency_id=order.agency_id
    )
    if actor.user is None or fresh.staff.user_id != actor.user.pk:
        raise PermissionDenied(_("This is not your job."))
    if fresh.status == AssignmentStatus.PROPOSED:
        raise StateConflict(_("The customer has not confirmed you for this job yet."))
    if fresh.status != AssignmentStatus.CONFIRMED:
        raise StateConflict(_("You are no longer on this job."))
    fresh.order = order
    return fresh


def write_entry(
    assignment: Assignment, *, actor: Actor, kind: str, **fields: object
) -> ServiceLogEntry:
    """One new entry on the assignment's (locked) order, validated, and its audit line."""
    entry = ServiceLogEntry(
        agency_id=assignment.agency_id,
        order=assignment.order,
        assignment=assignment,
        kind=kind,
        author=actor.user,
        **fields,
    )
    entry.full_clean()
    entry.save()
    audit_record(
        agency=assignment.order.agency,
        actor=actor,
        action=f"service_log.{kind}",
        target=assignment.order,
        changes={"entry": entry.pk, "item": entry.item} if entry.item else {"entry": entry.pk},
    )
    return entry


@transaction.atomic
def log_preparation(*, assignment: Assignment, actor: Actor, item: str) -> ServiceLogEntry:
    """Tick one line of the service type's preparation checklist (tools, materials, rehearsal)."""
    assignment = own_assignment(assignment, actor=actor)
    order = assignment.order
    if order.status not in (OrderStatus.ASSIGNED, OrderStatus.IN_SERVICE):
        raise StateConflict(_("Preparation is ticked before and during the job."))
    if item not in order.service_type.preparation_checklist:
        raise ValidationError({"item": _("Choose a line of the preparation checklist.")})
    if item in selectors.ticked_items(order, EntryKind.PREPARATION):
        raise ValidationError({"item": _("This line is ticked already.")})
    return write_entry(assignment, actor=actor, kind=EntryKind.PREPARATION, item=item)


@transaction.atomic
def log_departure(*, assignment: Assignment, actor: Actor) -> ServiceLogEntry:
    """出发: the staff member sets out for the job; the customer hears they are on the way.

    From the time the staff member may read the address (they need it to set out)
    until check-in; once per person. The customer is told once per order, by the
    first to set out, at any hour (the rule is urgent: they are coming now).
    """
    assignment = own_assignment(assignment, actor=actor)
    order = assignment.order
    if order.status not in (OrderStatus.ASSIGNED, OrderStatus.IN_SERVICE):
        raise StateConflict(_("This job cannot be set out for now."))
    now = timezone.now()
    if now > order.ends_at:
        raise StateConflict(_("This job has ended."))
    if not staff_may_see_contact(assignment, at=now):
        opens = timezone.localtime(contact_window(assignment).opens_at, order.agency.zone)
        raise StateConflict(
            _("You can set out from %(time)s.")
            % {"time": date_format(opens, "SHORT_DATETIME_FORMAT")}
        )
    if _has(assignment, EntryKind.DEPARTURE):
        raise StateConflict(_("You have set out already."))
    if _has(assignment, EntryKind.CHECK_IN):
        raise StateConflict(_("You have checked in already."))
    entry = write_entry(assignment, actor=actor, kind=EntryKind.DEPARTURE)
    _tell_customer(assignment, event=Event.ON_THE_WAY, key=f"order:{order.pk}:on_the_way")
    return entry


def _tell_customer(assignment: Assignment, *, event: Event, key: str) -> None:
    """The customer hears of the staff member (by name: never their phone)."""
    order = assignment.order
    values = job_context(order)
    name = assignment.staff.name
    announce(
        agency=order.agency,
        event=event,
        key=key,
        context=lambda language: {**values(language), "staff_name": name},
        customer=customer_recipient(order.customer),
        topics=[*order_topics(order), f"staff:{assignment.staff_id}"],
        branch_id=order.branch_id,
    )


def check_in_opens_at(order: Order) -> datetime:
    """Check-in opens the agency's set time before the start (60 minutes by default), not
    with the earlier window in which staff may read the address: a job is done on its day."""
    return order.starts_at - timedelta(minutes=order.agency.check_in_opens_minutes)


@transaction.atomic
def log_check_in(
    *, assignment: Assignment, actor: Actor, position: Position | None = None
) -> ServiceLogEntry:
    """Arrive: the first check-in puts the order in service once preparation is complete."""
    assignment = own_assignment(assignment, actor=actor)
    order = assignment.order
    if order.status not in (OrderStatus.ASSIGNED, OrderStatus.IN_SERVICE):
        raise StateConflict(_("This job cannot be checked in to now."))
    now = timezone.now()
    if now > order.ends_at:
        raise StateConflict(_("This job has ended: check-in is closed."))
    opens = check_in_opens_at(order)
    if now < opens:
        raise StateConflict(
            _("Check-in opens at %(time)s.")
            % {
                "time": date_format(
                    timezone.localtime(opens, order.agency.zone), "SHORT_DATETIME_FORMAT"
                )
            }
        )
    if _has(assignment, EntryKind.CHECK_IN):
        raise StateConflict(_("You have checked in already."))
    if order.status == OrderStatus.ASSIGNED:
        ticked = selectors.ticked_items(order, EntryKind.PREPARATION)
        missing = [line for line in order.service_type.preparation_checklist if line not in ticked]
        if missing:
            raise ValidationError(
                {
                    "item": _("Tick the preparation first: %(lines)s.")
                    % {"lines": "、".join(missing)}
                }
            )
        order_transition(
            order=order, to=OrderStatus.IN_SERVICE, actor=actor, reason=_("Checked in.")
        )
    entry = write_entry(assignment, actor=actor, kind=EntryKind.CHECK_IN, **_where(position))
    attendance.arrived(
        assignment,
        actor=actor,
        at=now,
        position=None if position is None else (position.latitude, position.longitude),
    )
    # The first to arrive tells the customer; the rest of the team arrives quietly.
    _tell_customer(assignment, event=Event.ARRIVED, key=f"order:{order.pk}:arrived")
    return entry


@transaction.atomic
def log_task(*, assignment: Assignment, actor: Actor, item: str, text: str = "") -> ServiceLogEntry:
    """A task of the needs form's checklist, done."""
    assignment = _checked_in(assignment, actor=actor)
    order = assignment.order
    if order.status != OrderStatus.IN_SERVICE:
        raise StateConflict(_("Tasks are ticked while the job is in service."))
    if item not in order.needs_form.checklist:
        raise ValidationError({"item": _("Choose a task of the needs form's checklist.")})
    if item in selectors.ticked_items(order, EntryKind.TASK):
        raise ValidationError({"item": _("This task is ticked already.")})
    return write_entry(assignment, actor=actor, kind=EntryKind.TASK, item=item, text=text.strip())


@transaction.atomic
def log_note(
    *, assignment: Assignment, actor: Actor, text: str = "", photo: UploadedFile | None = None
) -> ServiceLogEntry:
    """A note, a photo, or a photo with a caption."""
    assignment = _checked_in(assignment, actor=actor)
    if assignment.order.status not in ON_THE_JOB:
        raise StateConflict(_("Notes and photos are written during the job."))
    if not text.strip() and photo is None:
        raise ValidationError({"text": _("Write a note or add a photo.")})
    kind = EntryKind.PHOTO if photo is not None else EntryKind.NOTE
    return write_entry(assignment, actor=actor, kind=kind, text=text.strip(), photo=photo or "")


@transaction.atomic
def log_check_out(
    *, assignment: Assignment, actor: Actor, position: Position | None = None
) -> ServiceLogEntry:
    """Leave: the on-site lead's check-out ends the service and opens acceptance round 1.

    A team member may still check out after the lead has (the order is then
    under inspection or rework); the lead leaves only from a job in service.
    """
    assignment = _checked_in(assignment, actor=actor)
    order = assignment.order
    allowed = (OrderStatus.IN_SERVICE,) if assignment.role == AssignmentRole.LEAD else ON_THE_JOB
    if order.status not in allowed:
        raise StateConflict(_("This job cannot be checked out of now."))
    if _has(assignment, EntryKind.CHECK_OUT):
        raise StateConflict(_("You have checked out already."))
    entry = write_entry(assignment, actor=actor, kind=EntryKind.CHECK_OUT, **_where(position))
    attendance.left(assignment, at=timezone.now())
    if assignment.role == AssignmentRole.LEAD:
        order_transition(
            order=order,
            to=OrderStatus.INSPECTION,
            actor=actor,
            reason=_("Checked out; ready for inspection."),
        )
        acceptance_round_start(order)
    return entry


@transaction.atomic
def log_inspection(
    *, assignment: Assignment, actor: Actor, item: str, ok: bool, text: str = ""
) -> ServiceLogEntry:
    """The on-site lead's inspection of one line before signing stage 1."""
    assignment = _checked_in(assignment, actor=actor)
    order = assignment.order
    if assignment.role != AssignmentRole.LEAD:
        raise PermissionDenied(_("The on-site lead inspects."))
    waiting = selectors.open_round(order)
    if (
        order.status != OrderStatus.INSPECTION
        or waiting is None
        or waiting.next_stage != Stage.LEAD
    ):
        raise StateConflict(_("The on-site inspection comes after check-out, before stage 1."))
    if not item.strip():
        raise ValidationError({"item": _("Say what was inspected.")})
    if not ok and not text.strip():
        raise ValidationError({"text": _("Say what is wrong.")})
    return write_entry(
        assignment,
        actor=actor,
        kind=EntryKind.INSPECTION,
        item=item.strip()[:200],
        ok=ok,
        text=text.strip(),
    )


@transaction.atomic
def log_correction(
    *, entry: ServiceLogEntry, actor: Actor, text: str = "", withdraw: bool = False
) -> ServiceLogEntry:
    """Correct an entry by a new one: a corrected note, or the entry withdrawn.

    Only its author corrects it, once (a correction may itself be corrected),
    and only until the order is accepted.
    """
    if actor.user is None or entry.author_id != actor.user.pk:
        raise PermissionDenied(_("Only the person who wrote an entry corrects it."))
    assignment = own_assignment(entry.assignment, actor=actor)
    order = assignment.order
    entry = ServiceLogEntry.objects.get(pk=entry.pk, agency_id=order.agency_id)
    if order.status not in (OrderStatus.ASSIGNED, *ON_THE_JOB):
        raise StateConflict(_("The service log is closed."))
    if ServiceLogEntry.objects.filter(agency_id=order.agency_id, corrects=entry).exists():
        raise StateConflict(_("This entry is corrected already; correct the correction."))
    # Withdrawing these would leave the order, or a redone failed item, on a line the log
    # no longer shows.
    if withdraw and entry.kind in (EntryKind.CHECK_IN, EntryKind.CHECK_OUT, EntryKind.REWORK):
        raise ValidationError(
            {"withdraw": _("A check-in, check-out or rework is corrected, not withdrawn.")}
        )
    if not withdraw and not text.strip():
        raise ValidationError({"text": _("Write what the entry should say.")})
    # The correction replaces the entry's words; what the device and the record said
    # (where it was, which failed item) carries over, or the log as it stands loses it.
    return write_entry(
        assignment,
        actor=actor,
        kind=entry.kind,
        item=entry.item,
        ok=entry.ok,
        photo=entry.photo.name if entry.photo and not withdraw else "",
        text=text.strip(),
        latitude=entry.latitude,
        longitude=entry.longitude,
        accuracy_m=entry.accuracy_m,
        failed_item=entry.failed_item,
        corrects=entry,
        withdrawn=withdraw,
    )


def _checked_in(assignment: Assignment, *, actor: Actor) -> Assignment:
    assignment = own_assignment(assignment, actor=actor)
    if not _has(assignment, EntryKind.CHECK_IN):
        raise StateConflict(_("Check in first."))
    return assignment


def _has(assignment: Assignment, kind: str) -> bool:
    return ServiceLogEntry.objects.filter(
        agency_id=assignment.agency_id, assignment=assignment, kind=kind
    ).exists()


def _where(position: Position | None) -> dict[str, object]:
    if position is None:
        return {}
    return {
        "latitude": position.latitude,
        "longitude": position.longitude,
        "accuracy_m": position.accuracy_m,
    }
