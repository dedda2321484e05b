"""Demo incidents for `manage.py seed_demo` (issue 19), through the services: the lead of
the orders demo's accepted job reports damage from the job page, the supervisor takes it
on, records the damage and a follow-up, and opens its complaint; the office records a
data-protection incident, which only the managers see."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from agency.audit import Actor
from agency.demo import in_language
from agency.models import Agency, Branch, User
from complaints.incidents import services
from complaints.models import Incident, IncidentKind
from orders.models import AssignmentRole, Order

#: The English agency's words for the Chinese ones of this demo.
IN_ENGLISH = {
    "擦拭书架时碰倒了一个青花瓷花瓶，瓶口有缺口。": (
        "Knocked over a blue-and-white vase while dusting the bookshelf; its rim is chipped."
    ),
    "青花瓷花瓶": "Blue-and-white vase",
    "瓶口缺口约2厘米，客户称为家传之物。": (
        "A 2 cm chip on the rim; the customer says it is an heirloom."
    ),
    "致电客户了解花瓶购买凭证": "Call the customer about the vase's receipt",
    "派单员把客户地址发到了错误的服务人员微信群。": (
        "A dispatcher posted a customer's address to the wrong staff chat group."
    ),
}


def seed(agency: Agency) -> None:
    if Incident.objects.filter(agency=agency).exists():
        return
    accepted = Order.objects.filter(agency=agency, acceptance_rounds__isnull=False).first()
    lead = (
        accepted.assignments.filter(role=AssignmentRole.LEAD).select_related("staff__user").first()
        if accepted
        else None
    )
    head = User.objects.get(username=f"{agency.slug}.supervisor")
    supervisor = Actor(user=head)
    dispatcher = Actor(user=User.objects.get(username=f"{agency.slug}.dispatcher"))
    if lead is not None and lead.staff.user is not None:
        damage = services.incident_report(
            assignment=lead,
            actor=Actor(user=lead.staff.user),
            kind=IncidentKind.DAMAGE,
            note=_say(agency, "擦拭书架时碰倒了一个青花瓷花瓶，瓶口有缺口。"),
        )
        services.incident_assign(incident=damage, actor=supervisor, owner=head)
        services.incident_damage(
            incident=damage,
            actor=supervisor,
            item=_say(agency, "青花瓷花瓶"),
            description=_say(agency, "瓶口缺口约2厘米，客户称为家传之物。"),
            estimated_amount=Decimal("1200.00"),
        )
        services.incident_action_add(
            incident=damage,
            actor=supervisor,
            text=_say(agency, "致电客户了解花瓶购买凭证"),
            due_on=timezone.localdate(timezone.now() + timedelta(days=1), agency.zone),
        )
        services.incident_open_complaint(incident=damage, actor=supervisor)
    services.incident_record(
        agency=agency,
        actor=dispatcher,
        kind=IncidentKind.DATA_PROTECTION,
        branch=Branch.objects.filter(agency=agency).order_by("code")[0],
        note=_say(agency, "派单员把客户地址发到了错误的服务人员微信群。"),
    )


def _say(agency: Agency, text: str) -> str:
    return in_language(agency, text, IN_ENGLISH[text])
