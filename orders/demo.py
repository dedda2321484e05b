"""Demo catalogue, customers and orders for `manage.py seed_demo`.

The catalogue is brought to the same state on every run; orders are taken
(through the real services) only for an agency that has none yet, so a second
run changes nothing.
"""

import io
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange
from django.utils import timezone, translation
from PIL import Image

from agency.audit import Actor
from agency.demo import in_language
from agency.models import Agency, Branch, User
from orders.billing.services import (
    invoice_cancellation_fee,
    invoice_issue,
    invoice_order,
    payment_record,
)
from orders.lifecycle import order_transition
from orders.matching import explain_exclusion
from orders.models import (
    AcceptanceRound,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    FailedItem,
    Order,
    OrderStatus,
    PaymentMethod,
    Price,
    PricingUnit,
    ScheduleKind,
    ServiceCategory,
    ServiceType,
    SignedVia,
    Stage,
)
from orders.pricing import money
from orders.services.acceptance import (
    CustomerVerdict,
    Failure,
    acceptance_sign_customer,
    acceptance_sign_lead,
    acceptance_sign_supervisor,
    rework_done,
    rework_submit,
)
from orders.services.assignment import VIA_PHONE, assignment_confirm, assignment_propose
from orders.services.cancellation import cancellation_approve, order_request_cancellation
from orders.services.changes import change_request_approve, change_request_create
from orders.services.intake import CustomerInput, NeedsInput, order_confirm, order_intake
from orders.services.service_log import (
    log_check_in,
    log_check_out,
    log_inspection,
    log_note,
    log_preparation,
    log_task,
)
from staff.models import StaffMember

#: The English agency's words for the Chinese ones of this demo (Sunrise is in Shanghai).
IN_ENGLISH = {
    "客厅": "Living room",
    "卧室": "Bedrooms",
    "厨房": "Kitchen",
    "卫生间": "Bathroom",
    "阳台": "Balcony",
    "擦窗": "Windows",
    "除胶": "Glue residue",
    "玻璃": "Glass",
    "地面": "Floors",
    "橱柜": "Cabinets",
    "卫浴": "Shower and toilet",
    "产妇护理": "Care of the mother",
    "新生儿护理": "Newborn care",
    "月子餐": "Confinement meals",
    "母乳喂养指导": "Breastfeeding support",
    "辅食": "Baby food",
    "早教陪玩": "Early-learning play",
    "洗护": "Bathing and changing",
    "陪同就医": "Hospital visits",
    "助餐": "Meals",
    "助浴": "Bathing",
    "陪伴聊天": "Company and conversation",
    "水电检修": "Plumbing and wiring check",
    "门锁更换": "Lock replacement",
    "吸尘器": "Vacuum cleaner",
    "拖把": "Mop",
    "中性清洁剂": "Neutral detergent",
    "抹布（分色）": "Colour-coded cloths",
    "铲刀": "Scraper",
    "除胶剂": "Glue remover",
    "高空作业梯": "Tall ladder",
    "工业吸尘器": "Industrial vacuum",
    "王芳": "Emily Wang",
    "李娜": "Linda Li",
    "张伟": "Wei Zhang",
    "刘洋": "Oliver Liu",
    "周婷": "Tina Zhou",
    "陈静": "Jenny Chen",
    "孙丽": "Lily Sun",
    "朝阳区": "Pudong",
    "海淀区": "Xuhui",
    "东城区": "Huangpu",
    "西城区": "Jing'an",
    "建国路 88 号 3 单元 501": "Flat 501, 88 Zhangyang Road",
    "中关村大街 1 号 1201": "Flat 1201, 1 Tianyueqiao Road",
    "东直门内大街 5 号": "5 Henan South Road",
    "金融街 9 号": "9 Wuding Road",
    "东三环中路 7 号 1505": "Flat 1505, 7 Lujiazui Ring Road",
    "光华路 12 号 2 单元 902": "Flat 902, 12 Dongfang Road",
    "学院路 30 号 6 单元 301": "Flat 301, 30 Caoxi North Road",
    "对芒果过敏": "Allergic to mango",
    "一只猫": "A cat",
    "客厅完工": "Living room done",
    "卫生间完工": "Bathroom done",
    "加擦阳台玻璃 1 小时": "One more hour: balcony glass",
    "窗台有灰": "Dust on the window sills",
    "卫生间地漏有头发，窗台未擦。": "Hair in the bathroom drain; window sills not wiped.",
    "已重新清洁": "Cleaned again",
    "返工后很干净，谢谢。": "Spotless after the rework, thank you.",
    "家里临时有事，不需要了": "Something came up at home; no longer needed",
    "客户来电取消，已电话核实身份": "The customer called to cancel; identity checked on the phone",
}


