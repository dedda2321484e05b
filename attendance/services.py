"""Writes of office attendance: clocking in and out, the manager's corrections, the
policy and the office's days off (DESIGN.md: office hours 8:30–17:30; office staff sign
in, with deductions)."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record, changes_between, snapshot
from agency.models import Agency, Membership
from agency.permissions import Area, require
from attendance.models import AttendanceDay, AttendancePolicy, OfficeDayOff
from attendance.selectors import policy_for

POLICY_FIELDS = (
    "starts_at",
    "ends_at",
    "grace_minutes",
    "working_weekdays",
    "late_deduction",
    "absence_deduction",
)
DAY_FIELDS = ("clocked_in_at", "clocked_out_at", "note")


@dataclass(frozen=True)
class ClockIn:
    day: AttendanceDay
    #: False when the member had clocked in already today: the first clock-in stands.
    created: bool


def _local_time(agency: Agency, moment: datetime) -> str:
    return time_format(timezone.localtime(moment, agency.zone), "TIME_FORMAT")


@transaction.atomic
def clock_in(*, agency: Agency, actor: Actor, note: str = "") -> ClockIn:
    """An office member clocks in, once a day (the agency's day): a second clock-in
    answers the first and changes nothing, so a double tap never moves the time."""
    user = require(
        actor,
        Area.OFFICE_ATTENDANCE,
        agency_id=agency.pk,
        message=_("Only office members clock in at the office."),
    )
    now = timezone.now()
    record, created = AttendanceDay.objects.get_or_create(
        agency=agency,
        user=user,
        day=agency.local_date(now),
        defaults={"clocked_in_at": now, "note": note},
    )
    if not created and record.clocked_in_at is None:
        # A day a manager had marked as not attended: the member is here after all.
        record = AttendanceDay.objects.select_for_update().get(pk=record.pk)
        if record.clocked_in_at is None:
            record.clocked_in_at = now
            record.save(update_fields=["clocked_in_at"])
            created = True
    if created:
        audit_record(
            agency=agency,
            actor=actor,
            action="attendance.clock_in",
            target=record,
            changes={"clocked_in_at": [None, snapshot(record, ["clocked_in_at"])["clocked_in_at"]]},
        )
    return ClockIn(day=record, created=created)


@transaction.atomic
def clock_out(*, agency: Agency, actor: Actor) -> AttendanceDay:
    """An office member clocks out after clocking in the same day, once: a second
    clock-out is refused (the first time stands; a manager corrects a mistake)."""
    user = require(
        actor,
        Area.OFFICE_ATTENDANCE,
        agency_id=agency.pk,
        message=_("Only office members clock out at the office."),
    )
    now = timezone.now()
    record = (
        AttendanceDay.objects.select_for_update()
        .filter(agency=agency, user=user, day=agency.local_date(now))
        .first()
    )
    if record is None or record.clocked_in_at is None:
        raise ValidationError(_("Clock in first: you have not clocked in today."))
    if record.clocked_out_at is not None:
        raise ValidationError(
            _("You clocked out at %(time)s already today.")
            % {"time": _local_time(agency, record.clocked_out_at)}
        )
    record.clocked_out_at = now
    record.save(update_fields=["clocked_out_at"])
    audit_record(
        agency=agency,
        actor=actor,
        action="attendance.clock_out",
        target=record,
        changes={"clocked_out_at": [None, snapshot(record, ["clocked_out_at"])["clocked_out_at"]]},
    )
    return record


@transaction.atomic
def attendance_correct(
    *,
    agency: Agency,
    actor: Actor,
    membership: Membership,
    day: date,
    clocked_in: time | None,
    clocked_out: time | None,
    reason: str,
) -> AttendanceDay:
    """A manager sets an office member's times of a day (local times), with a reason that
    the audit log keeps. No clock-in means the day was not attended; a clock-out needs a
    clock-in before it; a day still to come cannot be corrected."""
    manager = require(
        actor,
        Area.ATTENDANCE_REPORT,
        agency_id=agency.pk,
        message=_("Only a manager corrects attendance."),
    )
    if membership.agency_id != agency.pk:
        raise ValidationError({"member": _("Choose a member of this agency.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the times are corrected.")})
    if day > agency.today():
        raise ValidationError({"day": _("A day still to come cannot be corrected.")})
    if clocked_out is not None and clocked_in is None:
        raise ValidationError({"clocked_out": _("A clock-out needs a clock-in.")})
    if clocked_in is not None and clocked_out is not None and clocked_out < clocked_in:
        raise ValidationError({"clocked_out": _("The clock-out comes after the clock-in.")})
    zone = agency.zone
    record, _created = AttendanceDay.objects.select_for_update().get_or_create(
        agency=agency, user=membership.user, day=day
    )
    before = snapshot(record, DAY_FIELDS)
    record.clocked_in_at = (
        datetime.combine(day, clocked_in, tzinfo=zone) if clocked_in is not None else None
    )
    record.clocked_out_at = (
        datetime.combine(day, clocked_out, tzinfo=zone) if clocked_out is not None else None
    )
    record.corrected_by = manager
    record.corrected_at = timezone.now()
    record.save()
    changes: dict[str, Any] = changes_between(before, snapshot(record, DAY_FIELDS))
    changes["reason"] = reason
    audit_record(
        agency=agency, actor=actor, action="attendance.correct", target=record, changes=changes
    )
    return record


@transaction.atomic
def attendance_policy_save(
    *,
    agency: Agency,
    actor: Actor,
    starts_at: time,
    ends_at: time,
    grace_minutes: int,
    working_weekdays: list[int],
    late_deduction: Decimal,
    absence_deduction: Decimal,
) -> AttendancePolicy:
    """The manager sets the office hours, the grace, the working days and the deductions."""
    require(
        actor,
        Area.ATTENDANCE_REPORT,
        agency_id=agency.pk,
        message=_("Only a manager sets the office hours."),
    )
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The office closes after it opens.")})
    if not working_weekdays:
        raise ValidationError({"working_weekdays": _("Choose at least one working day.")})
    AttendancePolicy.objects.select_for_update().filter(agency=agency).first()
    policy = policy_for(agency)
    before = snapshot(policy, POLICY_FIELDS)
    policy.starts_at = starts_at
    policy.ends_at = ends_at
    policy.grace_minutes = grace_minutes
    policy.working_weekdays = sorted(set(working_weekdays))
    policy.late_deduction = late_deduction
    policy.absence_deduction = absence_deduction
    policy.full_clean(exclude=["agency"])
    policy.save()
    audit_record(
        agency=agency,
        actor=actor,
        action="attendance.policy",
        target=policy,
        changes=changes_between(before, snapshot(policy, POLICY_FIELDS)),
    )
    return policy


@transaction.atomic
def office_day_off_add(*, agency: Agency, actor: Actor, day: date, name: str) -> OfficeDayOff:
    """The manager closes the office on a day: nobody is absent on it."""
    require(
        actor,
        Area.ATTENDANCE_REPORT,
        agency_id=agency.pk,
        message=_("Only a manager sets the office's days off."),
    )
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the day off.")})
    if OfficeDayOff.objects.filter(agency=agency, day=day).exists():
        raise ValidationError({"day": _("The office is closed on that day already.")})
    day_off = OfficeDayOff.objects.create(agency=agency, day=day, name=name)
    audit_record(
        agency=agency,
        actor=actor,
        action="attendance.day_off_add",
        target=day_off,
        changes={"day": [None, day.isoformat()], "name": [None, name]},
    )
    return day_off


@transaction.atomic
def office_day_off_remove(*, agency: Agency, actor: Actor, day: date) -> None:
    """The manager opens the office again on a day that was off."""
    require(
        actor,
        Area.ATTENDANCE_REPORT,
        agency_id=agency.pk,
        message=_("Only a manager sets the office's days off."),
    )
    day_off = OfficeDayOff.objects.select_for_update().filter(agency=agency, day=day).first()
    if day_off is None:
        raise ValidationError({"day": _("The office is not closed on that day.")})
    audit_record(
        agency=agency,
        actor=actor,
        action="attendance.day_off_remove",
        target=day_off,
        changes={"day": [day.isoformat(), None], "name": [day_off.name, None]},
    )
    day_off.delete()
