"""Time off (请假): requested by the office or the staff member, decided by a supervisor
or manager; two approved absences of one person never overlap."""

from dataclasses import replace
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.models import Role
from agency.permissions import Area, can, require
from messaging.rules import Event
from messaging.services import announce, office_recipients
from staff.models import StaffMember, TimeOff, TimeOffStatus
from staff.services.saving import lock_staff, validate


class TimeOffStateConflict(StateConflict):
    """The time off was already decided (409 in the API)."""


@transaction.atomic
def time_off_request(
    *, staff: StaffMember, actor: Actor, starts: datetime, ends: datetime, reason: str
) -> TimeOff:
    """Request time off (请假), by the office or by the staff member through their own login.

    A request that overlaps time off already requested or approved is refused;
    a supervisor or manager then approves or rejects it.
    """
    user = actor.user
    is_self = (
        user is not None
        and staff.user_id == user.pk
        and can(actor, Area.MY_JOBS, agency_id=staff.agency_id)
    )
    if not is_self:
        require(
            actor,
            Area.STAFF,
            agency_id=staff.agency_id,
            message=_("Only the office or the staff member themselves may request time off."),
        )
    errors: dict[str, list[str]] = {}
    if starts and ends and ends <= starts:
        errors["ends"] = [_("The end must be after the start.")]
    lock_staff(staff)
    if not errors:
        clash = _overlapping(staff, starts, ends, (TimeOffStatus.REQUESTED, TimeOffStatus.APPROVED))
        if clash is not None:
            errors["starts"] = [
                _("This overlaps time off already %(status)s: %(period)s.")
                % {"status": clash.get_status_display().lower(), "period": period_text(clash)}
            ]
    time_off = TimeOff(
        agency_id=staff.agency_id,
        staff=staff,
        period=DateTimeTZRange(starts, ends, "[)"),
        reason=reason.strip(),
        status=TimeOffStatus.REQUESTED,
    )
    validate(time_off, errors)
    time_off.save()
    audit_record(
        agency=staff.agency,
        actor=actor,
        action="time_off.request",
        target=staff,
        changes={"time_off": time_off.pk, "period": period_text(time_off), "reason": reason},
    )
    _tell_office(time_off, actor=actor)
    return time_off


def _tell_office(time_off: TimeOff, *, actor: Actor) -> None:
    """Supervisors and dispatchers of the person's branch hear of the request (who decides
    it, and who staffs around it), all but whoever entered it."""
    staff = time_off.staff
    link = reverse("staff_detail", kwargs={"pk": staff.pk})
    office = [
        replace(person, link=link)
        for person in office_recipients(
            staff.agency,
            roles=(Role.SUPERVISOR, Role.DISPATCHER),
            branch_id=staff.home_branch_id,
        )
        if person.user != actor.user
    ]
    announce(
        agency=staff.agency,
        event=Event.TIME_OFF_REQUESTED,
        key=f"time_off:{time_off.pk}:requested",
        context={
            "staff_name": staff.name,
            "dates": period_text(time_off),
            "reason": time_off.reason,
        },
        office=office,
        topics=[f"staff:{staff.pk}"],
        branch_id=staff.home_branch_id,
    )


@transaction.atomic
def time_off_approve(*, time_off: TimeOff, actor: Actor) -> TimeOff:
    """A supervisor or manager approves requested time off (DESIGN.md, "Who uses it").

    Two approved absences of one person never overlap: checked here for a
    clear message, and by the exclusion constraint `time_off_approved_do_not_overlap`
    against a concurrent approval.
    """
    current = _decidable(time_off, actor)
    clash = _overlapping(
        current.staff,
        current.period.lower,
        current.period.upper,
        (TimeOffStatus.APPROVED,),
        exclude=current.pk,
    )
    if clash is not None:
        raise ValidationError({"period": _overlap_message(clash)})
    current.status = TimeOffStatus.APPROVED
    current.decided_by = actor.user
    current.decided_at = timezone.now()
    try:
        with transaction.atomic():
            current.save(update_fields=["status", "decided_by", "decided_at"])
    except IntegrityError:
        raise ValidationError(
            {"period": _("This overlaps other approved time off of the same person.")}
        ) from None
    _audit_decision(current, actor, "time_off.approve", note="")
    return current


@transaction.atomic
def time_off_reject(*, time_off: TimeOff, actor: Actor, note: str = "") -> TimeOff:
    """A supervisor or manager rejects requested time off; the note says why (audit log)."""
    current = _decidable(time_off, actor)
    current.status = TimeOffStatus.REJECTED
    current.decided_by = actor.user
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "decided_by", "decided_at"])
    _audit_decision(current, actor, "time_off.reject", note=note)
    return current


def period_text(time_off: TimeOff) -> str:
    """The period in the agency's time zone, as a dispatcher reads it."""
    zone = time_off.agency.zone
    lower = time_off.period.lower.astimezone(zone)
    upper = time_off.period.upper.astimezone(zone)
    return f"{lower:%Y-%m-%d %H:%M} – {upper:%Y-%m-%d %H:%M}"


def _decidable(time_off: TimeOff, actor: Actor) -> TimeOff:
    require(
        actor,
        Area.STAFF_DECISIONS,
        agency_id=time_off.agency_id,
        message=_("Only a supervisor or a manager may approve or reject time off."),
    )
    # The staff row first, as time_off_request does: one order of locks, no deadlock.
    StaffMember.objects.select_for_update().get(pk=time_off.staff_id)
    current = (
        TimeOff.objects.select_for_update(of=("self",))
        .select_related("agency", "staff")
        .get(pk=time_off.pk, agency_id=time_off.agency_id)
    )
    if current.status != TimeOffStatus.REQUESTED:
        raise TimeOffStateConflict(
            _("This time off was already %(status)s.")
            % {"status": current.get_status_display().lower()}
        )
    return current


def _audit_decision(time_off: TimeOff, actor: Actor, action: str, *, note: str) -> None:
    changes: dict[str, Any] = {
        "time_off": time_off.pk,
        "status": [TimeOffStatus.REQUESTED.value, time_off.status],
        "period": period_text(time_off),
    }
    if note:
        changes["note"] = note
    audit_record(
        agency=time_off.agency, actor=actor, action=action, target=time_off.staff, changes=changes
    )


def _overlapping(
    staff: StaffMember,
    starts: datetime,
    ends: datetime,
    statuses: tuple[str, ...],
    *,
    exclude: int | None = None,
) -> TimeOff | None:
    found = TimeOff.objects.filter(
        agency_id=staff.agency_id,
        staff=staff,
        status__in=statuses,
        period__overlap=DateTimeTZRange(starts, ends, "[)"),
    )
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.select_related("agency").order_by("period").first()


def _overlap_message(clash: TimeOff) -> str:
    return _("This overlaps approved time off of the same person: %(period)s.") % {
        "period": period_text(clash)
    }
