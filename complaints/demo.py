"""Demo complaints for `manage.py seed_demo`: taken once per agency, through the services.

The story: a hard complaint taken at 17:00 on the last Friday, with
office hours on, whose first response falls due on Monday morning; nobody
responds, so beat's sweep (not the seed) escalates it to the branch
supervisor and, an hour later, the manager. A second one, major, shows the
rest of the handling: the response, the second response that sets the
resolution time, the resolution, the follow-up and the closing with its root
cause. The first is put right (a compensation agreed, approved and paid out); the second
gets its inspection visit. A third, soft, from the same customer, is a repeat problem on
the desk: owned by the supervisor, with a reply promised to the customer, and escalated
by hand.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation

from agency.audit import Actor
from agency.demo import in_language
from agency.models import Agency, Branch, Role, User
from complaints import demo_repair as repair_demo
from complaints.incidents import demo as incidents_demo
from complaints.incidents import demo_office as office_demo
from complaints.models import (
    Category,
    Complaint,
    ComplaintChannel,
    Payer,
    RootCause,
    Severity,
    SolutionKind,
    Tier,
)
from complaints.quality import demo as quality_demo
from complaints.services.escalation import complaint_raise
from complaints.services.handling import (
    complaint_close,
    complaint_follow_up,
    complaint_resolve,
    complaint_respond,
    complaint_second_response,
)
from complaints.services.intake import Intake, complaint_take
from complaints.services.remedies import (
    compensation_decide,
    compensation_pay,
    compensation_propose,
    inspection_record,
    inspection_schedule,
    solution_agree,
    solution_offer,
)
from orders.models import AssignmentRole, Customer, Order, PaymentMethod
from staff.models import StaffMember


@transaction.atomic
def seed() -> None:
    for agency in Agency.objects.filter(slug__in=["anxin", "sunrise"]):
        # What the services write in words (timelines, notices) is in the agency's language.
        with translation.override(agency.default_language):
            if not Complaint.objects.filter(agency=agency).exists():
                _complaints(agency)
            incidents_demo.seed(agency)
            repair_demo.seed(agency)
            office_demo.seed(agency)
        quality_demo.seed(agency)


#: The English agency's words for the Chinese ones of this demo.
IN_ENGLISH = {
    "打扫卫生间时碰倒了洗手台上的香水瓶，瓶子摔碎了。": (
        "Knocked a perfume bottle off the bathroom counter while cleaning; it broke."
    ),
    "赔偿香水，并希望以后派细心一些的阿姨。": (
        "Pay for the perfume, and send more careful staff next time."
    ),
    "开荒保洁后窗框仍有大量胶痕。": "Lots of glue left on the window frames after the deep clean.",
    "上门返工。": "Come back and redo it.",
    "已致电客户道歉，安排主管核实。": "Called the customer to apologise; a supervisor will check.",
    "主管已核实，确认为我方问题，明天上午上门返工。": (
        "The supervisor confirmed it is our fault; we redo it tomorrow morning."
    ),
    "已上门返工，客户确认胶痕清除。": "Redone on site; the customer confirms the glue is gone.",
    "客户对处理结果满意。": "The customer is happy with how it was handled.",
    "由经理致电道歉。": "The manager calls to apologise.",
    "按购买价赔偿香水。": "Pay for the perfume at its purchase price.",
    "香水（50 毫升）": "Perfume (50 ml)",
    "复查窗框，胶痕已全部清除，客户签字确认。": (
        "Window frames checked again: the glue is all gone; the customer signed."
    ),
    "结案。": "Closed.",
    "开荒前未向客户确认验收标准。": "The finish expected was not agreed before the deep clean.",
    "返工时阿姨说话不耐烦。": "The staff member was impatient during the redo.",
    "同一客户两周内第二次投诉，升级处理。": (
        "The same customer's second complaint in two weeks: escalated."
    ),
}


def last_friday_at_five(agency: Agency) -> datetime:
    """17:00 on the latest Friday that has passed, in the agency's time zone."""
    now = timezone.localtime(timezone.now(), agency.zone)
    friday = now.date() - timedelta(days=(now.weekday() - 4) % 7)
    moment = datetime.combine(friday, time(17), tzinfo=agency.zone)
    return moment if moment <= now else moment - timedelta(days=7)


def _say(agency: Agency, text: str) -> str:
    return in_language(agency, text, IN_ENGLISH[text])