def _say(agency: Agency, text: str) -> str:
    return in_language(agency, text, IN_ENGLISH[text])


def _say_all(agency: Agency, texts: tuple[str, ...] | list[str]) -> list[str]:
    return [_say(agency, text) for text in texts]


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
        # What the services write in words (timelines, notices) is in the agency's language.
        with translation.override(agency.default_language):
            _seed(agency)


def _seed(agency: Agency) -> None:
    services = {spec.code: _service(agency, spec) for spec in SERVICES}
    if not Order.objects.filter(agency=agency).exists():
        _orders(agency, services)
    if not AcceptanceRound.objects.filter(agency=agency).exists():
        story = _service_story(agency, services["cleaning"])
        _job_to_walk_through(agency, services["cleaning"])
        if story is not None:
            _bill(agency, story)
        _late_cancellation(agency, services["cleaning"])


def _service(agency: Agency, spec: DemoService) -> ServiceType:
    service, _ = ServiceType.objects.update_or_create(
        agency=agency,
        code=spec.code,
        defaults={
            "name_zh": spec.name_zh,
            "name_en": spec.name_en,
            "category": spec.category,
            "pricing_unit": spec.unit,
            "task_checklist": _say_all(agency, spec.tasks),
            "preparation_checklist": _say_all(agency, spec.preparation),
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
                {"callback_in_days": 3}),
]  # fmt: skip


