"""TODO"""

import io
from datetime import time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from agency.audit import Actor
from agency.models import Agency, Branch, User
from orders.billing.invoicing import invoice_cancellation_fee, invoice_order
from orders.billing.services import invoice_issue, payment_record, refund_request
from orders.demo.bookings import DemoTeam, staffed_cleaning
from orders.demo.words import say
from orders.intake.services.booking import CustomerInput, NeedsInput, order_confirm, order_intake
from orders.intake.services.cancellation import cancellation_approve, order_request_cancellation
from orders.models import (
    FailedItem,
    Order,
    PaymentMethod,
    ScheduleKind,
    ServiceType,
    SignedVia,
    Stage,
)
from orders.pricing import money
from orders.service.services.acceptance import (
    CustomerVerdict,
    Failure,
    acceptance_sign_customer,
    acceptance_sign_lead,
    acceptance_sign_supervisor,
    rework_done,
    rework_submit,
)
from orders.service.services.changes import change_request_approve, change_request_create
from orders.service.services.service_log import (
    log_check_in,
    log_check_out,
    log_inspection,
    log_note,
    log_preparation,
    log_task,
)


def job_to_walk_through(agency: Agency, cleaning: ServiceType) -> None:
    """Tomorrow afternoon's cleaning for the demo staff login, untouched: check in and go.

    The morning is taken by the first booking's cleaning, also theirs.

    Check-in opens with the address window, 24 hours before the start.
    """
    team = DemoTeam.of(agency)
    if team is None:
        return
    staffed_cleaning(
        agency,
        cleaning,
        team,
        customer=CustomerInput(
            name=say(agency, "周婷"),
            phone="13800138006",
            district=say(agency, "朝阳区"),
            address=say(agency, "东三环中路 7 号 1505"),
        ),
        day=agency.today() + timedelta(days=1),
        hours=(time(14), time(17)),
    )


def service_story(agency: Agency, cleaning: ServiceType) -> Order | None:
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
    order, lead_job = staffed_cleaning(
        agency,
        cleaning,
        team,
        customer=CustomerInput(
            name=say(agency, "陈静"),
            phone="13800138005",
            district=say(agency, "朝阳区"),
            address=say(agency, "光华路 12 号 2 单元 902"),
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
            assignment=lead_job, actor=staff, text=say(agency, caption), photo=_demo_photo(name)
        )
    change = change_request_create(
        order=order,
        actor=staff,
        description=say(agency, "加擦阳台玻璃 1 小时"),
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
            Failure(say(agency, "卫生间"), responsible=partner),
            Failure(say(agency, "窗台有灰"), responsible=lead),
        ],
        comment=say(agency, "卫生间地漏有头发，窗台未擦。"),
    )
    for item in FailedItem.objects.filter(agency=agency, order=order):
        rework_done(item=item, actor=staff, text=say(agency, "已重新清洁"))
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
            comment=say(agency, "返工后很干净，谢谢。"),
        ),
        passed=True,
        round_number=2,
    )
    return order


def _demo_photo(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 200, 220)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def bill(agency: Agency, order: Order) -> None:
    """The accepted story order invoiced at quote plus the approved change, then paid:
    half by WeChat Pay, half in cash — two receipts, and the order is paid. Finance then
    asks to give back a little for the rework's lost afternoon: the refund waits for the
    manager (the manager's home page lists it)."""
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
    refund_request(
        invoice=invoice,
        actor=finance,
        amount=Decimal("30.00"),
        reason=say(agency, "返工耽误客户半天，退还部分费用"),
    )


def late_cancellation(agency: Agency, cleaning: ServiceType) -> None:
    """An order taken three days ago, cancelled now: past the free window, so a fee,
    approved by the manager and invoiced."""
    office = Actor(user=User.objects.get(username=f"{agency.slug}.dispatcher"))
    manager = Actor(user=User.objects.get(username=f"{agency.slug}.manager"))
    order = order_intake(
        agency=agency,
        actor=office,
        branch=Branch.objects.filter(agency=agency).order_by("code")[0],
        customer=CustomerInput(
            name=say(agency, "孙丽"),
            phone="13800138007",
            district=say(agency, "海淀区"),
            address=say(agency, "学院路 30 号 6 单元 301"),
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
        reason=say(agency, "家里临时有事，不需要了"),
        signed_name=order.customer.name,
        via=SignedVia.OFFICE,
        verification_reason=say(agency, "客户来电取消，已电话核实身份"),
    )
    cancellation_approve(cancellation=cancellation, actor=manager)
    finance = Actor(user=User.objects.get(username=f"{agency.slug}.finance"))
    cancellation.refresh_from_db()
    invoice_issue(invoice=invoice_cancellation_fee(cancellation=cancellation), actor=finance)
