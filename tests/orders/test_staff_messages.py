"""What staff hear about their jobs, what the office hears of their answers, and what the
customer hears when the staff member sets out and arrives (issue 16, the staff side).

Every test reads the rows written (OutboundMessage, Notification): who got one, who did
not, and what a body must never hold (a staff message: the customer's phone or street;
a customer message: a staff member's phone).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agency.audit import Actor
from agency.models import Membership, Notification, OutboundMessage, Role
from orders.intake.services.cancellation import order_request_cancellation
from orders.models import Assignment, AssignmentStatus, EntryKind, Order, ServiceLogEntry, SignedVia
from orders.service.services.changes import change_request_approve, change_request_create
from orders.service.services.service_log import log_check_in, log_departure, log_preparation
from orders.staffing.services import (
    VIA_PHONE,
    assignment_confirm,
    assignment_decline,
    assignment_propose,
    assignment_release,
    assignment_replace,
    unacknowledged_tell_due,
)
from orders.tasks import sweep_unacknowledged_jobs
from staff.models import StaffMember
from staff.services.time_off import time_off_request
from tests.conftest import login
from tests.factories import AssignmentFactory, MembershipFactory, StaffMemberFactory
from tests.orders.test_matching import confirm, make_staff, require_skill_and_certificate

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: The booked customer's (tests.orders.conftest.CUSTOMER) phone and street, as stored.
CUSTOMER_PHONE = "13800138000"
STREET = "建国路"


@pytest.fixture(autouse=True)
def _english_agency(world):
    world.a.agency.default_language = "en"
    world.a.agency.save(update_fields=["default_language"])


@pytest.fixture
def order(book, cleaning, dispatcher):
    """A confirmed cleaning order, 09:00–12:00 three days ahead, in 朝阳区."""
    require_skill_and_certificate(cleaning)
    return confirm(book(), dispatcher)


def with_login(order: Order, name: str) -> StaffMember:
    """A staff member who passes matching, with a login of their own (in-app notices)."""
    member = make_staff(order, name=name)
    member.user = MembershipFactory(agency=order.agency, role=Role.STAFF).user
    member.save(update_fields=["user"])
    return member


def texts(rule: str) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(rule=rule).order_by("pk"))


def notices(title_part: str = "") -> list[Notification]:
    return list(Notification.objects.filter(title__contains=title_part).order_by("pk"))


def assert_no_customer_contact(bodies: list[str]) -> None:
    assert bodies
    for body in bodies:
        assert CUSTOMER_PHONE not in body and "138 0013 8000" not in body
        assert STREET not in body and "501" not in body


# --- staff: proposed, assigned, changed, taken off, cancelled ------------------------


def test_proposed_then_assigned_staff_are_told_and_no_one_else(order, dispatcher, world):
    lead, member = with_login(order, "组长"), make_staff(order, name="组员")
    bystander = make_staff(order, name="旁人")
    other_agency = StaffMemberFactory(agency=world.b.agency, user=world.b.user(Role.STAFF))

    lead_job, _member_job = assignment_propose(
        order=order, staff_list=[lead, member], actor=dispatcher
    )

    proposed = texts("job.proposed:staff")
    assert sorted(m.recipient for m in proposed) == sorted([lead.phone, member.phone])
    assert all(order.number in m.body and "朝阳区" in m.body for m in proposed)
    # No fee exists for staff: the shipped words no longer speak of one.
    assert not any("fee" in m.body for m in proposed)
    assert {tuple(m.topics) for m in proposed} >= {
        tuple(sorted([f"order:{order.pk}", f"customer:{order.customer_id}", f"staff:{lead.pk}"]))
    }
    [notice] = Notification.objects.filter(user=lead.user)
    assert notice.link == reverse("my_job", kwargs={"pk": lead_job.pk})
    assert not Notification.objects.filter(user=world.b.user(Role.STAFF)).exists()
    assert bystander.phone not in {m.recipient for m in OutboundMessage.objects.all()}
    assert other_agency.phone not in {m.recipient for m in OutboundMessage.objects.all()}
    # Three days ahead: the agency's two hours to acknowledge.
    lead_job.refresh_from_db()
    assert abs(lead_job.ack_due_at - lead_job.proposed_at - timedelta(minutes=120)) < timedelta(
        seconds=1
    )

    assignment_confirm(order=order, via=VIA_PHONE, actor=dispatcher, signed_name="王芳")
    assigned = texts("job.assigned:staff")
    assert sorted(m.recipient for m in assigned) == sorted([lead.phone, member.phone])
    # The customer's own messages (the booking) go to the customer alone.
    to_customer = OutboundMessage.objects.filter(rule__endswith=":customer")
    assert {m.recipient for m in to_customer} <= {order.customer.phone}
    every = [m.body for m in OutboundMessage.objects.all()] + [
        n.body for n in Notification.objects.all()
    ]
    assert_no_customer_contact(every)


def test_replaced_and_released_staff_hear_they_are_off(order, dispatcher):
    first, second = make_staff(order, name="甲"), make_staff(order, name="乙")
    [old] = assignment_propose(order=order, staff_list=[first], actor=dispatcher)
    assignment_confirm(order=order, via=VIA_PHONE, actor=dispatcher, signed_name="王芳")

    new = assignment_replace(
        order=Order.objects.get(pk=order.pk),
        assignment=old,
        staff=second,
        reason="客户要求换人",
        actor=dispatcher,
    )
    [off] = texts("job.replaced:staff")
    assert off.recipient == first.phone and "客户要求换人" in off.body
    assert [m.recipient for m in texts("job.proposed:staff")] == [first.phone, second.phone]

    assignment_release(
        order=Order.objects.get(pk=order.pk), assignment=new, reason="临时有事", actor=dispatcher
    )
    assert [m.recipient for m in texts("job.replaced:staff")] == [first.phone, second.phone]
    assert_no_customer_contact([m.body for m in OutboundMessage.objects.all()])


def test_a_customer_declining_the_proposal_tells_staff_without_the_customers_reason(
    order, dispatcher
):
    member = make_staff(order, name="甲")
    assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    assignment_decline(order=order, actor=dispatcher, reason="不喜欢这位阿姨")
    [off] = texts("job.replaced:staff")
    assert off.recipient == member.phone and "不喜欢" not in off.body
    assert Assignment.objects.get().ack_due_at is None


def test_cancelling_tells_every_staff_member_on_the_job_once(order, dispatcher):
    lead, member = make_staff(order, name="甲"), make_staff(order, name="乙")
    earlier = make_staff(order, name="丙")
    [gone] = assignment_propose(order=order, staff_list=[earlier], actor=dispatcher)
    assignment_decline(order=order, actor=dispatcher)
    assignment_propose(order=order, staff_list=[lead, member], actor=dispatcher)

    order_request_cancellation(
        order=Order.objects.get(pk=order.pk),
        actor=dispatcher,
        reason="行程有变",
        signed_name="王芳",
        via=SignedVia.OFFICE,
        verification_reason="电话中确认",
    )
    cancelled = texts("job.cancelled:staff")
    assert sorted(m.recipient for m in cancelled) == sorted([lead.phone, member.phone])
    assert all("行程有变" not in m.body for m in cancelled)
    assert_no_customer_contact([m.body for m in cancelled])
    assert not Assignment.objects.exclude(ack_due_at=None).exists()
    assert gone.staff.phone not in {m.recipient for m in cancelled}


def test_an_approved_change_tells_the_team_what_changed(team_job):
    change = change_request_create(
        order=team_job.order,
        actor=team_job.lead_actor,
        description="加做阳台 1 小时",
        quantity=1,
    )
    assert not texts("job.changed:staff")
    change_request_approve(
        change=change, actor=team_job.member_actor, via=SignedVia.DEVICE, signed_name="王芳"
    )
    changed = texts("job.changed:staff")
    assert sorted(m.recipient for m in changed) == sorted(
        [team_job.lead.staff.phone, team_job.member.staff.phone]
    )
    assert all("加做阳台 1 小时" in m.body for m in changed)
    customer = team_job.order.customer
    for body in [m.body for m in changed] + [n.body for n in notices()]:
        assert customer.phone not in body
        assert team_job.order.needs_form.address.detail not in body


# --- acknowledging and declining on the phone -----------------------------------------


def phone_of(user) -> Client:
    return login(Client(headers={"Accept-Language": "en"}), user)


def test_the_job_page_acknowledges_once(team_job, world):
    client = phone_of(team_job.lead.staff.user)
    url = reverse("my_job", kwargs={"pk": team_job.lead.pk})
    page = client.get(url).content.decode()
    assert reverse("my_job_acknowledge", kwargs={"pk": team_job.lead.pk}) in page

    answer = client.post(reverse("my_job_acknowledge", kwargs={"pk": team_job.lead.pk}))
    assert answer.status_code == 302
    team_job.lead.refresh_from_db()
    first = team_job.lead.acknowledged_at
    assert first is not None and team_job.lead.ack_due_at is None
    assert reverse("my_job_acknowledge", kwargs={"pk": team_job.lead.pk}) not in (
        client.get(url).content.decode()
    )
    client.post(reverse("my_job_acknowledge", kwargs={"pk": team_job.lead.pk}))
    team_job.lead.refresh_from_db()
    assert team_job.lead.acknowledged_at == first

    # Someone else's job (the member's), another agency's staff, the office: no.
    assert (
        client.post(reverse("my_job_acknowledge", kwargs={"pk": team_job.member.pk})).status_code
        == 404
    )
    other = phone_of(world.b.user(Role.STAFF))
    assert (
        other.post(reverse("my_job_acknowledge", kwargs={"pk": team_job.lead.pk})).status_code
        == 404
    )
    office = phone_of(world.a.user(Role.DISPATCHER))
    assert (
        office.post(reverse("my_job_acknowledge", kwargs={"pk": team_job.member.pk})).status_code
        == 403
    )
    team_job.member.refresh_from_db()
    assert team_job.member.acknowledged_at is None


def test_declining_on_the_page_releases_and_tells_the_dispatchers_only(order, dispatcher, world):
    member = with_login(order, "甲")
    [job] = assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    client = phone_of(member.user)
    url = reverse("my_job_decline", kwargs={"pk": job.pk})

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert Assignment.objects.get(pk=job.pk).status == AssignmentStatus.PROPOSED

    answer = client.post(url, {"reason": "那天要去医院"})
    assert answer.status_code == 302 and answer.url == reverse("my_jobs")
    job.refresh_from_db()
    assert (job.status, job.ack_due_at) == (AssignmentStatus.RELEASED, None)
    assert "那天要去医院" in job.release_reason

    declined = Notification.objects.filter(key__contains="job.declined:office")
    assert {n.user for n in declined} == {world.a.user(Role.DISPATCHER)}
    [notice] = declined
    assert "那天要去医院" in notice.body and "甲" in notice.body
    assert notice.link == reverse("order_detail", kwargs={"pk": order.pk})
    # The one who declined is not told they are off the job.
    assert not texts("job.replaced:staff")
    assert client.get(reverse("my_job", kwargs={"pk": job.pk})).status_code == 404


def test_the_api_acknowledges_and_declines_own_jobs_only(team_job, world):
    lead = phone_of(team_job.lead.staff.user)
    path = f"/api/my/jobs/{team_job.lead.pk}/"
    answer = lead.post(path + "acknowledge/")
    assert answer.status_code == 200, answer.content
    assert answer.json()["acknowledged_at"] is not None
    assert answer.json()["ack_due_at"] is None

    assert lead.post(f"/api/my/jobs/{team_job.member.pk}/acknowledge/").status_code == 404
    other = phone_of(world.b.user(Role.STAFF))
    assert other.post(path + "decline/", {"reason": "x"}).status_code == 404
    office = phone_of(world.a.user(Role.DISPATCHER))
    assert office.post(path + "acknowledge/").status_code == 403

    member = phone_of(team_job.member.staff.user)
    member_path = f"/api/my/jobs/{team_job.member.pk}/decline/"
    assert member.post(member_path, {}, content_type="application/json").status_code == 400
    declined = member.post(member_path, {"reason": "腰伤"}, content_type="application/json")
    assert declined.status_code == 200, declined.content
    assert declined.json()["status"] == AssignmentStatus.RELEASED
    assert Notification.objects.filter(
        key__contains="job.declined:office", user=world.a.user(Role.DISPATCHER)
    ).exists()
    assert not Notification.objects.filter(user=world.b.user(Role.DISPATCHER)).exists()


# --- not acknowledged in time ---------------------------------------------------------


def test_a_job_not_acknowledged_in_two_hours_goes_to_the_dispatcher_once(order, dispatcher, world):
    late, prompt = make_staff(order, name="迟"), make_staff(order, name="快")
    late_job, prompt_job = assignment_propose(
        order=order, staff_list=[late, prompt], actor=dispatcher
    )
    Assignment.objects.filter(pk=prompt_job.pk).update(acknowledged_at=timezone.now())
    proposed_at = late_job.proposed_at

    with time_machine.travel(proposed_at + timedelta(minutes=119)):
        assert unacknowledged_tell_due() == 0
    assert not notices("not acknowledged")

    with time_machine.travel(proposed_at + timedelta(minutes=121)):
        assert sweep_unacknowledged_jobs() == 1
        assert unacknowledged_tell_due() == 0
    with time_machine.travel(proposed_at + timedelta(hours=5)):
        assert unacknowledged_tell_due() == 0
    [notice] = notices("not acknowledged")
    assert notice.user == world.a.user(Role.DISPATCHER)
    assert "迟" in notice.body and "120 minutes" in notice.body and "快" not in notice.body
    assert not Notification.objects.filter(user=world.b.user(Role.DISPATCHER)).exists()
    assert not Assignment.objects.exclude(ack_due_at=None).exists()


def test_a_job_within_a_day_is_acknowledged_within_thirty_minutes(
    book, cleaning, dispatcher, world
):
    require_skill_and_certificate(cleaning)
    # 10:00 now; tomorrow 09:00 starts within 24 hours.
    soon = confirm(book(start_date=timezone.localdate() + timedelta(days=1)), dispatcher)
    member = make_staff(soon, name="近")
    [job] = assignment_propose(order=soon, staff_list=[member], actor=dispatcher)
    assert abs(job.ack_due_at - job.proposed_at - timedelta(minutes=30)) < timedelta(seconds=1)

    with time_machine.travel(job.proposed_at + timedelta(minutes=29)):
        assert unacknowledged_tell_due() == 0
    with time_machine.travel(job.proposed_at + timedelta(minutes=31)):
        assert unacknowledged_tell_due() == 1
    [notice] = notices("not acknowledged")
    assert "30 minutes" in notice.body


def test_the_agency_sets_the_times_to_acknowledge(order, dispatcher, world, client_for):
    manager = client_for(world.a.user(Role.MANAGER))
    fields = manager.get(reverse("agency_settings")).context["form"].fields
    assert {"ack_within_minutes", "ack_within_minutes_soon"} <= set(fields)
    answer = manager.patch(
        "/api/agency/settings/", {"ack_within_minutes": 45}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["ack_within_minutes"] == 45
    [job] = assignment_propose(order=order, staff_list=[make_staff(order)], actor=dispatcher)
    assert abs(job.ack_due_at - job.proposed_at - timedelta(minutes=45)) < timedelta(seconds=1)


# --- the customer: on the way, arrived -------------------------------------------------


def test_setting_out_tells_the_customer_once_even_in_quiet_hours(team_job):
    late_evening = datetime(2026, 12, 9, 22, 30, tzinfo=SHANGHAI)
    Order.objects.filter(pk=team_job.order.pk).update(
        starts_at=late_evening + timedelta(minutes=30), ends_at=late_evening + timedelta(hours=3)
    )
    team_job.reload()
    with time_machine.travel(late_evening, tick=False):
        client = phone_of(team_job.lead.staff.user)
        page = client.get(reverse("my_job", kwargs={"pk": team_job.lead.pk})).content.decode()
        assert reverse("my_job_depart", kwargs={"pk": team_job.lead.pk}) in page
        assert client.post(reverse("my_job_depart", kwargs={"pk": team_job.lead.pk})).status_code
        log_departure(assignment=team_job.member, actor=team_job.member_actor)
        [message] = texts("job.on_the_way:customer")
        # 22:30 is inside the customer's quiet hours (21:00–08:00): urgent goes now.
        assert message.next_attempt_at == late_evening
    customer = team_job.order.customer
    assert message.recipient == customer.phone
    assert "张阿姨" in message.body
    for staff in (team_job.lead.staff, team_job.member.staff):
        assert staff.phone not in message.body
    assert sorted(message.topics) == sorted(
        [
            f"order:{team_job.order.pk}",
            f"customer:{customer.pk}",
            f"staff:{team_job.lead.staff_id}",
        ]
    )
    assert ServiceLogEntry.objects.filter(kind=EntryKind.DEPARTURE).count() == 2
    # Once per person.
    with time_machine.travel(late_evening + timedelta(minutes=1)):
        answer = phone_of(team_job.lead.staff.user).post(
            reverse("my_job_depart", kwargs={"pk": team_job.lead.pk})
        )
    assert answer.status_code == 302
    assert ServiceLogEntry.objects.filter(kind=EntryKind.DEPARTURE).count() == 2


def test_setting_out_waits_for_the_address_window(world, cleaning):
    far = AssignmentFactory(
        agency=world.a.agency,
        staff=StaffMemberFactory(agency=world.a.agency, user=world.a.user(Role.STAFF)),
        status=AssignmentStatus.CONFIRMED,
        order__starts_at=timezone.now() + timedelta(days=3),
        order__status="assigned",
    )
    client = phone_of(world.a.user(Role.STAFF))
    page = client.get(reverse("my_job", kwargs={"pk": far.pk})).content.decode()
    assert reverse("my_job_depart", kwargs={"pk": far.pk}) not in page
    client.post(reverse("my_job_depart", kwargs={"pk": far.pk}))
    assert not ServiceLogEntry.objects.exists()
    assert not texts("job.on_the_way:customer")


def test_checking_in_tells_the_customer_the_staff_arrived_once(team_job):
    for line in team_job.order.service_type.preparation_checklist:
        log_preparation(assignment=team_job.lead, actor=team_job.lead_actor, item=line)
    log_check_in(assignment=team_job.lead, actor=team_job.lead_actor)
    log_check_in(assignment=team_job.member, actor=team_job.member_actor)
    [message] = texts("job.arrived:customer")
    assert message.recipient == team_job.order.customer.phone
    assert team_job.lead.staff.phone not in message.body
    assert team_job.member.staff.phone not in message.body


# --- the office: time off -----------------------------------------------------------


def test_time_off_asked_by_staff_goes_to_supervisors_and_dispatchers(world):
    agency = world.a.agency
    user = world.a.user(Role.STAFF)
    member = StaffMemberFactory(agency=agency, user=user, home_branch=world.a.branch, name="王阿姨")
    other_branch = MembershipFactory(
        agency=agency,
        role=Role.DISPATCHER,
        branch=StaffMemberFactory(agency=agency).home_branch,
    ).user
    starts = datetime(2026, 12, 14, 8, tzinfo=SHANGHAI)
    time_off_request(
        staff=member,
        actor=Actor(user=user),
        starts=starts,
        ends=starts + timedelta(days=2),
        reason="回老家",
    )
    told = Notification.objects.filter(key__contains="staff.time_off:office")
    assert {n.user for n in told} == {
        world.a.user(Role.SUPERVISOR),
        world.a.user(Role.DISPATCHER),
    }
    assert other_branch not in {n.user for n in told}
    assert all("王阿姨" in n.body and "回老家" in n.body and "2026-12-14" in n.body for n in told)
    assert all(n.link == reverse("staff_detail", kwargs={"pk": member.pk}) for n in told)


def test_time_off_entered_by_a_supervisor_does_not_tell_them(world):
    agency = world.a.agency
    member = StaffMemberFactory(agency=agency, home_branch=world.a.branch)
    supervisor = world.a.user(Role.SUPERVISOR)
    starts = datetime(2026, 12, 14, 8, tzinfo=SHANGHAI)
    time_off_request(
        staff=member,
        actor=Actor(user=supervisor),
        starts=starts,
        ends=starts + timedelta(days=1),
        reason="家中有事",
    )
    told = Notification.objects.filter(key__contains="staff.time_off:office")
    assert {n.user for n in told} == {world.a.user(Role.DISPATCHER)}
    assert Membership.objects.filter(user=supervisor, role=Role.SUPERVISOR).exists()
