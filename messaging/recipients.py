"""Who a message goes to: what the app that knows them hands to `announce`.

Customers and staff live in higher apps (orders, staff); each builds its people's
`Recipient` (orders.messages, staff.messages), so this layer never imports them.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from agency.models import User
from messaging.rules import Via


@dataclass(frozen=True)
class QuietHours:
    """A nightly span, in the agency's time zone, when nothing but the urgent is sent."""

    start: time
    end: time

    def release_at(self, now: datetime, *, zone: ZoneInfo) -> datetime | None:
        """When a message written at `now` may go: None if now is outside the span."""
        local = now.astimezone(zone)
        clock = local.time()
        if self.start <= self.end:
            inside = self.start <= clock < self.end
        else:  # across midnight, e.g. 21:00–08:00
            inside = clock >= self.start or clock < self.end
        if not inside:
            return None
        day = local.date() if clock < self.end else local.date() + timedelta(days=1)
        return datetime.combine(day, self.end, tzinfo=zone)


@dataclass(frozen=True)
class Recipient:
    name: str
    #: Empty for the agency's default language.
    language: str
    #: The channels the person chose, first choice first (customers choose one).
    via: tuple[Via, ...]
    phone: str = ""
    email: str = ""
    #: For in-app notices: the person's login, if they have one.
    user: User | None = None
    quiet: QuietHours | None = None
    #: False for a customer who opted out of promotional messages.
    promotions: bool = True
    #: What their messages are filed under besides the event's own ("staff:3").
    topics: tuple[str, ...] = ()
    #: Variables about this person (e.g. staff_name), merged over the event's.
    context: Mapping[str, str] = field(default_factory=dict)
    #: The page an in-app notice links to.
    link: str = ""

    def reaches(self, via: Via) -> bool:
        if via == Via.SMS:
            return bool(self.phone)
        if via == Via.EMAIL:
            return bool(self.email)
        return self.user is not None
