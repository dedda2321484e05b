"""What the customer hears of their complaint (DESIGN.md, "Complaints": keep the customer
informed of progress): that it is received, each response to them, the time a reply or
the resolution is promised by, that it went up to a supervisor or manager, its resolution,
and its closing.

Each message is named by the complaint's timeline entry, so the same step is told once.
Internal notes, verification and escalation are the office's own and are not told.
The office's words go to the customer as written, but with any phone number masked: a
customer message never carries a staff member's phone.
"""

import re
from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _

from complaints.models import Complaint, ComplaintEvent
from messaging.rules import Event
from messaging.services import announce
from orders.messages import customer_recipient

#: A mobile (13912345678, 139 1234 5678, +86…) or a landline with its area code
#: (010-6512 3456); not a date or an amount.
PHONE = re.compile(
    r"(?<!\d)(?:(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}|0\d{2,3}[\s-]?\d{3,4}[\s-]?\d{4})(?!\d)"
)


def complaint_received(complaint: Complaint, *, event: ComplaintEvent) -> None:
    _tell(complaint, event=Event.COMPLAINT_RECEIVED, entry=event)


def complaint_step(
    complaint: Complaint, *, event: ComplaintEvent, step: str | Callable[[], str]
) -> None:
    """`step` as said to the customer, or made in their language (called under it)."""
    _tell(complaint, event=Event.COMPLAINT_STEP, entry=event, step=step)


def complaint_resolved(complaint: Complaint, *, event: ComplaintEvent) -> None:
    _tell(complaint, event=Event.COMPLAINT_RESOLVED, entry=event, resolution=event.text)


def complaint_solution_agreed(
    complaint: Complaint, *, event: ComplaintEvent, solution: Callable[[], str]
) -> None:
    """The solution the customer agreed, in their language (`solution` is called under it)."""
    _tell(complaint, event=Event.COMPLAINT_SOLUTION, entry=event, solution=solution)


def complaint_reply_promised(complaint: Complaint, *, event: ComplaintEvent, reply_by: str) -> None:
    _tell(complaint, event=Event.COMPLAINT_REPLY_PROMISED, entry=event, reply_by=reply_by)


def complaint_raised(
    complaint: Complaint, *, event: ComplaintEvent, level: Callable[[], str]
) -> None:
    """`level` names who has it now, in the reader's language (called under it)."""
    _tell(complaint, event=Event.COMPLAINT_ESCALATED, entry=event, escalated_to=level)


def complaint_closed(complaint: Complaint, *, event: ComplaintEvent) -> None:
    _tell(complaint, event=Event.COMPLAINT_CLOSED, entry=event)


def promised_by(when: str) -> str:
    """The second response's promise, in the reader's language (called under it)."""
    return _("To be resolved by %(time)s.") % {"time": when}


def _tell(
    complaint: Complaint, *, event: Event, entry: ComplaintEvent, **said: str | Callable[[], str]
) -> None:
    topics = [f"complaint:{complaint.pk}"]
    if complaint.order_id is not None:
        topics.append(f"order:{complaint.order_id}")

    def values(language: str) -> dict[str, str]:
        with translation.override(language):
            return {
                "complaint_number": complaint.number,
                **{name: masked(text() if callable(text) else text) for name, text in said.items()},
            }

    announce(
        agency=complaint.agency,
        event=event,
        key=f"complaint:{complaint.pk}:{entry.pk}",
        context=values,
        customer=customer_recipient(complaint.customer),
        topics=topics,
        branch_id=complaint.branch_id,
    )


def masked(text: str) -> str:
    return PHONE.sub("***", text.strip())[:300]
