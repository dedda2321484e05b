"""Demo warranty complaint for `manage.py seed_demo` (issue 19): an appliance
repair leaks again, and the customer calls. A complaint about a repair or installation
follows the warranty procedure, so the complaint's page shows its two deadlines: the
customer contacted within 1 working day, a definitive answer within 72 hours."""

from django.utils import timezone

from agency.audit import Actor
from agency.demo import in_language
from agency.models import Agency, User
from complaints.demo_jobs import earlier_slots, job_left, job_served_today
from complaints.models import Category, Complaint, ComplaintChannel, Tier
from complaints.services.intake import Intake, complaint_take
from orders.demo.words import say
from orders.intake.services.booking import CustomerInput
from orders.models import ServiceType
from staff.models import StaffMember

#: The English agency's words for the Chinese ones of this demo.
IN_ENGLISH = {
    "吴磊": "Leo Wu",
    "清华东路 16 号 2 单元 402": "Flat 402, 16 Yishan Road",
    "今天修好的洗衣机又开始漏水，地板都湿了。": (
        "The washing machine repaired today leaks again; the floor is wet."
    ),
    "保修期内免费上门再修。": "Come back and fix it free, under the warranty.",
}


def seed(agency: Agency) -> None:
    repair = ServiceType.objects.filter(agency=agency, is_repair=True).order_by("code").first()
    if repair is None:
        return
    if Complaint.objects.filter(agency=agency, order__service_type=repair).exists():
        return
    repairer = (
        StaffMember.objects.filter(agency=agency, skills__code="repair").order_by("pk").first()
    )
    slots = earlier_slots(agency, 1)
    if repairer is None or not slots:
        return
    customer = CustomerInput(
        name=_say(agency, "吴磊"),
        phone="13800138021",
        district=say(agency, "海淀区"),
        address=_say(agency, "清华东路 16 号 2 单元 402"),
    )
    order = job_served_today(
        agency,
        repair,
        customer=customer,
        hours=slots[0],
        team=[repairer],
        checklist=list(repair.task_checklist),
    )
    if order is None:
        return
    job_left(order)
    complaint_take(
        agency=agency,
        actor=Actor(user=User.objects.get(username=f"{agency.slug}.dispatcher")),
        intake=Intake(
            branch=order.branch,
            customer=order.customer,
            order=order,
            staff=repairer,
            channel=ComplaintChannel.PHONE,
            category=Category.FAULT,
            tier=Tier.HARD,
            description=_say(agency, "今天修好的洗衣机又开始漏水，地板都湿了。"),
            desired_outcome=_say(agency, "保修期内免费上门再修。"),
            received_at=timezone.now(),
        ),
    )


def _say(agency: Agency, text: str) -> str:
    return in_language(agency, text, IN_ENGLISH[text])
