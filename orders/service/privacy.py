"""When an assigned staff member may see the customer's full address and phone.

DESIGN.md, "Staff and assignment": never give a customer's detailed address to
staff who are not (yet) on the job; the window is an agency setting (24 h
before the job by default) and ends when the job ends.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from orders.models import Assignment, AssignmentStatus


@dataclass(frozen=True)
class ContactWindow:
    opens_at: datetime
    closes_at: datetime

    def is_open(self, at: datetime) -> bool:
        return self.opens_at <= at <= self.closes_at


def contact_window(assignment: Assignment) -> ContactWindow:
    order = assignment.order
    hours = order.agency.address_reveal_hours
    return ContactWindow(opens_at=order.starts_at - timedelta(hours=hours), closes_at=order.ends_at)


def staff_may_see_contact(assignment: Assignment, *, at: datetime) -> bool:
    return assignment.status == AssignmentStatus.CONFIRMED and contact_window(assignment).is_open(
        at
    )
