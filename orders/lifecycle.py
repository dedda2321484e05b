"""The order lifecycle: which status may follow which, and the one function that moves it.

intake → quoted → confirmed → assigned → in service → inspection ⇄ rework
→ accepted → invoiced → paid → closed; cancelled from before the service.

DESIGN.md, "State changes": an order's status changes only through
`order_transition`, which checks the table below, writes an `OrderEvent` and
the audit log. No other module assigns `Order.status` (a test checks).
"""

from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from orders.live import order_touched
from orders.models import Order, OrderEvent
from orders.models import OrderStatus as S

ALLOWED: dict[str, frozenset[str]] = {
    S.INTAKE: frozenset({S.QUOTED, S.CANCELLED}),
    # A quoted order may be quoted again (the needs changed) before it is confirmed.
    S.QUOTED: frozenset({S.QUOTED, S.CONFIRMED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.ASSIGNED, S.CANCELLED}),
    # Staff withdrawn before the job: back to confirmed to assign again.
    S.ASSIGNED: frozenset({S.CONFIRMED, S.IN_SERVICE, S.CANCELLED}),
    S.IN_SERVICE: frozenset({S.INSPECTION}),
    S.INSPECTION: frozenset({S.REWORK, S.ACCEPTED}),
    S.REWORK: frozenset({S.INSPECTION}),
    S.ACCEPTED: frozenset({S.INVOICED}),
    S.INVOICED: frozenset({S.PAID}),
    S.PAID: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}

#: Orders that may still be cancelled: the service has not started.
CANCELLABLE = frozenset(status for status, nexts in ALLOWED.items() if S.CANCELLED in nexts)
#: Orders still on the dispatcher's plate.
OPEN = frozenset(
    {S.INTAKE, S.QUOTED, S.CONFIRMED, S.ASSIGNED, S.IN_SERVICE, S.INSPECTION, S.REWORK}
)


class OrderStateConflict(StateConflict):
    """The order is not in a status that allows this; the API answers 409."""


def check_transition(current: str, target: str) -> None:
    if target not in ALLOWED[current]:
        raise OrderStateConflict(
            _("An order that is %(current)s cannot become %(target)s.")
            % {"current": S(current).label, "target": S(target).label}
        )


def order_lock(order: Order) -> Order:
    """The order's row, locked until the transaction ends: concurrent changes queue here.

    Whoever locks an order is about to change it: the schedule board hears of it once
    committed (`orders.live`)."""
    locked = Order.objects.select_for_update().get(pk=order.pk, agency_id=order.agency_id)
    order_touched(locked.agency_id, locked.pk)
    return locked


def order_transition(*, order: Order, to: str, actor: Actor, reason: str = "") -> None:
    """Move an order to `to`: check the table, write the timeline and the audit log.

    `order` is the row from `order_lock`, taken by the caller at the start of its
    transaction: the service's own checks read the same locked row the move writes.
    """
    check_transition(order.status, to)
    before = order.status
    order.status = to
    order.save(update_fields=["status", "updated_at"])
    OrderEvent.objects.create(
        agency_id=order.agency_id,
        order=order,
        from_status=before,
        to_status=to,
        actor=actor.user,
        by_customer=actor.is_customer,
        reason=reason[:500],
    )
    audit_record(
        agency=order.agency,
        actor=actor,
        action="order.status",
        target=order,
        changes={"status": [before, to]},
    )
