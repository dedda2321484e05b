"""Assignment (派工): propose staff, the customer confirms, replace (换人), release.

DESIGN.md, "Staff and assignment": staff are matched on skills, certificates,
availability, area and ratings; the customer is shown name, photo and
qualifications and confirms; no staff member is ever double-booked (the
`staff_never_double_booked` exclusion constraint decides, not a check here:
two dispatchers at the same moment cannot both pass it).

Each service locks the order row first, so the changes of one order queue;
double booking across orders is the constraint's job.
"""

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from messaging.rules import Event
from orders import announcements
from orders.lifecycle import OrderStateConflict, order_lock, order_transition
from orders.models import (
    HOLDING,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Order,
    OrderStatus,
    SignaturePurpose,
    SignedVia,
)
from orders.signatures import record_signature, signature_errors
from orders.staffing.attendance import arrival_due
from orders.staffing.matching import explain_exclusion
from orders.staffing.notices import ack_due, tell_desk, tell_staff
from orders.timeline import by_message, link_sent, note
from staff.models import StaffMember

#: How the customer agreed to the proposed staff (`Assignment.confirmed_via`).
VIA_LINK = "link"
VIA_PHONE = "phone"
#: Orders whose staff may still change hands (换人): assigned, or during a long service.
REPLACEABLE = frozenset({OrderStatus.ASSIGNED, OrderStatus.IN_SERVICE})
#: Orders on which a proposal may wait for the customer's answer.
ANSWERABLE = frozenset({OrderStatus.CONFIRMED, *REPLACEABLE})


DOUBLE_BOOKING_CONSTRAINT = "staff_never_double_booked"


def proposal_refusal(order: Order, *, proposed: Iterable[Assignment]) -> StateConflict | None:
    """Why staff cannot be proposed for the order now (None: they can); the order's page
    asks it with the assignments it shows, the service with a query under the lock.

    Staff are proposed for a confirmed order, one proposal at a time: the customer
    answers before another is made (DESIGN.md, "Staff and assignment").
    """
    if order.status != OrderStatus.CONFIRMED:
        return OrderStateConflict(
            _("Staff are proposed for a confirmed order; this one is %(status)s.")
            % {"status": OrderStatus(order.status).label}
        )
    if any(True for _proposal in proposed):
        return StateConflict(
            _(
                "Staff are already proposed for this order: wait for the customer's answer, "
                "or withdraw them first."
            )
        )
    return None


def replacement_refusal(order: Order) -> OrderStateConflict | None:
    """Why the order's staff cannot be replaced now (None: they can)."""
    if order.status not in REPLACEABLE:
        return OrderStateConflict(
            _("Staff are replaced on an assigned order; this one is %(status)s.")
            % {"status": OrderStatus(order.status).label}
        )
    return None


class DoubleBooked(StateConflict):
    """The staff member holds an overlapping assignment (the API answers 409)."""


@transaction.atomic
def assignment_propose(
    *, order: Order, staff_list: Sequence[StaffMember], actor: Actor
) -> list[Assignment]:
    """Propose staff for a confirmed order, the first one as the on-site lead.

    Each must pass matching's hard filters (`explain_exclusion`); the database's
    exclusion constraint refuses a person booked meanwhile by someone else.
    """
    order = order_lock(order)
    refusal = proposal_refusal(
        order, proposed=order.assignments.filter(status=AssignmentStatus.PROPOSED)[:1]
    )
    if refusal is not None:
        raise refusal
    _check_candidates(order, staff_list)
    due = ack_due(order, now=timezone.now())
    assignments = [
        Assignment(
            agency_id=order.agency_id,
            order=order,
            staff=member,
            role=AssignmentRole.LEAD if index == 0 else AssignmentRole.MEMBER,
            period=DateTimeTZRange(order.starts_at, order.ends_at, "[)"),
            proposed_by=actor.user,
            ack_due_at=due,
        )
        for index, member in enumerate(staff_list)
    ]
    _book(assignments)
    names = "、".join(member.name for member in staff_list)
    note(order, actor=actor, text=_("Staff proposed: %(names)s.") % {"names": names})
    for assignment in assignments:
        audit_record(
            agency=order.agency,
            actor=actor,
            action="assignment.propose",
            target=assignment,
            changes={
                "order": order.number,
                "staff": assignment.staff.name,
                "role": assignment.role,
            },
        )
        _tell_proposed(order, assignment)
    return assignments