def _orders(agency: Agency, services: dict[str, ServiceType]) -> None:
    actor = Actor.system()
    branch = Branch.objects.filter(agency=agency).order_by("code")[0]
    for booking in BOOKINGS:
        extra: dict[str, Any] = {"schedule_kind": ScheduleKind.ONCE, **booking.extra}
        for said in {"allergies", "pets"} & set(extra):
            extra[said] = _say(agency, extra[said])
        order = order_intake(
            agency=agency,
            actor=actor,
            branch=branch,
            customer=CustomerInput(
                name=_say(agency, booking.name),
                phone=booking.phone,
                district=_say(agency, booking.district),
                address=_say(agency, booking.address),
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
                signed_name=_say(agency, booking.name),
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


# --- a job served and accepted in two rounds ----------------------------------------


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


def _staffed_cleaning(
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
            checklist=_say_all(agency, ["客厅", "厨房", "卫生间", "擦窗"]),
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


def _job_to_walk_through(agency: Agency, cleaning: ServiceType) -> None:
    """Tomorrow afternoon's cleaning for the demo staff login, untouched: check in and go.

    The morning is taken by the first booking's cleaning, also theirs.

    Check-in opens with the address window, 24 hours before the start.
    """
    team = DemoTeam.of(agency)
    if team is None:
        return
    _staffed_cleaning(
        agency,
        cleaning,
        team,
        customer=CustomerInput(
            name=_say(agency, "周婷"),
            phone="13800138006",
            district=_say(agency, "朝阳区"),
            address=_say(agency, "东三环中路 7 号 1505"),
        ),
        day=agency.today() + timedelta(days=1),
        hours=(time(14), time(17)),
    )


def _service_story(agency: Agency, cleaning: ServiceType) -> Order | None:
    """A cleaning job served today by the demo staff login and accepted in round two.

    Checked in, tasks and photos logged, a change the customer approved on the
    staff member's phone, inspected, signed by the lead and the team supervisor,
    failed by the office supervisor with two items, redone, then passed by all
    four — the customer by link with a score of 4. Its acceptance record PDF is
    on the order's acceptance page.
    """
    team = DemoTeam.of(agency)
    if team is None:
        return None
    staff, manager = team.staff, team.office_supervisor
    lead, partner = team.lead, team.partner
    # The job's window holds the moment of seeding: check-in is allowed only inside it.
    now = timezone.localtime(timezone.now(), agency.zone)
    first_hour = max(now.hour - 1, 0)
    ends = time(first_hour + 3) if first_hour + 3 <= 23 else time(23, 59)
    order, lead_job = _staffed_cleaning(
        agency,
        cleaning,
        team,
        customer=CustomerInput(
            name=_say(agency, "陈静"),
            phone="13800138005",
            district=_say(agency, "朝阳区"),
            address=_say(agency, "光华路 12 号 2 单元 902"),
        ),
        day=now.date(),
        hours=(time(first_hour), ends),
    )
    for line in cleaning.preparation_checklist:
        log_preparation(assignment=lead_job, actor=staff, item=line)
    log_check_in(assignment=lead_job, actor=staff)
    for task in order.needs_form.checklist:
        log_task(assignment=lead_job, actor=staff, item=task)
    for name, caption in (("living-room.png", "客厅完工"), ("bathroom.png", "卫生间完工")):
        log_note(
            assignment=lead_job, actor=staff, text=_say(agency, caption), photo=_demo_photo(name)
        )
    change = change_request_create(
        order=order,
        actor=staff,
        description=_say(agency, "加擦阳台玻璃 1 小时"),
        quantity=Decimal(1),
    )
    change_request_approve(
        change=change, actor=staff, via=SignedVia.DEVICE, signed_name=order.customer.name
    )
    log_check_out(assignment=lead_job, actor=staff)
    for task in order.needs_form.checklist:
        log_inspection(assignment=lead_job, actor=staff, item=task, ok=True)
    acceptance_sign_lead(assignment=lead_job, actor=staff, passed=True)
    acceptance_sign_supervisor(
        order=order, stage=Stage.TEAM_SUPERVISOR, actor=team.team_supervisor, passed=True
    )
    acceptance_sign_supervisor(
        order=order,
        stage=Stage.OFFICE_SUPERVISOR,
        actor=manager,
        passed=False,
        failures=[
            Failure(_say(agency, "卫生间"), responsible=partner),
            Failure(_say(agency, "窗台有灰"), responsible=lead),
        ],
        comment=_say(agency, "卫生间地漏有头发，窗台未擦。"),
    )
    for item in FailedItem.objects.filter(agency=agency, order=order):
        rework_done(item=item, actor=staff, text=_say(agency, "已重新清洁"))
    rework_submit(order=order, actor=staff)
    acceptance_sign_lead(assignment=lead_job, actor=staff, passed=True)
    acceptance_sign_supervisor(
        order=order, stage=Stage.TEAM_SUPERVISOR, actor=team.team_supervisor, passed=True
    )
    acceptance_sign_supervisor(
        order=order, stage=Stage.OFFICE_SUPERVISOR, actor=manager, passed=True
    )
    acceptance_sign_customer(
        order=order,
        actor=Actor.system(),
        verdict=CustomerVerdict(
            signed_name=order.customer.name,
            via=SignedVia.LINK,
            score=4,
            comment=_say(agency, "返工后很干净，谢谢。"),
        ),
        passed=True,
        round_number=2,
    )
    return order


def _demo_photo(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 200, 220)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- billing -----------------------------------------------------------------------


def _bill(agency: Agency, order: Order) -> None:
    """The accepted story order invoiced at quote plus the approved change, then paid:
    half by WeChat Pay, half in cash — two receipts, and the order is paid."""
    finance = Actor(user=User.objects.get(username=f"{agency.slug}.finance"))
    invoice = invoice_issue(invoice=invoice_order(order=order), actor=finance)
    half = money(invoice.total / 2)
    payment_record(
        invoice=invoice,
        actor=finance,
        amount=half,
        method=PaymentMethod.WECHAT_PAY,
        reference="4200002026112312345678",
    )
    payment_record(
        invoice=invoice, actor=finance, amount=invoice.total - half, method=PaymentMethod.CASH
    )


def _late_cancellation(agency: Agency, cleaning: ServiceType) -> None:
    """An order taken three days ago, cancelled now: past the free window, so a fee,
    approved by the manager and invoiced."""
    office = Actor(user=User.objects.get(username=f"{agency.slug}.dispatcher"))
    manager = Actor(user=User.objects.get(username=f"{agency.slug}.manager"))
    order = order_intake(
        agency=agency,
        actor=office,
        branch=Branch.objects.filter(agency=agency).order_by("code")[0],
        customer=CustomerInput(
            name=_say(agency, "孙丽"),
            phone="13800138007",
            district=_say(agency, "海淀区"),
            address=_say(agency, "学院路 30 号 6 单元 301"),
        ),
        needs=NeedsInput(
            service_type=cleaning,
            schedule_kind=ScheduleKind.ONCE,
            start_date=agency.today() + timedelta(days=2),
            time_start=time(14),
            time_end=time(17),
        ),
    )
    order_confirm(
        order=order,
        quote_id=order.quotes.get().pk,
        signed_name=order.customer.name,
        via=SignedVia.LINK,
        actor=Actor.system(),
    )
    # The demo has no past: say the booking was taken three days ago.
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=3))
    order.refresh_from_db()
    cancellation = order_request_cancellation(
        order=order,
        actor=office,
        reason=_say(agency, "家里临时有事，不需要了"),
        signed_name=order.customer.name,
        via=SignedVia.OFFICE,
        verification_reason=_say(agency, "客户来电取消，已电话核实身份"),
    )
    cancellation_approve(cancellation=cancellation, actor=manager)
    finance = Actor(user=User.objects.get(username=f"{agency.slug}.finance"))
    cancellation.refresh_from_db()
    invoice_issue(invoice=invoice_cancellation_fee(cancellation=cancellation), actor=finance)