def _complaints(agency: Agency) -> None:
    dispatcher = Actor(user=User.objects.get(username=f"{agency.slug}.dispatcher"))
    branch = Branch.objects.filter(agency=agency).order_by("code")[0]
    # The job served and accepted in the orders demo (invoiced and paid since).
    accepted = Order.objects.filter(agency=agency, acceptance_rounds__isnull=False).first()
    customers = Customer.objects.filter(agency=agency).order_by("pk")
    if accepted is None or customers.count() < 2:
        return
    received = last_friday_at_five(agency)
    lead = accepted.assignments.filter(role=AssignmentRole.LEAD).select_related("staff").first()
    damage = complaint_take(
        agency=agency,
        actor=dispatcher,
        intake=Intake(
            branch=branch,
            customer=accepted.customer,
            order=accepted,
            staff=lead.staff if lead else None,
            channel=ComplaintChannel.PHONE,
            category=Category.DAMAGE,
            tier=Tier.HARD,
            description=_say(agency, "打扫卫生间时碰倒了洗手台上的香水瓶，瓶子摔碎了。"),
            desired_outcome=_say(agency, "赔偿香水，并希望以后派细心一些的阿姨。"),
            received_at=received,
        ),
    )
    handled = complaint_take(
        agency=agency,
        actor=dispatcher,
        intake=Intake(
            branch=branch,
            customer=customers[0],
            channel=ComplaintChannel.PHONE,
            category=Category.FAULT,
            tier=Tier.HARD,
            severity=Severity.MAJOR,
            description=_say(agency, "开荒保洁后窗框仍有大量胶痕。"),
            desired_outcome=_say(agency, "上门返工。"),
            received_at=received + timedelta(minutes=10),
        ),
    )
    complaint_respond(
        complaint=handled, actor=dispatcher, text=_say(agency, "已致电客户道歉，安排主管核实。")
    )
    complaint_second_response(
        complaint=handled,
        actor=dispatcher,
        text=_say(agency, "主管已核实，确认为我方问题，明天上午上门返工。"),
        resolve_by=timezone.now() + timedelta(days=1),
    )
    complaint_resolve(
        complaint=handled, actor=dispatcher, text=_say(agency, "已上门返工，客户确认胶痕清除。")
    )
    complaint_follow_up(
        complaint=handled,
        actor=dispatcher,
        satisfaction=4,
        text=_say(agency, "客户对处理结果满意。"),
    )
    _remedies(agency, damage=damage, handled=handled, staff=lead.staff if lead else None)
    complaint_close(
        complaint=handled,
        actor=dispatcher,
        text=_say(agency, "结案。"),
        root_cause=RootCause.CUSTOMER_EXPECTATION,
        root_cause_note=_say(agency, "开荒前未向客户确认验收标准。"),
    )
    supervisor = Actor(user=User.objects.get(username=f"{agency.slug}.supervisor"))
    repeat = complaint_take(
        agency=agency,
        actor=dispatcher,
        intake=Intake(
            branch=branch,
            customer=customers[0],
            channel=ComplaintChannel.PHONE,
            category=Category.ATTITUDE,
            tier=Tier.SOFT,
            description=_say(agency, "返工时阿姨说话不耐烦。"),
            owner=supervisor.user,
            reply_by=timezone.now() + timedelta(hours=2),
        ),
    )
    complaint_raise(
        complaint=repeat,
        actor=supervisor,
        reason=_say(agency, "同一客户两周内第二次投诉，升级处理。"),
    )


def _remedies(
    agency: Agency, *, damage: Complaint, handled: Complaint, staff: StaffMember | None
) -> None:
    """The broken perfume put right: an apology and a compensation offered, the compensation
    agreed, proposed, approved by the supervisor (under the limit) and paid out by finance;
    the staff member's share on their record. The redone deep clean gets its inspection."""
    office = {
        role: Actor(user=User.objects.get(username=f"{agency.slug}.{role.value}"))
        for role in (Role.DISPATCHER, Role.SUPERVISOR, Role.FINANCE)
    }
    dispatcher = office[Role.DISPATCHER]
    solution_offer(
        complaint=damage,
        actor=dispatcher,
        kind=SolutionKind.APOLOGY,
        description=_say(agency, "由经理致电道歉。"),
    )
    agreed = solution_offer(
        complaint=damage,
        actor=dispatcher,
        kind=SolutionKind.COMPENSATION,
        description=_say(agency, "按购买价赔偿香水。"),
        amount=Decimal("380.00"),
    )
    solution_agree(solution=agreed, actor=dispatcher)
    compensation = compensation_propose(
        complaint=damage,
        actor=dispatcher,
        item=_say(agency, "香水（50 毫升）"),
        amount=Decimal("380.00"),
        payer=Payer.STAFF if staff else Payer.AGENCY,
        staff=staff,
    )
    compensation_decide(compensation=compensation, actor=office[Role.SUPERVISOR], approve=True)
    compensation_pay(
        compensation=compensation,
        actor=office[Role.FINANCE],
        method=PaymentMethod.WECHAT_PAY,
        reference="4200001234202612",
    )
    visit = inspection_schedule(
        complaint=handled,
        actor=dispatcher,
        scheduled_for=agency.local_date(timezone.now()),
        inspector=office[Role.SUPERVISOR].user,  # type: ignore[arg-type]
    )
    inspection_record(
        visit=visit,
        actor=office[Role.SUPERVISOR],
        findings=_say(agency, "复查窗框，胶痕已全部清除，客户签字确认。"),
    )
