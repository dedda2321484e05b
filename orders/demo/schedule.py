"""A week of cleanings for the schedule board (`/schedule/`): the demo board looks alive.

Over the next six days each cleaner has a job or two, in the districts they serve;
one day puts a cleaner in two districts with half an hour between (a travel warning);
one cleaner has an approved day off; and a few jobs still wait for staff in the side
panel. The orders are taken and confirmed through the real services; the staff are put
on directly (as `orders.demo.bookings.staffed_cleaning` does), since matching would
refuse a rest day whatever day the demo is seeded. Seeded once per agency.
"""

from datetime import date, datetime, time, timedelta

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
    Customer,
    Order,
    OrderStatus,
    ScheduleKind,
    ServiceType,
    SignedVia,
)
from orders.staffing.services import VIA_PHONE
from staff.models import StaffMember, TimeOff, TimeOffStatus

#: The week's customers: (name in Chinese, in English, district in Chinese, in English).
CUSTOMERS = [
    ("陈晓东", "Chen Xiaodong", "朝阳区", "Pudong"),
    ("林美玲", "Lin Meiling", "海淀区", "Xuhui"),
    ("马超", "Ma Chao", "东城区", "Huangpu"),
    ("郭婷", "Guo Ting", "西城区", "Jing'an"),
    ("何俊", "He Jun", "朝阳区", "Pudong"),
    ("罗丹", "Luo Dan", "海淀区", "Xuhui"),
]
#: Their phones, by agency: also how a rerun knows the week is seeded.
PHONES = {"anxin": "1390055", "sunrise": "1390066"}
MORNING, AFTERNOON = (time(9), time(12)), (time(14), time(17))
#: The next days' jobs still waiting for staff: (in days, hours).
UNSTAFFED = [(1, (time(10), time(13))), (2, (time(15), time(18))), (4, MORNING)]
#: The day (from today) the last cleaner has off.
DAY_OFF = 5


def busy_week(agency: Agency, cleaning: ServiceType) -> None:
    prefix = PHONES.get(agency.slug)
    if prefix is None or Customer.objects.filter(agency=agency, phone__startswith=prefix).exists():
        return
    office = Actor(user=User.objects.get(username=f"{agency.slug}.dispatcher"))
    branch = Branch.objects.filter(agency=agency).order_by("code")[0]
    cleaners = list(
        StaffMember.objects.filter(agency=agency, home_branch=branch, skills__code="cleaning")
        .exclude(user__isnull=False)
        .order_by("pk")
    )
    if not cleaners:
        return
    today = agency.today()
    resting = cleaners[-1]
    _day_off(agency, resting, today + timedelta(days=DAY_OFF))
    for n, member in enumerate(cleaners):
        for day in range(1, 7):
            if member == resting and day == DAY_OFF:
                continue
            # Mornings on even days for the first cleaner, afternoons for the next, …
            hours = (MORNING, AFTERNOON)[(n + day) % 2]
            customer = (n + day) % len(CUSTOMERS)
            order = _confirmed(agency, cleaning, office, branch, customer, today, day, hours)
            _put_on(order, member, office)
    # The first cleaner's morning of day 2 is in 东城区; half an hour later, 海淀区.
    order = _confirmed(agency, cleaning, office, branch, 1, today, 2, (time(12, 30), time(14)))
    _put_on(order, cleaners[0], office)
    for index, (day, hours) in enumerate(UNSTAFFED):
        _confirmed(agency, cleaning, office, branch, index + 2, today, day, hours)


def _confirmed(
    agency: Agency,
    cleaning: ServiceType,
    office: Actor,
    branch: Branch,
    customer: int,
    today: date,
    in_days: int,
    hours: tuple[time, time],
) -> Order:
    zh, en, district_zh, district_en = CUSTOMERS[customer]
    name = in_language(agency, zh, en)
    order = order_intake(
        agency=agency,
        actor=office,
        branch=branch,
        customer=CustomerInput(
            name=name,
            phone=f"{PHONES[agency.slug]}{customer:04d}",
            district=in_language(agency, district_zh, district_en),
            address=in_language(agency, "幸福路 8 号", "8 Xingfu Road"),
        ),
        needs=NeedsInput(
            service_type=cleaning,
            schedule_kind=ScheduleKind.ONCE,
            start_date=today + timedelta(days=in_days),
            time_start=hours[0],
            time_end=hours[1],
        ),
    )
    order_confirm(
        order=order,
        quote_id=order.quotes.get().pk,
        signed_name=name,
        via=SignedVia.LINK,
        actor=Actor.system(),
    )
    return order


def _put_on(order: Order, member: StaffMember, office: Actor) -> None:
    """The cleaner on the job as if the customer confirmed by phone; skipped if busy then."""
    period = DateTimeTZRange(order.starts_at, order.ends_at)
    busy = Assignment.objects.filter(
        agency_id=order.agency_id, staff=member, status__in=HOLDING, period__overlap=period
    )
    if busy.exists():
        return
    Assignment.objects.create(
        agency_id=order.agency_id,
        order=order,
        staff=member,
        role=AssignmentRole.LEAD,
        status=AssignmentStatus.CONFIRMED,
        period=period,
        proposed_by=office.user,
        confirmed_at=timezone.now(),
        confirmed_via=VIA_PHONE,
    )
    order.refresh_from_db()
    order_transition(
        order=order,
        to=OrderStatus.ASSIGNED,
        actor=office,
        reason=in_language(
            order.agency, "客户已电话确认服务人员。", "The customer confirmed the staff by phone."
        ),
    )


def _day_off(agency: Agency, member: StaffMember, day: date) -> None:
    starts = datetime.combine(day, time(0), tzinfo=agency.zone)
    period = DateTimeTZRange(starts, starts + timedelta(days=1))
    if TimeOff.objects.filter(
        agency=agency, staff=member, status=TimeOffStatus.APPROVED, period__overlap=period
    ).exists():
        return
    TimeOff.objects.create(
        agency=agency,
        staff=member,
        period=period,
        reason=in_language(agency, "家中有事", "Family matters"),
        status=TimeOffStatus.APPROVED,
    )
