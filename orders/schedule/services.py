"""The schedule board's writes beyond a proposal: move a job to another time, swap two
jobs' people. (A drop on a lane proposes through `orders.staffing.services.assignment_propose`;
a release is `assignment_release`.)

Locking follows staffing: the orders first (`order_lock`, by id when there are two),
then the people, by id (commit 8eb45fe), and the exclusion constraint
`staff_never_double_booked` decides a clash; a refusal leaves everything as it was.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from messaging.rules import Event
from orders import announcements
from orders.lifecycle import OrderStateConflict, order_lock, order_transition
from orders.models import (
    HOLDING,
    SERVED,
    Assignment,
    AssignmentStatus,
    Order,
    OrderStatus,
    ScheduleKind,
)
from orders.staffing.attendance import no_show_due
from orders.staffing.matching import explain_exclusion
from orders.staffing.notices import ack_due, tell_staff
from orders.staffing.services import DOUBLE_BOOKING_CONSTRAINT, DoubleBooked
from orders.timeline import note
from staff.models import StaffMember, TimeOff, TimeOffStatus

#: Jobs whose time and people the board may still change: staffed or to be, not begun.
BEFORE_SERVICE = frozenset({OrderStatus.CONFIRMED, OrderStatus.ASSIGNED})
#: Orders whose dates are history.
FINISHED = frozenset({OrderStatus.CANCELLED, *SERVED})


def window_text(starts: datetime, ends: datetime) -> str:
    """ "12月10日 14:00–17:00" in the active language and the current time zone."""
    starts, ends = timezone.localtime(starts), timezone.localtime(ends)
    day = formats.date_format(starts, "MONTH_DAY_FORMAT")
    return f"{day} {formats.time_format(starts, 'H:i')}–{formats.time_format(ends, 'H:i')}"


@transaction.atomic
def order_move(*, order: Order, starts_at: datetime, actor: Actor) -> Order:
    """Move a job to another start, keeping its length; its people move with it.

    Refused, naming the clash, when one of them is booked or on approved time off at
    the new time. The needs form of a one-off order follows (its date and hours are
    the order's); each assignment's no-show time is recomputed; staff and customer are told.
    """
    order = order_lock(order)
    if order.status not in BEFORE_SERVICE:
        raise OrderStateConflict(
            _("Only a job not yet begun can move; this one is %(status)s.")
            % {"status": OrderStatus(order.status).label}
        )
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a time in the future.")})
    if starts_at == order.starts_at:
        raise ValidationError({"starts_at": _("The job already starts at that time.")})
    was = window_text(order.starts_at, order.ends_at)
    shift = starts_at - order.starts_at
    order.starts_at, order.ends_at = starts_at, order.ends_at + shift
    holding = list(
        order.assignments.filter(status__in=HOLDING).select_related("staff").order_by("staff_id")
    )
    _lock_people(member.staff_id for member in holding)
    _refuse_time_off(order, holding)
    period = DateTimeTZRange(order.starts_at, order.ends_at, "[)")
    _rebook(order, holding, {a.pk: period for a in holding})
    order.save(update_fields=["starts_at", "ends_at", "updated_at"])
    _follow_needs_form(order)
    now = window_text(order.starts_at, order.ends_at)
    note(order, actor=actor, text=_("Moved from %(was)s to %(now)s.") % {"was": was, "now": now})
    audit_record(
        agency=order.agency,
        actor=actor,
        action="order.move",
        target=order,
        changes={"window": [was, now]},
    )
    moved = f"order:{order.pk}:moved:{order.starts_at.isoformat()}"
    tell_staff(
        order,
        holding,
        event=Event.JOB_CHANGED,
        key=moved,
        extra={"change_summary": _("time changed to %(now)s") % {"now": now}},
    )
    announcements.order_moved(order, key=moved)
    return order


@transaction.atomic
def order_window_set(
    *, order: Order, starts_at: datetime, ends_at: datetime, actor: Actor
) -> Order:
    """Give a live-in placement new first and last days (its terms or an amendment).

    Unlike `order_move` the length changes, and a placement under way may still change
    its end. Each holding assignment follows: one that began with the order moves with
    its start, a replacement that came in later keeps its own; all end with the order.
    The exclusion constraint refuses an overlap with another job of the same person,
    naming it; time off is refused the same way as a move.
    """
    order = order_lock(order)
    if order.status in FINISHED:
        raise OrderStateConflict(
            _("The dates of a finished order stay as they were; this one is %(status)s.")
            % {"status": OrderStatus(order.status).label}
        )
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The last day is before the first.")})
    if (starts_at, ends_at) == (order.starts_at, order.ends_at):
        return order
    was = window_text(order.starts_at, order.ends_at)
    earlier_start = order.starts_at
    order.starts_at, order.ends_at = starts_at, ends_at
    holding = list(
        order.assignments.filter(status__in=HOLDING).select_related("staff").order_by("staff_id")
    )
    _lock_people(member.staff_id for member in holding)
    _refuse_time_off(order, holding)
    periods = {
        a.pk: DateTimeTZRange(
            starts_at if a.period.lower == earlier_start else max(a.period.lower, starts_at),
            ends_at,
            "[)",
        )
        for a in holding
    }
    _rebook(order, holding, periods)
    order.save(update_fields=["starts_at", "ends_at", "updated_at"])
    _follow_needs_form(order)
    now = window_text(order.starts_at, order.ends_at)
    note(
        order,
        actor=actor,
        text=_("Dates changed from %(was)s to %(now)s.") % {"was": was, "now": now},
    )
    audit_record(
        agency=order.agency,
        actor=actor,
        action="order.window",
        target=order,
        changes={"window": [was, now]},
    )
    return order


@transaction.atomic
def assignments_swap(
    *, first: Assignment, second: Assignment, actor: Actor
) -> tuple[Assignment, Assignment]:
    """Exchange the people of two jobs: each takes the other's place (role), proposed to
    that job's customer, who agrees to the newcomer as to any replacement.

    Both are checked against the hard filters for their new job (skills, time off,
    bookings, do-not-send…) with the swapped bookings out of the way; either refusal
    leaves both as they were. The old assignments stay, released and `replaced_by`.
    """
    if first.order_id == second.order_id:
        raise ValidationError({"second": _("Choose a job of another order.")})
    orders = {o.pk: o for o in (first.order, second.order)}
    locked = {pk: order_lock(orders[pk]) for pk in sorted(orders)}
    one, other = _holding(locked[first.order_id], first), _holding(locked[second.order_id], second)
    _lock_people([one.staff_id, other.staff_id])
    now = timezone.now()
    reason = _("Swapped on the schedule board.")
    Assignment.objects.filter(pk__in=[one.pk, other.pk]).update(
        status=AssignmentStatus.RELEASED,
        released_at=now,
        release_reason=reason,
        ack_due_at=None,
        no_show_due_at=None,
    )
    problems = [
        f"{incoming.staff.name}: {' '.join(reasons)}"
        for leaving, incoming in ((one, other), (other, one))
        if (reasons := explain_exclusion(order=locked[leaving.order_id], staff=incoming.staff))
    ]
    if problems:
        raise ValidationError({"second": problems})
    arrivals = [
        _take_place(locked[one.order_id], leaving=one, staff=other.staff, actor=actor, now=now),
        _take_place(locked[other.order_id], leaving=other, staff=one.staff, actor=actor, now=now),
    ]
    _save_bookings(arrivals)
    for leaving, arrival in zip((one, other), arrivals, strict=True):
        order = locked[leaving.order_id]
        leaving.status, leaving.replaced_by = AssignmentStatus.RELEASED, arrival
        leaving.save(update_fields=["replaced_by"])
        note(
            order,
            actor=actor,
            text=_("%(old)s swapped for %(new)s (order %(other)s).")
            % {
                "old": leaving.staff.name,
                "new": arrival.staff.name,
                "other": locked[other.order_id if leaving is one else one.order_id].number,
            },
        )
        audit_record(
            agency=order.agency,
            actor=actor,
            action="assignment.swap",
            target=leaving,
            changes={"staff": [leaving.staff.name, arrival.staff.name], "replaced_by": arrival.pk},
        )
        tell_staff(
            order,
            [leaving],
            event=Event.JOB_REPLACED,
            key=f"assignment:{leaving.pk}:taken_off",
            extra={"reason": reason},
            on_job_page=False,
        )
        _await_customer(order, arrival, actor=actor)
        tell_staff(
            order, [arrival], event=Event.JOB_PROPOSED, key=f"assignment:{arrival.pk}:swapped_in"
        )
    return arrivals[0], arrivals[1]


# --- helpers (inside the callers' transactions) ----------------------------------


def _lock_people(staff_ids: Iterable[int]) -> None:
    """The people, locked in one order (as staffing's bookings lock them: no deadlock)."""
    people = sorted(set(staff_ids))
    list(StaffMember.objects.select_for_update().filter(pk__in=people).order_by("pk").values("pk"))


def _refuse_time_off(order: Order, holding: list[Assignment]) -> None:
    away = (
        TimeOff.objects.filter(
            agency_id=order.agency_id,
            staff_id__in=[a.staff_id for a in holding],
            status=TimeOffStatus.APPROVED,
            period__overlap=DateTimeTZRange(order.starts_at, order.ends_at, "[)"),
        )
        .select_related("staff")
        .first()
    )
    if away is not None:
        raise ValidationError(
            {"starts_at": _("%(name)s has approved time off then.") % {"name": away.staff.name}}
        )


def _rebook(order: Order, holding: list[Assignment], periods: dict[int, DateTimeTZRange]) -> None:
    """Each holding assignment takes its new period; the exclusion constraint's refusal
    becomes `DoubleBooked` naming the clash, and nothing is saved."""
    try:
        with transaction.atomic():
            for assignment in holding:
                assignment.period = periods[assignment.pk]
                if assignment.no_show_due_at is not None:
                    assignment.no_show_due_at = no_show_due(order)
                assignment.save(update_fields=["period", "no_show_due_at"])
    except IntegrityError as error:
        diagnostic = getattr(error.__cause__, "diag", None)
        if getattr(diagnostic, "constraint_name", None) != DOUBLE_BOOKING_CONSTRAINT:
            raise
        period = DateTimeTZRange(order.starts_at, order.ends_at, "[)")
        raise DoubleBooked(_clash(order, holding, period)) from error


def _clash(order: Order, holding: list[Assignment], period: DateTimeTZRange) -> str:
    """Who is booked at the new time, and with which job (the constraint's refusal)."""
    clash = (
        Assignment.objects.filter(
            agency_id=order.agency_id,
            staff_id__in=[a.staff_id for a in holding],
            status__in=HOLDING,
            period__overlap=period,
        )
        .exclude(order=order)
        .select_related("staff", "order")
        .first()
    )
    if clash is None:
        return _("Someone on this job is booked at that time.")
    return _("%(name)s already has a job %(window)s (order %(number)s): not moved.") % {
        "name": clash.staff.name,
        "window": window_text(clash.period.lower, clash.period.upper),
        "number": clash.order.number,
    }


def _follow_needs_form(order: Order) -> None:
    """A one-off order's needs form says its date and hours: keep it saying the order's.
    A recurring plan's form describes every occurrence; one occurrence moving leaves it."""
    if order.plan_id is not None:
        return
    needs = order.needs_form
    zone = order.agency.zone
    starts, ends = order.starts_at.astimezone(zone), order.ends_at.astimezone(zone)
    if needs.end_date is not None:
        needs.end_date += starts.date() - needs.start_date
    needs.start_date = starts.date()
    needs.time_start, needs.time_end = starts.time(), ends.time()
    if needs.schedule_kind == ScheduleKind.LIVE_IN:
        # A placement's first and last days may change apart (its terms, an amendment).
        needs.end_date = ends.date()
        needs.days = (needs.end_date - needs.start_date).days + 1
    needs.save(update_fields=["start_date", "end_date", "time_start", "time_end", "days"])


def _holding(order: Order, assignment: Assignment) -> Assignment:
    """The assignment read again under its order's lock: still holding, before the service."""
    found = (
        order.assignments.filter(pk=assignment.pk, status__in=HOLDING)
        .select_related("staff")
        .first()
    )
    if found is None:
        raise StateConflict(_("This staff member is no longer on the job."))
    if order.status not in BEFORE_SERVICE:
        raise OrderStateConflict(
            _("Only a job not yet begun can change hands here; order %(number)s is %(status)s.")
            % {"number": order.number, "status": OrderStatus(order.status).label}
        )
    return found


def _take_place(
    order: Order, *, leaving: Assignment, staff: StaffMember, actor: Actor, now: datetime
) -> Assignment:
    """The newcomer is proposed to the customer, confirmed or not the person leaving was:
    the customer agrees to who comes into their home (as 换人 asks)."""
    return Assignment(
        agency_id=order.agency_id,
        order=order,
        staff=staff,
        role=leaving.role,
        period=DateTimeTZRange(order.starts_at, order.ends_at, "[)"),
        proposed_by=actor.user,
        ack_due_at=ack_due(order, now=now),
    )


def _await_customer(order: Order, arrival: Assignment, *, actor: Actor) -> None:
    """An assigned order with nobody confirmed left waits for the customer again."""
    if (
        order.status == OrderStatus.ASSIGNED
        and not order.assignments.filter(status=AssignmentStatus.CONFIRMED).exists()
    ):
        order_transition(
            order=order,
            to=OrderStatus.CONFIRMED,
            actor=actor,
            reason=_("Waiting for the customer to confirm %(name)s.")
            % {"name": arrival.staff.name},
        )


def _save_bookings(assignments: list[Assignment]) -> None:
    try:
        with transaction.atomic():
            for assignment in assignments:
                assignment.save()
    except IntegrityError as error:
        diagnostic = getattr(error.__cause__, "diag", None)
        if getattr(diagnostic, "constraint_name", None) != DOUBLE_BOOKING_CONSTRAINT:
            raise
        raise DoubleBooked(
            _("One of them was booked meanwhile at that time. Reload the board.")
        ) from error