@transaction.atomic
def assignment_send_staff_card(*, order: Order, actor: Actor, url: str) -> None:
    """Text the customer the link to the staff card (name, photo, qualifications; no phone)."""
    order = order_lock(order)
    proposal = _proposed(order)  # the lead first
    announced = announcements.staff_card_sent(
        order,
        url=url,
        proposed=[assignment.pk for assignment in proposal],
        lead_name=proposal[0].staff.name,
    )
    channel = by_message(order, announced.messages)
    link_sent(
        order,
        actor=actor,
        text=_("Staff card sent (%(channel)s).") % {"channel": channel},
        action="assignment.card_sent",
        channel=channel,
    )


@transaction.atomic
def assignment_confirm(
    *,
    order: Order,
    via: str,
    actor: Actor,
    signed_name: str = "",
    note: str = "",
    shown: Collection[int] | None = None,
    user_agent: str = "",
) -> list[Assignment]:
    """The customer agrees to the proposed staff; a confirmed order becomes assigned.

    `via` LINK: the customer signed the staff card (`signed_name`, `actor`
    carries their address). PHONE: an office member heard it on the phone and
    verifies on the customer's behalf (DESIGN.md: the record says so and who).
    `shown` is the proposal the customer saw: if it changed since, nothing is
    confirmed (like a quote that changed under a confirmation link).
    """
    order = order_lock(order)
    proposed = _proposed(order)
    if shown is not None and set(shown) != {a.pk for a in proposed}:
        raise ValidationError(_("The proposed staff changed since this was shown; please review."))
    if via == VIA_LINK:
        signature = {"via": SignedVia.LINK, "signed_name": signed_name, "verification_reason": ""}
    elif via == VIA_PHONE:
        reason = _("Confirmed by the customer on the phone.")
        signature = {
            "via": SignedVia.OFFICE,
            "signed_name": signed_name or order.customer.name,
            "verification_reason": f"{reason} {note}".strip(),
        }
    else:
        raise ValidationError({"via": _("Choose how the customer confirmed: link or phone.")})
    errors = signature_errors(**signature)
    if errors:
        raise ValidationError(errors)
    record_signature(
        order,
        purpose=SignaturePurpose.CONFIRM_STAFF,
        actor=actor,
        user_agent=user_agent,
        **signature,
    )
    _confirm(order, proposed, via=via, actor=actor)
    return proposed


@transaction.atomic
def assignment_decline(*, order: Order, actor: Actor, reason: str = "") -> list[Assignment]:
    """The customer does not want the proposed staff: they are free again, the order waits."""
    order = order_lock(order)
    proposed = _proposed(order)
    now = timezone.now()
    for assignment in proposed:
        assignment.status = AssignmentStatus.DECLINED
        assignment.released_at = now
        assignment.release_reason = reason[:255]
        assignment.ack_due_at = None
        assignment.no_show_due_at = None
        assignment.save(
            update_fields=[
                "status",
                "released_at",
                "release_reason",
                "ack_due_at",
                "no_show_due_at",
            ]
        )
        audit_record(
            agency=order.agency,
            actor=actor,
            action="assignment.decline",
            target=assignment,
            changes={"status": [AssignmentStatus.PROPOSED, AssignmentStatus.DECLINED]},
        )
        # The customer's reason is theirs: the staff member hears only that they are off.
        _tell_taken_off(order, assignment, reason="")
    names = "、".join(a.staff.name for a in proposed)
    text = _("The customer declined %(names)s.") % {"names": names}
    note(order, actor=actor, text=f"{text} {reason}".strip())
    return proposed


