"""Demo catalogue, customers and orders for `manage.py seed_demo`.

The catalogue is brought to the same state on every run; orders are taken
(through the real services) only for an agency that has none yet, so a second
run changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateRange

from agency.audit import Actor
from agency.models import Agency, Branch, User
from orders.matching import explain_exclusion
from orders.models import (
    Order,
    Price,
    PricingUnit,
    ScheduleKind,
    ServiceCategory,
    ServiceType,
    SignedVia,
)
from orders.services.assignment import VIA_PHONE, assignment_confirm, assignment_propose
from orders.services.intake import CustomerInput, NeedsInput, order_confirm, order_intake
from staff.models import StaffMember


@dataclass(frozen=True)
class DemoService:
    code: str
    name_zh: str
    name_en: str
    category: str
    unit: str
    price: str
    tasks: tuple[str, ...] = ()
    preparation: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    special: bool = False


SERVICES = [
    DemoService(
        "cleaning",
        "家庭保洁",
        "Home cleaning",
        ServiceCategory.CLEANING,
        PricingUnit.HOUR,
        "50.00",
        tasks=("客厅", "卧室", "厨房", "卫生间", "阳台", "擦窗"),
        preparation=("吸尘器", "拖把", "中性清洁剂", "抹布（分色）"),
        skills=("cleaning",),
        certificates=("health",),
    ),
    DemoService(
        "deep-clean",
        "开荒保洁",
        "Deep cleaning",
        ServiceCategory.CLEANING,
        PricingUnit.SQUARE_METRE,
        "8.00",
        tasks=("除胶", "玻璃", "地面", "橱柜", "卫浴"),
        preparation=("铲刀", "除胶剂", "高空作业梯", "工业吸尘器"),
        skills=("cleaning", "deep-cleaning"),
        certificates=("health",),
    ),
    DemoService(
        "yuesao",
        "月嫂（26天）",
        "Postpartum carer (26 days)",
        ServiceCategory.POSTPARTUM,
        PricingUnit.DAY,
        "480.00",
        tasks=("产妇护理", "新生儿护理", "月子餐", "母乳喂养指导"),
        skills=("postpartum",),
        certificates=("health", "maternity-nurse"),
    ),
    DemoService(
        "nanny",
        "育儿嫂",
        "Nanny",
        ServiceCategory.NANNY,
        PricingUnit.DAY,
        "260.00",
        tasks=("辅食", "早教陪玩", "洗护"),
        skills=("childcare",),
        certificates=("health", "childcare"),
    ),
    DemoService(
        "elderly",
        "老人陪护",
        "Elderly companion",
        ServiceCategory.ELDERLY,
        PricingUnit.HOUR,
        "45.00",
        tasks=("陪同就医", "助餐", "助浴", "陪伴聊天"),
        skills=("elderly-care",),
        certificates=("health",),
    ),
    DemoService(
        "custom-repair",
        "定制维修",
        "Custom repair",
        ServiceCategory.REPAIR,
        PricingUnit.VISIT,
        "300.00",
        tasks=("水电检修", "门锁更换"),
        skills=("repair",),
        certificates=("electrician",),
        special=True,
    ),
]

PRICES_SINCE = date(2026, 1, 1)


@transaction.atomic
def seed() -> None:
    for agency in Agency.objects.filter(slug__in=["anxin", "sunrise"]):
        services = {spec.code: _service(agency, spec) for spec in SERVICES}
        if not Order.objects.filter(agency=agency).exists():
            _orders(agency, services)


def _service(agency: Agency, spec: DemoService) -> ServiceType:
    service, _ = ServiceType.objects.update_or_create(
        agency=agency,
        code=spec.code,
        defaults={
            "name_zh": spec.name_zh,
            "name_en": spec.name_en,
            "category": spec.category,
            "pricing_unit": spec.unit,
            "task_checklist": list(spec.tasks),
            "preparation_checklist": list(spec.preparation),
            "required_skills": list(spec.skills),
            "required_certificates": list(spec.certificates),
            "is_special": spec.special,
        },
    )
    Price.objects.get_or_create(
        agency=agency,
        service_type=service,
        valid_during=DateRange(PRICES_SINCE, None, "[)"),
        defaults={"unit_price": Decimal(spec.price)},
    )
    return service


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
                {"callback_in_days": 2}),
]  # fmt: skip


def _orders(agency: Agency, services: dict[str, ServiceType]) -> None:
    actor = Actor.system()
    branch = Branch.objects.filter(agency=agency).order_by("code")[0]
    for booking in BOOKINGS:
        extra = {"schedule_kind": ScheduleKind.ONCE, **booking.extra}
        order = order_intake(
            agency=agency,
            actor=actor,
            branch=branch,
            customer=CustomerInput(
                name=booking.name,
                phone=booking.phone,
                district=booking.district,
                address=booking.address,
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
                signed_name=booking.name,
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
