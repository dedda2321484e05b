"""The order lifecycle: which status may follow which (DESIGN.md, "State changes").

intake → quoted → confirmed → assigned → in service → inspection ⇄ rework
→ accepted → invoiced → paid → closed; cancelled from before the service.
"""

from django.utils.translation import gettext as _

from agency.errors import StateConflict
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