@transaction.atomic
def assignment_replace(
    *,
    order: Order,
    assignment: Assignment,
    staff: StaffMember,
    reason: str,
    actor: Actor,
    customer_agreed: bool = False,
) -> Assignment:
    """换人: release a confirmed staff member and put another in their place, keeping history.

    The old assignment stays, released with the reason and `replaced_by` the new
    one; if the service has begun, its period ends now and the new one starts
    now (who served when). The newcomer is proposed to the customer — or
    confirmed at once when the customer already agreed on the phone. While the
    newcomer waits for the customer and nobody else is confirmed, an assigned
    order goes back to confirmed, and becomes assigned again on confirmation.
    """
    order = order_lock(order)
    refusal = replacement_refusal(order)
    if refusal is not None:
        raise refusal
    old = _own_assignment(order, assignment)
    if old.status != AssignmentStatus.CONFIRMED:
        raise StateConflict(_("Only a confirmed staff member is replaced; withdraw a proposal."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the staff member is replaced.")})
    if staff.pk == old.staff_id:
        raise ValidationError({"staff": _("Choose someone else.")})
    now = timezone.now()
    starts = max(now, order.starts_at)
    _check_candidates(order, [staff], starts_at=starts)

    _release(old, reason=reason, at=now)
    if old.period.lower < starts:
        # The service has begun: the history shows who served until when.
        old.period = DateTimeTZRange(old.period.lower, starts, "[)")
        old.save(update_fields=["period"])
    new = Assignment(
        agency_id=order.agency_id,
        order=order,
        staff=staff,
        role=old.role,
        period=DateTimeTZRange(starts, order.ends_at, "[)"),
        proposed_by=actor.user,
        ack_due_at=ack_due(order, now=now),
    )
    _book([new])
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])
    note(
        order,
        actor=actor,
        text=_("%(old)s replaced by %(new)s: %(reason)s")
        % {"old": old.staff.name, "new": staff.name, "reason": reason},
    )
    audit_record(
        agency=order.agency,
        actor=actor,
        action="assignment.replace",
        target=old,
        changes={"staff": [old.staff.name, staff.name], "reason": reason, "replaced_by": new.pk},
    )
    _tell_taken_off(order, old, reason=reason)
    if customer_agreed:
        record_signature(
            order,
            purpose=SignaturePurpose.CONFIRM_STAFF,
            actor=actor,
            via=SignedVia.OFFICE,
            signed_name=order.customer.name,
            verification_reason=_("Agreed to the replacement on the phone."),
        )
        _confirm(order, [new], via=VIA_PHONE, actor=actor)
    elif order.status == OrderStatus.ASSIGNED and not _confirmed(order).exists():
        order_transition(
            order=order,
            to=OrderStatus.CONFIRMED,
            actor=actor,
            reason=_("Waiting for the customer to confirm %(name)s.") % {"name": staff.name},
        )
    if not customer_agreed:
        _tell_proposed(order, new)
    return new


@transaction.atomic
def assignment_release(
    *, order: Order, assignment: Assignment, reason: str, actor: Actor
) -> Assignment:
    """A staff member withdrawn before the job (or a proposal taken back): free again.

    When no confirmed staff member remains, the assigned order goes back to
    confirmed, to be staffed again (orders.lifecycle: assigned → confirmed). The staff
    member is told they are off the job.
    """
    order = order_lock(order)
    released = release_before_service(order, assignment, reason=reason, actor=actor)
    _tell_taken_off(order, released, reason=reason)
    return released


