"""Reading the messages an agency sent: the log of a page's subject, or all of them."""

import re

from django.db.models import QuerySet

from agency.models import Agency, OutboundMessage

#: What a message can be filed under (OutboundMessage.topics): a page's subject.
TOPIC = re.compile(r"^(order|customer|staff):[0-9]{1,18}$")
#: How many of a subject's messages its page shows; the rest are on the agency-wide log.
LATEST = 20


def messages_for(*, agency: Agency, topic: str | None = None) -> QuerySet[OutboundMessage]:
    """The agency's messages, newest first; with `topic` ("order:12") only that subject's.

    One query whatever the page shows: the topic is matched by the GIN index on
    `topics` (`@>`), the agency and order by `outbound_agency_recent`.
    """
    messages = OutboundMessage.objects.filter(agency=agency)
    if topic is not None:
        messages = messages.filter(topics__contains=[topic])
    return messages.defer("attachment", "subject").order_by("-created_at", "-pk")


def latest_messages(*, agency: Agency, topic: str) -> list[OutboundMessage]:
    """The newest LATEST messages about one subject, for its page's log (one query)."""
    return list(messages_for(agency=agency, topic=topic)[:LATEST])
