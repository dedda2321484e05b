"""Demo complaints for `manage.py seed_demo`: taken once per agency, through the services.

The story: a hard complaint taken at 17:00 on the last Friday, with
office hours on, whose first response falls due on Monday morning; nobody
responds, so beat's sweep (not the seed) escalates it to the branch
supervisor and, an hour later, the manager. A second one, major, shows the
rest of the handling: the response, the second response that sets the
resolution time, the resolution and the follow-up.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone, translation

from agency.audit import Actor
from agency.demo import in_language
from agency.models import Agency, Branch, User
from complaints.incidents import demo as incidents_demo
from complaints.models import Category, Complaint, ComplaintChannel, Severity, Tier
from complaints.services.handling import (
    complaint_follow_up,
    complaint_resolve,
    complaint_respond,
    complaint_second_response,
)
from complaints.services.intake import Intake, complaint_take
from orders.models import AssignmentRole, Customer, Order


@transaction.atomic
def seed() -> None:
    for agency in Agency.objects.filter(slug__in=["anxin", "sunrise"]):
        # What the services write in words (timelines, notices) is in the agency's language.
        with translation.override(agency.default_language):
            if not Complaint.objects.filter(agency=agency).exists():
                _complaints(agency)
            incidents_demo.seed(agency)


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
    complaint_take(
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