def release_before_service(
    order: Order, assignment: Assignment, *, reason: str, actor: Actor
) -> Assignment:
    """Free a staff member of a locked order before its service (inside the caller's
    transaction): the office's release, or the staff member's own decline."""
    released = _own_assignment(order, assignment)
    if released.status not in HOLDING:
        raise StateConflict(_("This staff member is no longer on the order."))
    if order.status not in ANSWERABLE or order.status == OrderStatus.IN_SERVICE:
        raise OrderStateConflict(
            _("Staff are released before the service; this order is %(status)s. Replace instead.")
            % {"status": OrderStatus(order.status).label}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the staff member is released.")})
    before = released.status
    _release(released, reason=reason, at=timezone.now())
    note(
        order,
        actor=actor,
        text=_("%(name)s released: %(reason)s") % {"name": released.staff.name, "reason": reason},
    )
    audit_record(
        agency=order.agency,
        actor=actor,
        action="assignment.release",
        target=released,
        changes={"status": [before, AssignmentStatus.RELEASED], "reason": reason},
    )
    if order.status == OrderStatus.ASSIGNED and not _confirmed(order).exists():
        order_transition(
            order=order,
            to=OrderStatus.CONFIRMED,
            actor=actor,
            reason=_("No confirmed staff left: to be assigned again."),
        )
    return released


@transaction.atomic
def assignments_release_all(*, order: Order, actor: Actor, reason: str) -> list[Assignment]:
    """Free everyone still holding the order's time (the order was cancelled).

    For `orders.intake.services.cancellation` to call when an order is cancelled: a
    cancelled order must not keep its staff booked. Leaves the order's status alone.
    """
    order = order_lock(order)
    holding = list(order.assignments.filter(status__in=HOLDING).select_related("staff"))
    now = timezone.now()
    for assignment in holding:
        before = assignment.status
        _release(assignment, reason=reason, at=now)
        audit_record(
            agency=order.agency,
            actor=actor,
            action="assignment.release",
            target=assignment,
            changes={"status": [before, AssignmentStatus.RELEASED], "reason": reason},
        )
    if holding:
        names = "、".join(a.staff.name for a in holding)
        note(
            order,
            actor=actor,
            text=_("Released %(names)s: %(reason)s") % {"names": names, "reason": reason},
        )
    return holding


# --- helpers (inside the callers' transactions) ----------------------------------


def _check_candidates(
    order: Order, staff_list: Sequence[StaffMember], *, starts_at: datetime | None = None
) -> None:
    """Every person is of this agency, named once, and passes the hard filters."""
    if not staff_list:
        raise ValidationError({"staff": _("Choose at least one staff member.")})
    if len({member.pk for member in staff_list}) != len(staff_list):
        raise ValidationError({"staff": _("Each person can be chosen once.")})
    problems = []
    for member in staff_list:
        reasons = explain_exclusion(order=order, staff=member, starts_at=starts_at)
        if reasons:
            problems.append(f"{member.name}: {' '.join(reasons)}")
    if problems:
        raise ValidationError({"staff": problems})


def _book(assignments: list[Assignment]) -> None:
    """Insert holding assignments; the exclusion constraint refuses an overlapping booking.

    In a savepoint, so the caller's transaction can still say who holds the time. The
    people are locked first, in one order: two bookings of one person at once would each
    wait in the constraint's check for the other's uncommitted row (a deadlock, not a
    refusal); locked, the second waits for the first to commit and is refused by name.
    """
    people = sorted({assignment.staff_id for assignment in assignments})
    list(StaffMember.objects.select_for_update().filter(pk__in=people).order_by("pk").values("pk"))
    try:
        with transaction.atomic():
            for assignment in assignments:
                assignment.save()
    except IntegrityError as error:
        diagnostic = getattr(error.__cause__, "diag", None)
        if getattr(diagnostic, "constraint_name", None) != DOUBLE_BOOKING_CONSTRAINT:
            raise
        raise DoubleBooked(_double_booking_message(assignments)) from error


def _double_booking_message(assignments: list[Assignment]) -> str:
    """Who is booked meanwhile, and on which order (committed by the other transaction)."""
    for assignment in assignments:
        holding = (
            Assignment.objects.filter(
                agency_id=assignment.agency_id,
                staff=assignment.staff,
                status__in=HOLDING,
                period__overlap=assignment.period,
            )
            .select_related("order")
            .first()
        )
        if holding is not None:
            return _(
                "%(name)s is already booked at that time (order %(number)s). "
                "Reload the candidates and choose again."
            ) % {"name": assignment.staff.name, "number": holding.order.number}
    return _("This person is already booked at that time. Reload the candidates and choose again.")


def _proposed(order: Order) -> list[Assignment]:
    proposed = list(
        order.assignments.filter(status=AssignmentStatus.PROPOSED)
        .select_related("staff")
        .order_by("role", "id")
    )
    if not proposed or order.status not in ANSWERABLE:
        raise StateConflict(_("No staff are waiting for the customer's confirmation."))
    return proposed


def _confirmed(order: Order) -> QuerySet[Assignment]:
    return order.assignments.filter(status=AssignmentStatus.CONFIRMED)


def _own_assignment(order: Order, assignment: Assignment) -> Assignment:
    """The assignment, read again under the order's lock; another order's is refused."""
    found = (
        order.assignments.filter(pk=assignment.pk, agency_id=order.agency_id)
        .select_related("staff")
        .first()
    )
    if found is None:
        raise ValidationError({"assignment": _("This staff member is not on this order.")})
    return found


def _release(assignment: Assignment, *, reason: str, at: datetime) -> None:
    assignment.status = AssignmentStatus.RELEASED
    assignment.released_at = at
    assignment.release_reason = reason.strip()[:255]
    # Off the job: nothing is left to acknowledge, nobody is awaited.
    assignment.ack_due_at = None
    assignment.no_show_due_at = None
    assignment.save(
        update_fields=["status", "released_at", "release_reason", "ack_due_at", "no_show_due_at"]
    )


def _tell_proposed(order: Order, assignment: Assignment) -> None:
    tell_staff(
        order, [assignment], event=Event.JOB_PROPOSED, key=f"assignment:{assignment.pk}:proposed"
    )


def _tell_taken_off(order: Order, assignment: Assignment, *, reason: str) -> None:
    tell_staff(
        order,
        [assignment],
        event=Event.JOB_REPLACED,
        key=f"assignment:{assignment.pk}:taken_off",
        extra={"reason": reason.strip()},
        on_job_page=False,
    )


def _confirm(order: Order, proposed: list[Assignment], *, via: str, actor: Actor) -> None:
    """Proposed → confirmed; a confirmed order becomes assigned."""
    now = timezone.now()
    for assignment in proposed:
        assignment.status = AssignmentStatus.CONFIRMED
        assignment.confirmed_at = now
        assignment.confirmed_via = via
        # Awaited from now on: no check-in by the no-show time tells the dispatchers.
        assignment.no_show_due_at = arrival_due(assignment, order)
        assignment.save(update_fields=["status", "confirmed_at", "confirmed_via", "no_show_due_at"])
        audit_record(
            agency=order.agency,
            actor=actor,
            action="assignment.confirm",
            target=assignment,
            changes={"status": [AssignmentStatus.PROPOSED, AssignmentStatus.CONFIRMED], "via": via},
        )
    names = "、".join(a.staff.name for a in proposed)
    text = _("The customer confirmed %(names)s (%(via)s).") % {
        "names": names,
        "via": _("signed link") if via == VIA_LINK else _("phone"),
    }
    if order.status == OrderStatus.CONFIRMED:
        order_transition(order=order, to=OrderStatus.ASSIGNED, actor=actor, reason=text)
    else:
        note(order, actor=actor, text=text)
    for assignment in proposed:
        tell_staff(
            order,
            [assignment],
            event=Event.JOB_ASSIGNED,
            key=f"assignment:{assignment.pk}:assigned",
        )


def unacknowledged_tell_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Tell the dispatchers of every job not acknowledged in the agency's time; how many.

    The due assignments are claimed with SKIP LOCKED (a second sweep at the same moment
    takes others, or none) through the partial index on `ack_due_at`, which holds only
    rows still waiting: each claimed row's deadline is cleared in the same transaction,
    so a job is told once, and the announcement's key would refuse a repeat anyway.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Assignment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(ack_due_at__lte=now)
            .select_related(
                "order__agency",
                "order__customer",
                "order__service_type",
                "order__needs_form__address",
                "staff",
            )
            .order_by("ack_due_at")[:limit]
        )
        if not due:
            return 0
        told = 0
        for assignment in due:
            due_at = assignment.ack_due_at
            if due_at is None or assignment.status not in HOLDING or assignment.acknowledged_at:
                continue
            allowed = due_at - assignment.proposed_at
            tell_desk(
                assignment.order,
                assignment,
                event=Event.JOB_NOT_ACKNOWLEDGED,
                key=f"assignment:{assignment.pk}:not_acknowledged",
                extra={"minutes": str(round(allowed.total_seconds() / 60))},
            )
            told += 1
        Assignment.objects.filter(pk__in=[a.pk for a in due]).update(ack_due_at=None)
        return told
