"""Attendance (DESIGN.md: field staff lateness is recorded): when a job becomes a no-show,
how a check-in and a check-out read, and the sweep that tells the dispatchers of no-shows.

The service log's check-in and check-out stay the record; the services that write them
(orders.service.services.service_log) call `arrived` and `left` here, inside their
transactions, to keep the reading on the assignment. The staffing services set and clear
`no_show_due_at` (`arrival_due`) as they confirm and release people.
"""

import math
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from messaging.rules import Event
from orders.intake.models import District
from orders.models import Assignment, AssignmentStatus, Order, Punctuality
from orders.staffing.notices import tell_desk
from orders.timeline import note

EARTH_RADIUS_KM = 6371.0


def no_show_due(order: Order) -> datetime:
    """No check-in by the start and the agency's no-show time makes a no-show."""
    return order.starts_at + timedelta(minutes=order.agency.no_show_after_minutes)


def arrival_due(assignment: Assignment, order: Order) -> datetime:
    """When this person becomes a no-show: a replacement who starts later than the order
    (换人 during the service) has the agency's no-show time from their own start."""
    return no_show_due(order) + max(timedelta(0), assignment.period.lower - order.starts_at)


def _minutes(span: timedelta) -> int:
    return max(0, math.floor(span.total_seconds() / 60))


def distance_km(lat1: Decimal, lon1: Decimal, lat2: Decimal, lon2: Decimal) -> float:
    """The great-circle distance between two points (haversine)."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def off_district(order: Order, latitude: Decimal, longitude: Decimal) -> bool | None:
    """Whether a position lies outside the job's district (None: the agency has no centre
    for the address's district, so nobody can say)."""
    name = order.needs_form.address.district.strip()
    district = District.objects.filter(agency_id=order.agency_id, name=name).first()
    if district is None:
        return None
    far = distance_km(latitude, longitude, district.latitude, district.longitude)
    return far > float(district.radius_km)


def arrived(
    assignment: Assignment,
    *,
    actor: Actor,
    at: datetime,
    position: tuple[Decimal, Decimal] | None,
) -> None:
    """Read a check-in: on time or late (after the start and the agency's grace), where.

    A check-in after the no-show notice turns the record late with its minutes: the
    notice stays in the outbox and the timeline, as it was true when sent. A late
    arrival tells the dispatchers, once.
    """
    order = assignment.order
    starts = assignment.period.lower
    late = at > starts + timedelta(minutes=order.agency.late_grace_minutes)
    before = assignment.punctuality
    assignment.arrived_at = at
    assignment.punctuality = Punctuality.LATE if late else Punctuality.ON_TIME
    assignment.late_minutes = _minutes(at - starts)
    assignment.no_show_due_at = None
    assignment.arrived_off_district = (
        None if position is None else off_district(order, position[0], position[1])
    )
    assignment.save(
        update_fields=[
            "arrived_at",
            "punctuality",
            "late_minutes",
            "no_show_due_at",
            "arrived_off_district",
        ]
    )
    audit_record(
        agency=order.agency,
        actor=actor,
        action="assignment.arrived",
        target=assignment,
        changes={
            "punctuality": [before, assignment.punctuality],
            "late_minutes": assignment.late_minutes,
            "off_district": assignment.arrived_off_district,
        },
    )
    if late:
        tell_desk(
            order,
            assignment,
            event=Event.JOB_LATE,
            key=f"assignment:{assignment.pk}:late",
            extra={"minutes": str(assignment.late_minutes)},
        )


def left(assignment: Assignment, *, at: datetime) -> None:
    """Read a check-out: the minutes left before the end, when earlier than the end less
    the agency's grace (0: not early)."""
    ends = assignment.period.upper
    early = at < ends - timedelta(minutes=assignment.order.agency.late_grace_minutes)
    assignment.left_at = at
    assignment.left_early_minutes = _minutes(ends - at) if early else 0
    assignment.save(update_fields=["left_at", "left_early_minutes"])


def no_show_tell_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Mark every confirmed person not checked in by their no-show time a no-show and tell
    the dispatchers at once; how many.

    Like `unacknowledged_tell_due`: the due rows are claimed with SKIP LOCKED through the
    partial index on `no_show_due_at`, which holds only rows still waiting; each claimed
    row's due time is cleared in the same transaction, so a job is told once.
    """
    now = now or timezone.now()
    actor = Actor.system()
    with transaction.atomic():
        due = list(
            Assignment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(no_show_due_at__lte=now)
            .select_related(
                "order__agency",
                "order__customer",
                "order__service_type",
                "order__needs_form__address",
                "staff",
            )
            .order_by("no_show_due_at")[:limit]
        )
        if not due:
            return 0
        missing = [
            a for a in due if a.status == AssignmentStatus.CONFIRMED and a.arrived_at is None
        ]
        for assignment in missing:
            _no_show(assignment, actor=actor)
        Assignment.objects.filter(pk__in=[a.pk for a in due]).update(no_show_due_at=None)
        return len(missing)


def _no_show(assignment: Assignment, *, actor: Actor) -> None:
    order = assignment.order
    minutes = order.agency.no_show_after_minutes
    assignment.punctuality = Punctuality.NO_SHOW
    assignment.save(update_fields=["punctuality"])
    note(
        order,
        actor=actor,
        text=_("%(name)s has not checked in %(minutes)s minutes after the start: no-show.")
        % {"name": assignment.staff.name, "minutes": minutes},
    )
    audit_record(
        agency=order.agency,
        actor=actor,
        action="assignment.no_show",
        target=assignment,
        changes={"punctuality": ["", Punctuality.NO_SHOW]},
    )
    tell_desk(
        order,
        assignment,
        event=Event.JOB_NO_SHOW,
        key=f"assignment:{assignment.pk}:no_show",
        extra={"minutes": str(minutes)},
    )
