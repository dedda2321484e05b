"""Jobs served earlier today, for the demos of issue 19 (the warranty complaint about a
repair, the valuables check): booked and confirmed through the real services, the
staff put on directly and the order moved on by its lifecycle, as the orders demo does
where the clock forbids the real steps (a job's check-in closes when its window ends)."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from agency.audit import Actor
from agency.demo import in_language
from agency.models import Agency, Branch, User
from orders.intake.services.booking import CustomerInput, NeedsInput, order_confirm, order_intake
from orders.lifecycle import order_transition
from orders.models import (
    HOLDING,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Order,
    OrderStatus,
    ScheduleKind,
    ServiceType,
    SignedVia,
)
from orders.service.services.service_log import acceptance_round_start
from orders.staffing.services import VIA_PHONE
from staff.models import StaffMember

#: The earliest a demo job of earlier today starts, and how long each lasts.
EARLIEST = time(6)
SLOT = timedelta(minutes=90)


def earlier_slots(agency: Agency, count: int) -> list[tuple[time, time]]:
    """`count` windows back to back, ending at the hour the orders demo's job of today
    starts (the hour before now): none when the day is too young for them."""
    now = timezone.localtime(timezone.now(), agency.zone)
    ends = datetime.combine(now.date(), time(max(now.hour - 1, 0)))
    first = ends - count * SLOT
    if first.date() != now.date() or first.time() < EARLIEST:
        return []
    return [((first + i * SLOT).time(), (first + (i + 1) * SLOT).time()) for i in range(count)]


def job_served_today(
    agency: Agency,
    service: ServiceType,
    *,
    customer: CustomerInput,
    hours: tuple[time, time],
    team: list[StaffMember],
    checklist: list[str],
    quantity: Decimal | None = None,
) -> Order | None:
    """A confirmed job of earlier today with `team` on it (the first leads), in service;
    None when one of them is booked then already."""
    day = agency.today()
    period = DateTimeTZRange(
        datetime.combine(day, hours[0], tzinfo=agency.zone),
        datetime.combine(day, hours[1], tzinfo=agency.zone),
    )
    if Assignment.objects.filter(
        agency=agency, staff__in=team, status__in=HOLDING, period__overlap=period
    ).exists():
        return None
    office = Actor(user=User.objects.get(username=f"{agency.slug}.dispatcher"))
    order = order_intake(
        agency=agency,
        actor=office,
        branch=Branch.objects.filter(agency=agency).order_by("code")[0],
        customer=customer,
        needs=NeedsInput(
            service_type=service,
            schedule_kind=ScheduleKind.ONCE,
            start_date=day,
            time_start=hours[0],
            time_end=hours[1],
            checklist=checklist,
            quantity=quantity,
        ),
    )
    order_confirm(
        order=order,
        quote_id=order.quotes.get().pk,
        signed_name=customer.name,
        via=SignedVia.LINK,
        actor=Actor.system(),
    )
    for index, member in enumerate(team):
        Assignment.objects.create(
            agency=agency,
            order=order,
            staff=member,
            role=AssignmentRole.LEAD if index == 0 else AssignmentRole.MEMBER,
            status=AssignmentStatus.CONFIRMED,
            period=DateTimeTZRange(order.starts_at, order.ends_at),
            proposed_by=office.user,
            confirmed_at=timezone.now() - timedelta(hours=12),
            confirmed_via=VIA_PHONE,
        )
    order.refresh_from_db()
    order_transition(
        order=order,
        to=OrderStatus.ASSIGNED,
        actor=office,
        reason=in_language(
            agency,
            f"{customer.name} 已电话确认服务人员。",
            f"{customer.name} confirmed the staff by phone.",
        ),
    )
    order_transition(
        order=order,
        to=OrderStatus.IN_SERVICE,
        actor=office,
        reason=in_language(agency, "服务人员已到岗。", "The staff arrived on site."),
    )
    return order


def job_left(order: Order) -> None:
    """The staff have left: the job waits for its acceptance, as a lead's check-out leaves it."""
    order_transition(
        order=order,
        to=OrderStatus.INSPECTION,
        actor=Actor(user=User.objects.get(username=f"{order.agency.slug}.dispatcher")),
        reason=in_language(
            order.agency,
            "服务人员已离开，等待验收。",
            "The staff left; the job waits for acceptance.",
        ),
    )
    acceptance_round_start(order)
