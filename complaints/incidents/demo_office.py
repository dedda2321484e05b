"""Demo of the office's side of issue 19 for `manage.py seed_demo`: two deep cleans served
earlier today, a service the agency marks for the valuables check. On the first the customer
ticked the check on the staff member's phone; on the second the customer was out, so the
check waits for their confirmation by the link sent to them. On the first job a lamp was
broken too: the customer called, the office recorded the incident against the order, the
supervisor estimated the damage and opened its complaint, and the compensation proposed
is above the approval limit, so it waits for the manager (the walk-through of an
approval)."""

from decimal import Decimal

from agency.audit import Actor
from agency.demo import in_language
from agency.models import Agency, User
from complaints.demo_jobs import earlier_slots, job_left, job_served_today
from complaints.incidents import services
from complaints.incidents.valuables import valuables_check_record
from complaints.models import IncidentKind, Payer, ValuablesCheck
from complaints.services.remedies import compensation_propose
from orders.demo.bookings import DemoTeam
from orders.demo.words import say
from orders.intake.services.booking import CustomerInput
from orders.models import Order, ServiceType

#: The English agency's words for the Chinese ones of this demo.
IN_ENGLISH = {
    "赵敏": "Grace Zhao",
    "钱进": "Henry Qian",
    "望京西路 48 号 11 单元 1802": "Flat 1802, 48 Gubei Road",
    "花园路 3 号 5 单元 602": "Flat 602, 3 Tianping Road",
    "首饰盒、笔记本电脑均在原处。": "Jewellery box and laptop in place.",
    "客户外出，已发送确认链接。": "The customer was out; a link to confirm was sent.",
    "客户来电：擦拭客厅时碰倒了落地灯，灯罩玻璃碎裂。": (
        "The customer called: the floor lamp was knocked over while dusting the living room; "
        "its glass shade is broken."
    ),
    "落地灯（进口玻璃灯罩）": "Floor lamp (imported glass shade)",
    "灯罩碎裂，灯座弯折，客户提供了购买发票。": (
        "Shade broken, stand bent; the customer has the purchase invoice."
    ),
}
#: The jobs' customers: (name, phone, district, address, confirmed on the phone).
JOBS = [
    ("赵敏", "13800138031", "朝阳区", "望京西路 48 号 11 单元 1802", True),
    ("钱进", "13800138032", "海淀区", "花园路 3 号 5 单元 602", False),
]
#: The flats' area (a deep clean is priced per square metre).
AREA = Decimal("95")
#: The lamp's price: above the default approval limit, so a manager approves.
LAMP = Decimal("2680.00")


def seed(agency: Agency) -> None:
    if ValuablesCheck.objects.filter(agency=agency).exists():
        return
    service = (
        ServiceType.objects.filter(agency=agency, valuables_check=True).order_by("code").first()
    )
    team = DemoTeam.of(agency)
    slots = earlier_slots(agency, len(JOBS))
    if service is None or team is None or not slots:
        return
    served = []
    for (name, phone, district, address, confirmed), hours in zip(JOBS, slots, strict=True):
        order = job_served_today(
            agency,
            service,
            customer=CustomerInput(
                name=_say(agency, name),
                phone=phone,
                district=say(agency, district),
                address=_say(agency, address),
            ),
            hours=hours,
            team=[team.lead, team.partner],
            checklist=list(service.task_checklist),
            quantity=AREA,
        )
        if order is None:
            continue
        valuables_check_record(
            assignment=order.assignments.get(staff=team.lead),
            actor=team.staff,
            customer_confirmed=confirmed,
            note_text=_say(
                agency,
                "首饰盒、笔记本电脑均在原处。" if confirmed else "客户外出，已发送确认链接。",
            ),
        )
        job_left(order)
        served.append(order)
    if served:
        _broken_lamp(agency, served[0])


def _broken_lamp(agency: Agency, order: Order) -> None:
    supervisor = User.objects.get(username=f"{agency.slug}.supervisor")
    office = Actor(user=User.objects.get(username=f"{agency.slug}.dispatcher"))
    incident = services.incident_record(
        agency=agency,
        actor=office,
        kind=IncidentKind.DAMAGE,
        order=order,
        note=_say(agency, "客户来电：擦拭客厅时碰倒了落地灯，灯罩玻璃碎裂。"),
    )
    services.incident_assign(incident=incident, actor=Actor(user=supervisor), owner=supervisor)
    services.incident_damage(
        incident=incident,
        actor=Actor(user=supervisor),
        item=_say(agency, "落地灯（进口玻璃灯罩）"),
        description=_say(agency, "灯罩碎裂，灯座弯折，客户提供了购买发票。"),
        estimated_amount=LAMP,
    )
    incident = services.incident_open_complaint(incident=incident, actor=Actor(user=supervisor))
    if incident.complaint is None:
        return
    compensation_propose(
        complaint=incident.complaint,
        actor=office,
        item=_say(agency, "落地灯（进口玻璃灯罩）"),
        amount=LAMP,
        payer=Payer.INSURER,
        claim_reference="PICC-2026-118734",
    )


def _say(agency: Agency, text: str) -> str:
    return in_language(agency, text, IN_ENGLISH[text])
