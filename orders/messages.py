"""What orders hand to messaging: the customer as a recipient, a job's variables in the
reader's language, and the topics an order's messages are filed under.

Used by every wing's services when they announce an event (messaging.services.announce);
staff members become recipients in `staff.messages`.
"""

import re
from collections.abc import Callable, Mapping
from datetime import datetime

from django.conf import settings
from django.utils import formats, translation

from agency.models import Agency
from messaging.examples import Example
from messaging.recipients import QuietHours, Recipient
from messaging.rules import Via
from orders.models import HOLDING, Assignment, Customer, Order

#: A mainland mobile number (a landline cannot take a text).
MOBILE = re.compile(r"^(\+?86)?1[3-9]\d{9}$")


def textable(phone: str) -> bool:
    return bool(MOBILE.match(phone))


def customer_recipient(customer: Customer, *, link: str = "") -> Recipient:
    """The customer, by their chosen channel, in their language, with their quiet hours."""
    mobile = next((phone for phone in (customer.phone, customer.phone_alt) if textable(phone)), "")
    return Recipient(
        name=customer.name,
        language=customer.preferred_language,
        via=(Via(customer.message_channel),),
        phone=mobile,
        email=customer.email,
        quiet=QuietHours(start=customer.quiet_from, end=customer.quiet_until),
        promotions=not customer.promotions_opt_out,
        topics=(f"customer:{customer.pk}",),
        context={"customer_name": customer.name},
        link=link,
    )


def customer_reachable(customer: Customer) -> bool:
    """False when no text or email can reach the customer: the dispatcher must call."""
    return customer_recipient(customer).reaches(Via.SMS) or bool(customer.email)


def order_topics(order: Order) -> list[str]:
    return [f"order:{order.pk}", f"customer:{order.customer_id}"]


def job_context(order: Order) -> Callable[[str], Mapping[str, str]]:
    """The job's variables in a language: its number, service, day, time and district.

    Never the street address or a phone: those are not variables (messaging.variables).
    Reads the order's customer, service type and needs form's address.
    """

    def values(language: str) -> Mapping[str, str]:
        zone = order.agency.zone
        starts, ends = order.starts_at.astimezone(zone), order.ends_at.astimezone(zone)
        with translation.override(language):
            return {
                "order_number": order.number,
                "service_name": order.service_type.name,
                "job_date": job_day(starts),
                "job_time": job_hours(starts, ends),
                "job_district": order.needs_form.address.district if order.needs_form else "",
                "customer_name": order.customer.name,
            }

    return values


def job_day(starts: datetime) -> str:
    """A job's day as its messages say it, in the active language ("12月3日 周四")."""
    return f"{formats.date_format(starts, 'MONTH_DAY_FORMAT')} {formats.date_format(starts, 'D')}"


def job_hours(starts: datetime, ends: datetime) -> str:
    """A job's time as its messages say it: local start and end ("09:00–12:00")."""
    return f"{starts:%H:%M}–{ends:%H:%M}"


def preview_example(agency: Agency, number: str) -> Example | None:
    """The agency's order `number` (else its latest) as the template page's example: its
    job variables, with the staff member of its team (the lead first) as `staff_name`.

    Registered with messaging.examples when orders starts (orders.apps).
    """
    orders = Order.objects.filter(agency=agency).select_related(
        "agency", "customer", "service_type", "needs_form__address"
    )
    order = (
        orders.filter(number=number).first() if number else orders.order_by("-created_at").first()
    )
    if order is None:
        return None
    member = (
        Assignment.objects.filter(agency=agency, order=order, status__in=HOLDING)
        .select_related("staff")
        .order_by("role", "proposed_at")  # "lead" sorts before "member"
        .first()
    )
    job = job_context(order)
    staff = {"staff_name": member.staff.name} if member else {}
    return Example(label=order.number, values=lambda language: {**job(language), **staff})


def site_url(path: str) -> str:
    """A link in full for a message written outside a request (a sweep, a task)."""
    return settings.SITE_URL.rstrip("/") + path
