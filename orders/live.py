"""What changed on an agency's orders lately, for the schedule board's 30-second poll.

Every service that changes an order's staff or time locks the order first
(`orders.lifecycle.order_lock`), which calls `order_touched`: once the transaction
commits, the agency's counter in the cache (Redis) goes up by one and the new
number remembers the order. A board rendered at stamp N asks "what since N?": the
same number is a tiny empty answer read from the cache alone; a higher one names
the orders to redraw. Numbers are kept for `KEPT_FOR`; a board further behind, or one
whose numbers expired, redraws whole (`None`).
"""

from collections.abc import Collection

from django.core.cache import cache
from django.db import transaction

#: How long a change is remembered: far longer than a poll's interval.
KEPT_FOR = 60 * 60
#: A board this many changes behind redraws whole rather than lane by lane.
MOST_CHANGES = 200


def _counter(agency_id: int) -> str:
    return f"schedule:{agency_id}:stamp"


def _change(agency_id: int, number: int) -> str:
    return f"schedule:{agency_id}:change:{number}"


def order_touched(agency_id: int, order_id: int) -> None:
    """The order may change in this transaction: count it once the change is committed.

    Robust: with the cache (Redis) down, the change is committed all the same and only the
    boards miss it until their next full load."""
    transaction.on_commit(lambda: _count(agency_id, order_id), robust=True)


def _count(agency_id: int, order_id: int) -> None:
    counter = _counter(agency_id)
    cache.add(counter, 0, timeout=None)
    number = cache.incr(counter)
    cache.set(_change(agency_id, number), order_id, timeout=KEPT_FOR)


def stamp(agency_id: int) -> int:
    """The agency's change number now (0 before any change)."""
    return int(cache.get(_counter(agency_id)) or 0)


def changed_orders(agency_id: int, *, since: int, now: int) -> Collection[int] | None:
    """The orders changed after `since` up to `now`; None when the board must redraw whole."""
    if now - since > MOST_CHANGES or since > now:
        return None
    keys = [_change(agency_id, number) for number in range(since + 1, now + 1)]
    found = cache.get_many(keys)
    if len(found) != len(keys):
        return None
    return set(found.values())
