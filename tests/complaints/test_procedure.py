"""The complaint procedure to its end (issue 19): an owner for every complaint, the reply
promised to a soft complaint's customer, escalation and severity by hand, the root cause
at closing, repeat problems, one follow-up clock, the resolution KPI, the customer told
of each step, and a repair's warranty deadlines."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from agency.audit import Actor
from agency.models import AuditLog, Notification, OutboundMessage, Role
from complaints import figures
from complaints.lifecycle import ComplaintConflict
from complaints.models import (
    Complaint,
    ComplaintEvent,
    Deadline,
    DeadlineKind,
    Escalation,
    EscalationLevel,
    EventKind,
    Severity,
    Tier,
)
from complaints.services.escalation import complaint_raise, complaint_set_severity, escalate_due
from complaints.services.handling import (
    complaint_close,
    complaint_resolve,
    complaint_respond,
    complaint_second_response,
    complaint_verify,
)
from complaints.services.intake import complaint_take
from complaints.services.procedure import (
    complaint_assess_warranty,
    complaint_assign,
    complaint_promise_reply,
)
from feedback.models import Revisit
from tests.conftest import login
from tests.factories import (
    CustomerFactory,
    HolidayFactory,
    OrderFactory,
    ServiceTypeFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
#: Friday 3 pm in Shanghai.
FRIDAY = datetime(2026, 12, 4, 15, 0, tzinfo=SHANGHAI)
ROOT_CAUSE = {"root_cause": "communication", "root_cause_note": "没有提前告知上门时间"}


@pytest.fixture(autouse=True)
def _shanghai(world):
    world.a.agency.time_zone = "Asia/Shanghai"
    world.a.agency.save()


@pytest.fixture
def take(world, office, intake):
    def _take(**overrides) -> Complaint:
        return complaint_take(agency=world.a.agency, actor=office, intake=intake(**overrides))

    return _take


def actor(world, role: Role, tenant: str = "a") -> Actor:
    return Actor(user=getattr(world, tenant).user(role))


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def told(complaint: Complaint) -> list[str]:
    """The rules of the messages the customer got about the complaint, in order."""
    messages = OutboundMessage.objects.filter(topics__contains=[f"complaint:{complaint.pk}"])
    return list(messages.order_by("pk").values_list("rule", flat=True))


def running(complaint: Complaint, kind: str) -> Deadline:
    return Deadline.objects.get(
        complaint=complaint, kind=kind, met_at__isnull=True, cancelled_at__isnull=True
    )


# --- the owner ---------------------------------------------------------------------


def test_the_member_taking_a_complaint_owns_it_unless_they_name_another(world, take, office):
    assert take().owner == office.user
    supervisor = world.a.user(Role.SUPERVISOR)
    assert take(owner=supervisor).owner == supervisor


def test_an_owner_from_another_agency_or_outside_the_office_is_refused(world, take):
    for stranger in (world.b.user(Role.DISPATCHER), world.a.user(Role.STAFF)):
        with pytest.raises(ValidationError) as refused:
            take(owner=stranger)
        assert "owner" in refused.value.message_dict


def test_changing_the_owner_takes_a_reason_and_is_in_the_timeline_and_audit(world, take, office):
    complaint = take()
    manager = world.a.user(Role.MANAGER)
    with pytest.raises(ValidationError) as refused:
        complaint_assign(complaint=complaint, actor=office, owner=manager, reason=" ")
    assert "reason" in refused.value.message_dict

    complaint_assign(complaint=complaint, actor=office, owner=manager, reason="客户要求经理处理")

    complaint.refresh_from_db()
    assert complaint.owner == manager
    event = complaint.events.get(kind=EventKind.OWNER_CHANGED)
    assert "客户要求经理处理" in event.text
    assert AuditLog.objects.filter(action="complaint.assign", agency=world.a.agency).exists()


def test_the_desk_flags_and_filters_complaints_without_an_owner(world, take):
    owned, orphan = take(), take(category="attitude")
    Complaint.objects.filter(pk=orphan.pk).update(owner=None)  # as filed on the portal
    client = login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.a.user(Role.DISPATCHER))

    page = client.get(reverse("complaint_desk")).content.decode()
    assert page.count('data-flag="no-owner"') == 1

    only = client.get(reverse("complaint_desk"), {"owner": "none"}).content.decode()
    assert orphan.number in only and owned.number not in only
    listed = api(world.a.user(Role.DISPATCHER)).get(reverse("complaint-list"), {"unowned": "true"})
    assert [row["number"] for row in listed.json()["results"]] == [orphan.number]


def test_the_api_takes_an_owner_and_reassigns_with_a_reason(world, customer):
    client = api(world.a.user(Role.DISPATCHER))
    supervisor = world.a.user(Role.SUPERVISOR)
    body = {
        "branch": world.a.branch.pk,
        "customer": customer.pk,
        "channel": "phone",
        "category": "attitude",
        "description": "态度不好",
        "owner": supervisor.pk,
    }
    created = client.post(reverse("complaint-list"), body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["owner"] == supervisor.username

    foreign = client.post(
        reverse("complaint-list"), {**body, "owner": world.b.user(Role.MANAGER).pk}, format="json"
    )
    assert foreign.status_code == 400 and "owner" in foreign.json()

    assign = reverse("complaint-assign", kwargs={"pk": created.json()["id"]})
    manager = world.a.user(Role.MANAGER)
    assert client.post(assign, {"owner": manager.pk}, format="json").status_code == 400
    moved = client.post(assign, {"owner": manager.pk, "reason": "升级"}, format="json")
    assert moved.status_code == 200 and moved.json()["owner"] == manager.username


# --- the reply promised to a soft complaint ------------------------------------------


def test_a_promised_reply_is_a_deadline_escalated_by_the_sweep_and_met_by_the_answer(
    world, take, office
):
    complaint = take(category="attitude", tier=Tier.SOFT)
    reply_by = datetime(2026, 12, 9, 16, 0, tzinfo=SHANGHAI)
    complaint_promise_reply(complaint=complaint, actor=office, reply_by=reply_by)

    promise = running(complaint, DeadlineKind.PROMISED_REPLY)
    assert promise.due_at == reply_by
    assert "complaint.reply_promised:customer" in told(complaint)

    with time_machine.travel(reply_by + timedelta(minutes=1), tick=False):
        escalate_due()
    promise.refresh_from_db()
    assert promise.level == EscalationLevel.SUPERVISOR and promise.breached_at == reply_by

    complaint_respond(complaint=complaint, actor=office, text="已和阿姨核实，向您道歉")
    promise.refresh_from_db()
    assert promise.met_at is not None


def test_a_reply_promised_at_intake_or_when_responding(world, take, office):
    at_intake = take(
        category="attitude", tier=Tier.SOFT, reply_by=datetime(2026, 12, 9, 12, 0, tzinfo=SHANGHAI)
    )
    assert running(at_intake, DeadlineKind.PROMISED_REPLY)

    later = datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI)
    complaint_respond(complaint=at_intake, actor=office, text="正在核实", reply_by=later)
    assert running(at_intake, DeadlineKind.PROMISED_REPLY).due_at == later
    assert (
        Deadline.objects.filter(complaint=at_intake, kind=DeadlineKind.PROMISED_REPLY)
        .exclude(met_at=None)
        .count()
        == 1
    )


def test_a_reply_is_promised_on_a_soft_complaint_in_the_future_only(world, take, office):
    hard = take(tier=Tier.HARD)
    with pytest.raises(ValidationError):
        complaint_promise_reply(
            complaint=hard, actor=office, reply_by=datetime(2026, 12, 10, tzinfo=SHANGHAI)
        )
    soft = take(category="attitude", tier=Tier.SOFT)
    with pytest.raises(ValidationError):
        complaint_promise_reply(
            complaint=soft, actor=office, reply_by=datetime(2026, 12, 8, tzinfo=SHANGHAI)
        )
    client = api(world.a.user(Role.DISPATCHER))
    address = reverse("complaint-promise-reply", kwargs={"pk": hard.pk})
    assert client.post(address, {"reply_by": "2026-12-10T10:00:00+08:00"}).status_code == 400


# --- escalation and severity by hand -------------------------------------------------


def test_a_supervisor_escalates_by_hand_up_the_ladder_with_a_reason(world, take, office):
    complaint = take()
    with pytest.raises(PermissionDenied):
        complaint_raise(complaint=complaint, actor=office, reason="客户很生气")
    supervisor = actor(world, Role.SUPERVISOR)
    with pytest.raises(ValidationError):
        complaint_raise(complaint=complaint, actor=supervisor, reason="")

    complaint_raise(complaint=complaint, actor=supervisor, reason="客户很生气")
    complaint.refresh_from_db()
    assert complaint.raised_to == EscalationLevel.SUPERVISOR
    assert Notification.objects.filter(user=world.a.user(Role.SUPERVISOR)).exists()

    complaint_raise(complaint=complaint, actor=supervisor, reason="仍未解决")
    complaint.refresh_from_db()
    assert complaint.raised_to == EscalationLevel.MANAGER
    assert Notification.objects.filter(
        user=world.a.user(Role.MANAGER), title__contains=complaint.number
    ).exists()
    with pytest.raises(ComplaintConflict):
        complaint_raise(complaint=complaint, actor=supervisor, reason="再升级")

    assert complaint.events.filter(kind=EventKind.RAISED).count() == 2
    assert told(complaint).count("complaint.escalated:customer") == 2
    assert not Notification.objects.filter(agency=world.b.agency).exists()


def test_a_severity_change_takes_a_reason_and_a_major_one_reaches_the_department_head(
    world, take, office
):
    complaint = take()
    with pytest.raises(PermissionDenied):
        complaint_set_severity(
            complaint=complaint, actor=office, severity=Severity.MAJOR, reason="损失大"
        )
    manager = actor(world, Role.MANAGER)
    complaint_set_severity(
        complaint=complaint, actor=manager, severity=Severity.MAJOR, reason="损失超过一千元"
    )
    complaint.refresh_from_db()
    assert complaint.severity == Severity.MAJOR
    assert Escalation.objects.filter(complaint=complaint, level=EscalationLevel.MAJOR).count() == 1
    assert "损失超过一千元" in complaint.events.get(kind=EventKind.SEVERITY_CHANGED).text


def test_escalating_by_api_is_refused_to_a_dispatcher_and_404_for_another_agency(world, take):
    complaint = take()
    address = reverse("complaint-escalate", kwargs={"pk": complaint.pk})
    assert api(world.a.user(Role.DISPATCHER)).post(address, {"reason": "x"}).status_code == 403
    assert api(world.b.user(Role.MANAGER)).post(address, {"reason": "x"}).status_code == 404
    answer = api(world.a.user(Role.SUPERVISOR)).post(address, {"reason": "客户投诉多次"})
    assert answer.status_code == 200
    assert answer.json()["events"][-1]["kind"] == "raised"


# --- the root cause at closing -------------------------------------------------------


def test_closing_without_a_root_cause_is_refused_with_the_reason(world, take, office):
    complaint = take()
    with pytest.raises(ValidationError) as refused:
        complaint_close(
            complaint=complaint, actor=office, text="客户撤回", root_cause="", root_cause_note=""
        )
    assert set(refused.value.message_dict) == {"root_cause", "root_cause_note"}

    client = api(world.a.user(Role.DISPATCHER))
    address = reverse("complaint-close", kwargs={"pk": complaint.pk})
    assert client.post(address, {"text": "结案"}, format="json").status_code == 400

    page = login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.a.user(Role.DISPATCHER))
    refused_page = page.post(reverse("complaint_close", kwargs={"pk": complaint.pk}), {"text": "x"})
    assert refused_page.status_code == 400

    closed = client.post(address, {"text": "结案", **ROOT_CAUSE}, format="json")
    assert closed.status_code == 200
    assert closed.json()["root_cause"] == "communication"
    assert told(complaint)[-1] == "complaint.closed:customer"


# --- repeat problems ---------------------------------------------------------------


def test_the_same_customer_within_the_window_is_a_repeat_problem(world, take, customer):
    with time_machine.travel(datetime(2026, 9, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        too_old = take()  # 99 days before: outside the 90-day window
    with time_machine.travel(datetime(2026, 11, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        earlier = take()
    repeat = take(category="attitude")
    other = take(customer=CustomerFactory(agency=world.a.agency))

    client = login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.a.user(Role.DISPATCHER))
    flagged = client.get(reverse("complaint_desk"), {"repeat": "on"}).content.decode()
    assert repeat.number in flagged and other.number not in flagged
    detail = client.get(reverse("complaint_detail", kwargs={"pk": repeat.pk})).content.decode()
    assert earlier.number in detail and too_old.number not in detail

    counted = figures.repeat_problems(
        agency=world.a.agency,
        start=datetime(2026, 12, 1, tzinfo=SHANGHAI),
        end=datetime(2026, 12, 31, tzinfo=SHANGHAI),
    )
    assert counted == figures.Repeats(total=1, same_customer=1, same_staff=0)


def test_the_same_staff_member_and_category_is_a_repeat_problem(world, take):
    ayi = StaffMemberFactory(agency=world.a.agency)
    with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI), tick=False):
        take(staff=ayi, category="attitude", customer=CustomerFactory(agency=world.a.agency))
    again = take(staff=ayi, category="attitude", customer=CustomerFactory(agency=world.a.agency))
    take(staff=ayi, category="damage", customer=CustomerFactory(agency=world.a.agency))

    counted = figures.repeat_problems(
        agency=world.a.agency,
        start=datetime(2026, 12, 1, tzinfo=SHANGHAI),
        end=datetime(2026, 12, 31, tzinfo=SHANGHAI),
    )
    assert counted == figures.Repeats(total=1, same_customer=0, same_staff=1)
    client = api(world.a.user(Role.DISPATCHER))
    body = client.get(reverse("complaint-detail", args=[again.pk]))
    assert body.json()["repeat_staff"] is True
    listed = client.get(reverse("complaint-list"), {"repeat": "true", "open": "true"}).json()
    assert [row["number"] for row in listed["results"]] == [again.number]


def test_the_window_is_the_agencys_setting(world, take):
    from complaints.policy import sla_policy_update

    with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI), tick=False):
        take()
    sla_policy_update(agency=world.a.agency, actor=actor(world, Role.MANAGER), repeat_window_days=7)
    take()
    counted = figures.repeat_problems(
        agency=world.a.agency,
        start=datetime(2026, 12, 1, tzinfo=SHANGHAI),
        end=datetime(2026, 12, 31, tzinfo=SHANGHAI),
    )
    assert counted.total == 0


def test_root_causes_count_the_complaints_closed_in_the_period(world, take, office):
    for cause in ("communication", "communication", "process"):
        complaint_close(
            complaint=take(), actor=office, text="结案", root_cause=cause, root_cause_note="原因"
        )
    counted = figures.root_causes(
        agency=world.a.agency,
        start=datetime(2026, 12, 1, tzinfo=SHANGHAI),
        end=datetime(2026, 12, 31, tzinfo=SHANGHAI),
    )
    assert counted["communication"] == 2 and counted["process"] == 1 and counted["other"] == 0


# --- the follow-up, the KPI --------------------------------------------------------


def _resolve_hard(complaint: Complaint, office: Actor) -> None:
    complaint_respond(complaint=complaint, actor=office, text="已联系客户")
    complaint_second_response(
        complaint=complaint,
        actor=office,
        text="明天赔偿",
        resolve_by=datetime(2026, 12, 10, 18, 0, tzinfo=SHANGHAI),
    )
    complaint_resolve(complaint=complaint, actor=office, text="已赔偿")


def test_a_resolved_hard_complaint_has_one_follow_up_clock_owned_by_its_owner(world, take, office):
    supervisor = world.a.user(Role.SUPERVISOR)
    complaint = take(tier=Tier.HARD, owner=supervisor)
    _resolve_hard(complaint, office)
    complaint.refresh_from_db()

    assert not Deadline.objects.filter(complaint=complaint, kind=DeadlineKind.FOLLOW_UP).exists()
    [call] = Revisit.objects.filter(agency=world.a.agency, source=complaint.follow_up_source)
    assert call.assignee == supervisor

    manager = world.a.user(Role.MANAGER)
    complaint_assign(complaint=complaint, actor=office, owner=manager, reason="主管休假")
    call.refresh_from_db()
    assert call.assignee == manager


def test_the_resolution_kpi_averages_received_to_resolved(world, take, office):
    with time_machine.travel(datetime(2026, 12, 8, 10, 0, tzinfo=SHANGHAI), tick=False):
        complaint = take(tier=Tier.SOFT, category="attitude")
    complaint_respond(complaint=complaint, actor=office, text="道歉")
    complaint_verify(complaint=complaint, actor=office, text="属实")
    with time_machine.travel(datetime(2026, 12, 9, 16, 0, tzinfo=SHANGHAI), tick=False):
        complaint_resolve(complaint=complaint, actor=office, text="已处理")

    kpi = figures.average_resolution(
        agency=world.a.agency,
        start=datetime(2026, 12, 1, tzinfo=SHANGHAI),
        end=datetime(2026, 12, 31, tzinfo=SHANGHAI),
    )
    assert (kpi.value, kpi.measured, kpi.met) == (timedelta(hours=30), 1, False)


# --- repair and warranty -----------------------------------------------------------


@pytest.fixture
def repair_order(world, customer):
    service = ServiceTypeFactory(agency=world.a.agency, is_repair=True, category="repair")
    return OrderFactory(
        agency=world.a.agency, needs_form__customer=customer, needs_form__service_type=service
    )


def test_a_repair_complaint_runs_the_contact_and_answer_deadlines(
    world, take, office, repair_order
):
    HolidayFactory(agency=world.a.agency, day=date(2026, 12, 7), name="调休")
    with time_machine.travel(FRIDAY, tick=False):
        complaint = take(order=repair_order)

    contact = running(complaint, DeadlineKind.REPAIR_CONTACT)
    answer = running(complaint, DeadlineKind.WARRANTY_ANSWER)
    # One working day after Friday 15:00, Monday being a holiday: Tuesday 15:00.
    assert contact.due_at == datetime(2026, 12, 8, 15, 0, tzinfo=SHANGHAI)
    assert answer.due_at == FRIDAY + timedelta(hours=72)

    with time_machine.travel(datetime(2026, 12, 8, 15, 1, tzinfo=SHANGHAI), tick=False):
        escalate_due()
    contact.refresh_from_db()
    answer.refresh_from_db()
    assert contact.level == EscalationLevel.SUPERVISOR and answer.level == 1

    complaint_respond(complaint=complaint, actor=office, text="已电话联系客户")
    complaint_assess_warranty(
        complaint=complaint, actor=office, verdict="in_warranty", note="安装后三个月内，免费维修"
    )
    contact.refresh_from_db()
    answer.refresh_from_db()
    assert contact.met_at is not None and answer.met_at is not None
    complaint.refresh_from_db()
    assert complaint.warranty_verdict == "in_warranty"
    assert told(complaint)[-1] == "complaint.step:customer"


def test_only_a_repair_complaint_is_assessed_and_the_verdict_is_required(
    world, take, office, repair_order
):
    plain = take()
    assert not Deadline.objects.filter(
        complaint=plain, kind__in=[DeadlineKind.REPAIR_CONTACT, DeadlineKind.WARRANTY_ANSWER]
    ).exists()
    with pytest.raises(ComplaintConflict):
        complaint_assess_warranty(complaint=plain, actor=office, verdict="misuse", note="x")

    repair = take(order=repair_order)
    client = api(world.a.user(Role.DISPATCHER))
    address = reverse("complaint-warranty", kwargs={"pk": repair.pk})
    assert client.post(address, {"verdict": "broken", "note": "x"}).status_code == 400
    assert api(world.b.user(Role.DISPATCHER)).post(address, {}).status_code == 404
    done = client.post(address, {"verdict": "misuse", "note": "客户自行拆装"}, format="json")
    assert done.status_code == 200 and done.json()["warranty_verdict"] == "misuse"


def test_pages_of_the_procedure_answer_404_for_another_agency(world, take):
    complaint = take()
    client = login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.b.user(Role.MANAGER))
    for name in ("complaint_assign", "complaint_raise", "complaint_severity", "complaint_warranty"):
        assert client.post(reverse(name, kwargs={"pk": complaint.pk})).status_code == 404
    assert not ComplaintEvent.objects.exclude(kind=EventKind.TAKEN).exists()


def test_the_complaint_page_changes_the_owner_and_only_supervisors_escalate(world, take):
    complaint = take(category="attitude", tier=Tier.SOFT)
    dispatcher = login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.a.user(Role.DISPATCHER))
    page = dispatcher.get(reverse("complaint_detail", kwargs={"pk": complaint.pk}))
    assert page.status_code == 200
    assert reverse("complaint_raise", kwargs={"pk": complaint.pk}) not in page.content.decode()

    at = {"pk": complaint.pk}
    manager = world.a.user(Role.MANAGER)
    refused = dispatcher.post(reverse("complaint_assign", kwargs=at), {"owner": manager.pk})
    assert refused.status_code == 400
    moved = dispatcher.post(
        reverse("complaint_assign", kwargs=at), {"owner": manager.pk, "reason": "经理接手"}
    )
    assert moved.status_code == 302
    assert (
        dispatcher.post(reverse("complaint_raise", kwargs=at), {"reason": "x"}).status_code == 403
    )

    supervisor = login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.a.user(Role.SUPERVISOR))
    shown = supervisor.get(reverse("complaint_detail", kwargs=at)).content.decode()
    assert reverse("complaint_raise", kwargs=at) in shown
    assert (
        supervisor.post(reverse("complaint_raise", kwargs=at), {"reason": "多次投诉"}).status_code
        == 302
    )
    complaint.refresh_from_db()
    assert (complaint.owner, complaint.raised_to) == (manager, EscalationLevel.SUPERVISOR)
