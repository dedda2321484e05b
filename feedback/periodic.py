"""Periodic revisits of repeat customers, planned as they become due.

A repeat customer (two or more served orders) is owed a revisit once the
policy's time (`periodic_after`) has passed since their last service, once per
last order. The sweep does not regroup every agency's history each run: each
agency's `PeriodicCursor` says up to which end of service it has looked, and a
run looks only at the customers whose services ended since then (up to
`periodic_after` ago), plus the customers whose order was accepted in the
events it reads (an order accepted late may make its customer due at once).
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db.models import Count, Max, Q

from agency.models import Agency
from feedback.models import FeedbackPolicy, PeriodicCursor, Revisit, RevisitKind
from orders.models import SERVED, Order


def periodic_due(
    *,
    now: datetime,
    policy: Callable[[int], FeedbackPolicy],
    accepted: Iterable[int],
) -> tuple[list[Revisit], list[PeriodicCursor]]:
    """The periodic revisits that became due since the last run, and the agencies' cursors
    to store once they are planned. `policy` gives an agency's rules by its id; `accepted`
    are the customers whose orders were just accepted."""
    reached = dict(PeriodicCursor.objects.values_list("agency_id", "until"))
    window = Q(pk__in=[])
    moved = []
    for agency_id in Agency.objects.values_list("pk", flat=True):
        upto = now - policy(agency_id).periodic_after
        since = reached.get(agency_id)
        if since is not None and upto <= since:
            continue
        band = Q(agency_id=agency_id, ends_at__lte=upto)
        if since is not None:
            band &= Q(ends_at__gt=since)
        window |= band
        moved.append(PeriodicCursor(agency_id=agency_id, until=upto))
    served = Order.objects.filter(status__in=SERVED)
    # The customers first, then their orders by the customer index: an OR of a subquery
    # and a list would read every served order.
    customers = set(served.filter(window).values_list("customer_id", flat=True))
    customers |= set(accepted)
    if not customers:
        return [], moved
    repeat = (
        served.filter(customer_id__in=customers)
        .values("agency_id", "customer_id")
        .annotate(served=Count("id"), last=Max("ends_at"), last_id=Max("id"))
        .filter(served__gte=2)
    )
    planned = [
        Revisit(
            agency_id=row["agency_id"],
            customer_id=row["customer_id"],
            kind=RevisitKind.PERIODIC,
            source=f"periodic-{row['customer_id']}-{row['last_id']}",
            due_at=row["last"] + policy(row["agency_id"]).periodic_after,
        )
        for row in repeat
    ]
    return [r for r in planned if r.due_at <= now], moved


def periodic_cursors_store(cursors: list[PeriodicCursor]) -> None:
    """Move the agencies' cursors, after the revisits they cover are in."""
    PeriodicCursor.objects.bulk_create(
        cursors, update_conflicts=True, unique_fields=["agency"], update_fields=["until"]
    )
