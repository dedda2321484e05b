"""Reading the order timeline as a consumer: only the events after the consumer's cursor.

Billing (drafting invoices), feedback requests and revisit scheduling react to
order events (an order confirmed, accepted). Each keeps an `EventCursor`: its
sweep reads the events after it, oldest first, and moves it forward once the
batch is handled, so a sweep costs the new events, not the history.

An event's id is given when it is inserted, not when its transaction commits:
an event with a lower id may become visible after a higher one was read. So
the cursor moves only past events older than SETTLE (no order transaction is
open that long); younger ones are read again by the next sweeps, and each
consumer skips what it did already (a unique constraint: one service line, one
feedback request, one revisit per source), so each event is handled once even
when sweeps overlap. The cursor only moves forward (a conditional update), so a
slower sweep never takes it back.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db.models import Max, QuerySet

from orders.models import EventCursor, OrderEvent

#: How long an order transaction may hold an event it inserted before committing it.
SETTLE = timedelta(minutes=5)


@contextmanager
def unread_events(
    consumer: str, events: QuerySet[OrderEvent], *, now: datetime, limit: int
) -> Iterator[list[OrderEvent]]:
    """The consumer's `events` after its cursor, at most `limit`, oldest first; when the
    block ends without an error the cursor moves past what is settled (an error leaves it,
    and the next sweep reads the same events again)."""
    start = (
        EventCursor.objects.filter(consumer=consumer)
        .values_list("last_event_id", flat=True)
        .first()
    ) or 0
    batch = list(events.filter(pk__gt=start).order_by("pk")[:limit])
    yield batch
    read = OrderEvent.objects.filter(pk__gt=start)
    if len(batch) == limit:
        # More may wait behind a full batch: the cursor stops at its end.
        read = read.filter(pk__lte=batch[-1].pk)
    # Ids are taken in insertion order: below a settled event, every event is settled too.
    position = read.filter(created_at__lte=now - SETTLE).aggregate(last=Max("pk"))["last"]
    if position is None or position <= start:
        return
    moved = EventCursor.objects.filter(consumer=consumer, last_event_id__lt=position).update(
        last_event_id=position
    )
    if not moved:
        EventCursor.objects.get_or_create(consumer=consumer, defaults={"last_event_id": position})
