"""TODO"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from agency.audit import Actor
from agency.demo import in_language
from agency.models import Agency, Branch, User
from orders.demo.words import say, say_all
from orders.intake.services.booking import CustomerInput, NeedsInput, order_confirm, order_intake
from orders.lifecycle import order_transition
from orders.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Order,
    OrderStatus,
    ScheduleKind,
    ServiceType,
    SignedVia,
)
from orders.staffing.attendance import no_show_due
from orders.staffing.matching import explain_exclusion
from orders.staffing.services import VIA_PHONE, assignment_confirm, assignment_propose
from staff.models import StaffMember


@dataclass(frozen=True)
class DemoBooking:
    name: str
    phone: str
    district: str
    address: str
    service: str
    in_days: int
    hours: tuple[int, int]
    extra: dict[str, Any] = field(default_factory=dict)
    confirmed: bool = False


BOOKINGS = [
    DemoBooking("王芳", "13800138001", "朝阳区", "建国路 88 号 3 单元 501", "cleaning", 1, (9, 12),
                {"allergies": "对芒果过敏", "pets": "一只猫"}, confirmed=True),
    DemoBooking("李娜", "13800138002", "海淀区", "中关村大街 1 号 1201", "deep-clean", 2, (8, 17),
                {"quantity": Decimal("120")}),
    DemoBooking("张伟", "13800138003", "东城区", "东直门内大街 5 号", "yuesao", 7, (8, 20),
                {"schedule_kind": ScheduleKind.LIVE_IN, "days": 26}, confirmed=True),
    DemoBooking("刘洋", "13800138004", "西城区", "金融街 9 号", "elderly", 1, (14, 17),
                {"callback_in_days": 3}),
]  # fmt: skip


def book_orders(agency: Agency, services: dict[str, ServiceType]) -> None:
    actor = Actor.system()
    branch = Branch.objects.filter(agency=agency).order_by("code")[0]
    for booking in BOOKINGS:
        extra: dict[str, Any] = {"schedule_kind": ScheduleKind.ONCE, **booking.extra}
        for said in {"allergies", "pets"} & set(extra):
            extra[said] = say(agency, extra[said])
        order = order_intake(
            agency=agency,
            actor=actor,
            branch=branch,
            customer=CustomerInput(
                name=say(agency, booking.name),
                phone=booking.phone,
                district=say(agency, booking.district),
                address=say(agency, booking.address),
            ),
            needs=NeedsInput(
                service_type=services[booking.service],
                start_date=agency.today() + timedelta(days=booking.in_days),
                time_start=time(booking.hours[0]),
                time_end=time(booking.hours[1]),
                **extra,
            ),
        )
        if booking.confirmed:
            order_confirm(
                order=order,
                quote_id=order.quotes.get().pk,
                signed_name=say(agency, booking.name),
                via=SignedVia.LINK,
                actor=actor,
            )
            _assign_demo_staff(order)


def _assign_demo_staff(order: Order) -> None:
    """Give the demo field-staff login a job, confirmed by the customer on the phone."""
    agency = order.agency
    office = Actor(user=User.objects.get(username=f"{agency.slug}.dispatcher"))
    staff = StaffMember.objects.filter(agency=agency, user__username=f"{agency.slug}.staff").first()
    if staff is None or explain_exclusion(order=order, staff=staff):
        return  # e.g. the demo is seeded on a Saturday and the job falls on a Sunday
    assignment_propose(order=order, staff_list=[staff], actor=office)
    assignment_confirm(order=order, via=VIA_PHONE, actor=office)


@dataclass(frozen=True)
class DemoTeam:
    """The demo staff login (the on-site lead), a partner without a login, and the office."""

    lead: StaffMember
    partner: StaffMember
    staff: Actor
    office: Actor
    team_supervisor: Actor
    office_supervisor: Actor

    @classmethod
    def of(cls, agency: Agency) -> "DemoTeam | None":
        lead_user = User.objects.filter(username=f"{agency.slug}.staff").first()
        lead = StaffMember.objects.filter(agency=agency, user=lead_user).first()
        # The demo jobs are cleanings: the partner is a cleaner too.
        partner = (
            StaffMember.objects.filter(agency=agency, user__isnull=True, skills__code="cleaning")
            .order_by("pk")
            .first()
        )
        if lead_user is None or lead is None or partner is None:
            return None
        return cls(
            lead=lead,
            partner=partner,
            staff=Actor(user=lead_user),
            office=Actor(user=User.objects.get(username=f"{agency.slug}.dispatcher")),
            team_supervisor=Actor(user=User.objects.get(username=f"{agency.slug}.supervisor")),
            office_supervisor=Actor(user=User.objects.get(username=f"{agency.slug}.manager")),
        )


def staffed_cleaning(
    agency: Agency,
    cleaning: ServiceType,
    team: DemoTeam,
    *,
    customer: CustomerInput,
    day: date,
    hours: tuple[time, time],
) -> tuple[Order, Assignment]:
    """A confirmed cleaning order with the demo team on it; the order and the lead's job."""
    order = order_intake(
        agency=agency,
        actor=team.office,
        branch=Branch.objects.filter(agency=agency).order_by("code")[0],
        customer=customer,
        needs=NeedsInput(
            service_type=cleaning,
            schedule_kind=ScheduleKind.ONCE,
            start_date=day,
            time_start=hours[0],
            time_end=hours[1],
            checklist=say_all(agency, ["客厅", "厨房", "卫生间", "擦窗"]),
        ),
    )
    order_confirm(
        order=order,
        quote_id=order.quotes.get().pk,
        signed_name=customer.name,
        via=SignedVia.LINK,
        actor=Actor.system(),
    )
    # Matching would refuse a job at night or on a rest day; the demo jobs must exist
    # whatever day it is seeded, so the team is put on directly, as if confirmed by phone.
    lead_job, _ = (
        Assignment.objects.create(
            agency=agency,
            order=order,
            staff=member,
            role=role,
            status=AssignmentStatus.CONFIRMED,
            period=DateTimeTZRange(order.starts_at, order.ends_at),
            proposed_by=team.office.user,
            confirmed_at=timezone.now(),
            confirmed_via=VIA_PHONE,
            no_show_due_at=no_show_due(order),
        )
        for member, role in (
            (team.lead, AssignmentRole.LEAD),
            (team.partner, AssignmentRole.MEMBER),
        )
    )
    order.refresh_from_db()
    order_transition(
        order=order,
        to=OrderStatus.ASSIGNED,
        actor=team.office,
        reason=in_language(
            agency,
            f"{customer.name} 已电话确认服务人员。",
            f"{customer.name} confirmed the team by phone.",
        ),
    )
    return order, lead_job
