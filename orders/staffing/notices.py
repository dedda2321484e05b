"""What staff hear about their jobs, and what the office hears of staff's answers.

Called by the services that write the events, inside their transactions
(messaging.services.announce): proposed, assigned, changed, cancelled, taken off;
declined and not acknowledged (to the dispatchers). Staff messages carry the job's
day, time and district only: the customer's phone and street address are no
variables (messaging.variables), so no template can add them.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from django.urls import reverse

from messaging.recipients import Recipient
from messaging.rules import Event, rules_of
from messaging.services import announce, office_recipients
from orders.messages import job_context, order_topics
from orders.models import Assignment, Order
from staff.messages import staff_recipient

#: A job starting within this long is acknowledged within the agency's shorter time.
SOON = timedelta(hours=24)


def ack_due(order: Order, *, now: datetime) -> datetime:
    """Until when a staff member put on `order` now may acknowledge it (确认接单)."""
    agency = order.agency
    soon = order.starts_at - now <= SOON
    minutes = agency.ack_within_minutes_soon if soon else agency.ack_within_minutes
    return now + timedelta(minutes=minutes)


def job_values(
    order: Order, extra: Mapping[str, str] | None = None
) -> Callable[[str], Mapping[str, str]]:
    """The job's variables in a language, with the event's own (`reason`, `minutes`, …)."""
    values = job_context(order)
    return lambda language: {**values(language), **(extra or {})}


def tell_staff(
    order: Order,
    assignments: Iterable[Assignment],
    *,
    event: Event,
    key: str,
    extra: Mapping[str, str] | None = None,
    on_job_page: bool = True,
) -> None:
    """Tell the staff of `assignments` about `event` on `order`, once per `key`.

    Their notice opens the job's page while they are on it, else their list of jobs
    (a released job's page is no longer theirs to open).
    """
    assignments = list(assignments)
    if not assignments:
        return
    staff = [
        staff_recipient(
            assignment.staff,
            link=reverse("my_job", kwargs={"pk": assignment.pk})
            if on_job_page
            else reverse("my_jobs"),
        )
        for assignment in assignments
    ]
    announce(
        agency=order.agency,
        event=event,
        key=key,
        context=job_values(order, extra),
        staff=staff,
        topics=[*order_topics(order), *(f"staff:{a.staff_id}" for a in assignments)],
        branch_id=order.branch_id,
    )


def tell_desk(
    order: Order,
    assignment: Assignment,
    *,
    event: Event,
    key: str,
    extra: Mapping[str, str] | None = None,
) -> None:
    """Tell the dispatchers of the order's branch (or of the whole agency) about a staff
    member's answer to a job, their notice opening the order."""
    link = reverse("order_detail", kwargs={"pk": order.pk})
    office: list[Recipient] = [
        replace(person, link=link)
        for rule in rules_of(event)
        for person in office_recipients(order.agency, roles=rule.roles, branch_id=order.branch_id)
    ]
    announce(
        agency=order.agency,
        event=event,
        key=key,
        context=job_values(order, {"staff_name": assignment.staff.name, **(extra or {})}),
        office=office,
        topics=[*order_topics(order), f"staff:{assignment.staff_id}"],
        branch_id=order.branch_id,
    )
