"""The customer moves their booking (改期, issue 18): at once while nobody is on the job yet,
otherwise by asking the office, which moves it on the schedule board.

Why the split: a confirmed job without staff has only the customer's time to change, so
the move is `order_move` as the board does it (the customer is told the new time). Once a
staff member is proposed or assigned, a move may take them off a day they planned around,
or clash with their other jobs: a dispatcher decides, so the request lands on the callback
queue (due at once, naming the wished time) and the dispatcher moves the job on the board.

The fee: DESIGN.md has no rule for moving a booking (only for cancelling it), so a move
costs nothing; `RescheduleTerms.fee` is there for the portal to show "free" before the
customer confirms, and for an agency rule if one is written later.

Portal entries: `reschedule_terms(order)` to show; `order_request_reschedule(order=…,
actor=Actor.customer(order.customer_id, ip_address=…), starts_at=…, reason=…)` to ask.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.permissions import Area, require
from orders.lifecycle import OrderStateConflict, order_lock
from orders.models import HOLDING, Callback, Order, OrderStatus
from orders.schedule.services import order_move, window_text
from orders.timeline import note

#: Orders a customer may ask to move: quoted or confirmed, staffed or not, not begun.
MOVABLE = frozenset({OrderStatus.QUOTED, OrderStatus.CONFIRMED, OrderStatus.ASSIGNED})


@dataclass(frozen=True)
class RescheduleTerms:
    allowed: bool
    refusal: str
    #: True: the move is made at once; False: the office is asked and moves it.
    direct: bool
    fee: Decimal


def reschedule_terms(order: Order, *, at: datetime | None = None) -> RescheduleTerms:
    """What moving the order would mean now; no writes, so the portal shows it first."""
    at = at or timezone.now()
    refusal = ""
    if order.status not in MOVABLE:
        refusal = _("An order that is %(status)s can no longer be moved.") % {
            "status": OrderStatus(order.status).label
        }
    elif order.starts_at <= at:
        refusal = _("The job has begun; call the agency to change it.")
    staffed = order.assignments.filter(status__in=HOLDING).exists()
    return RescheduleTerms(
        allowed=not refusal,
        refusal=refusal,
        direct=order.status == OrderStatus.CONFIRMED and not staffed,
        fee=Decimal("0.00"),
    )


@transaction.atomic
def order_request_reschedule(
    *, order: Order, actor: Actor, starts_at: datetime, reason: str = ""
) -> Callback | None:
    """Move the order to `starts_at` (keeping its length), or ask the office to.

    Answers None when moved at once, or the callback the office now owes the customer.
    Refused: another customer's order, an order begun or done, a time already past.
    """
    order = order_lock(order)
    if actor.is_customer:
        if actor.customer_id != order.customer_id:
            raise PermissionDenied(_("Only the order's customer may move it."))
    else:
        require(actor, Area.ORDERS, agency_id=order.agency_id, message=_("The office moves jobs."))
    terms = reschedule_terms(order)
    if not terms.allowed:
        raise OrderStateConflict(terms.refusal)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a time in the future.")})
    if starts_at == order.starts_at:
        raise ValidationError({"starts_at": _("The job already starts at that time.")})
    reason = reason.strip()[:200]
    if terms.direct:
        order_move(order=order, starts_at=starts_at, actor=actor)
        if reason:
            note(order, actor=actor, text=_("Reason for the move: %(reason)s") % {"reason": reason})
        return None
    wished = window_text(starts_at, starts_at + (order.ends_at - order.starts_at))
    callback = Callback.objects.create(
        agency_id=order.agency_id,
        customer_id=order.customer_id,
        order=order,
        due_at=timezone.now(),
        reason=(
            _("Move to %(window)s, asked by the customer: %(reason)s")
            % {"window": wished, "reason": reason or "—"}
        )[:255],
    )
    note(
        order,
        actor=actor,
        text=_("The customer asked to move the job to %(window)s; the office will call back.")
        % {"window": wished},
    )
    audit_record(
        agency=order.agency,
        actor=actor,
        action="order.reschedule_requested",
        target=order,
        changes={"wished": wished, "reason": reason},
    )
    return callback
