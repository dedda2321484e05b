"""The complaints API: the same rules as the services, answered with the API's status codes
(400 input, 403 role, 404 not yours, 409 state), every deadline side by side, constant lists.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agency.models import Role
from complaints.models import (
    Attachment,
    Complaint,
    ComplaintEvent,
    Deadline,
    DeadlineKind,
    EventKind,
    Holiday,
    Status,
)
from complaints.services.handling import complaint_respond
from complaints.services.intake import complaint_take
from orders.models import Customer
from tests.factories import (
    BranchFactory,
    CustomerFactory,
    EscalationFactory,
    OrderFactory,
    StaffMemberFactory,
)
from tests.uploads import pdf, photo, text_as

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: A Friday, 17:00 in Shanghai: half an hour before the office closes for the weekend.
FRIDAY_FIVE = datetime(2026, 11, 20, 17, 0, tzinfo=SHANGHAI)
MONDAY_NINE = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
ROOT_CAUSE = {"root_cause": "process", "root_cause_note": "交接不清"}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def url(complaint=None, action: str | None = None) -> str:
    if complaint is None:
        return reverse("complaint-list")
    return reverse(f"complaint-{action or 'detail'}", kwargs={"pk": complaint.pk})


def post(client: APIClient, address: str, data: dict | None = None):
    return client.post(address, data or {}, format="json")


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def deadlines(body: dict) -> dict[str, dict]:
    """The running (or last) deadline of each kind, from a response."""
    return {d["kind"]: d for d in body["deadlines"] if d["state"] != "cancelled"}


@pytest.fixture(autouse=True)
def _shanghai(world):
    world.a.agency.time_zone = "Asia/Shanghai"
    world.a.agency.save()


@pytest.fixture
def dispatcher(world) -> APIClient:
    return api(world.a.user(Role.DISPATCHER))


@pytest.fixture
def take(world, office, intake):
    """`take(**intake_overrides)`: a complaint taken through the service, now."""

    def _take(**overrides) -> Complaint:
        return complaint_take(agency=world.a.agency, actor=office, intake=intake(**overrides))

    return _take


def new_complaint(world, complainant, /, **overrides) -> dict:
    payload = {
        "branch": world.a.branch.pk,
        "customer": complainant.pk,
        "channel": "phone",
        "category": "damage",
        "description": "打碎了一个花瓶",
        "desired_outcome": "照价赔偿",
    }
    return {**payload, **overrides}


# --- taking a complaint ----------------------------------------------------------


def test_a_hard_complaint_taken_at_five_on_friday_is_due_on_monday_morning(
    world, dispatcher, customer
):
    with time_machine.travel(FRIDAY_FIVE, tick=False):
        response = post(dispatcher, url(), new_complaint(world, customer))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["tier"] == "hard"  # suggested by the category "damage"
    assert body["status"] == "open"
    assert at(body["received_at"]) == FRIDAY_FIVE
    due = deadlines(body)
    # 30 office minutes on Friday, the other 30 from 08:30 on Monday.
    assert at(due["first_response"]["due_at"]) == MONDAY_NINE
    assert due["first_response"]["office_hours"] is True
    assert at(due["second_response"]["due_at"]) == MONDAY_NINE + timedelta(hours=2)
    assert at(body["nearest_due"]) == MONDAY_NINE
    assert due["first_response"]["state"] == "running"
    assert body["number"].startswith("2026-C")
    assert [event["kind"] for event in body["events"]] == [EventKind.TAKEN]
    # The customer's phone never appears in full; they are flagged for later orders.
    assert body["customer"]["masked_phone"] != customer.phone
    assert customer.phone not in response.content.decode()
    assert body["customer"]["special_attention"] is True
    assert Customer.objects.get(pk=customer.pk).special_attention


def test_a_complaint_takes_the_tier_chosen_and_the_time_it_was_received(
    world, dispatcher, customer
):
    received = timezone.now() - timedelta(minutes=10)
    response = post(
        dispatcher,
        url(),
        new_complaint(
            world,
            customer,
            category="attitude",
            tier="hard",
            severity="major",
            received_at=received.isoformat(),
        ),
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["tier"] == "hard"
    assert at(body["received_at"]) == received
    # A major complaint is reported to the department head at once.
    assert [e["level"] for e in body["escalations"]] == [0]
    assert body["escalations"][0]["deadline"] is None


def test_a_complaint_is_taken_as_multipart_with_its_attachments(world, dispatcher, customer, media):
    data = new_complaint(world, customer, attachments=[photo("vase.png"), pdf("receipt.pdf")])
    response = dispatcher.post(url(), data, format="multipart")

    assert response.status_code == 201, response.json()
    attachments = response.json()["attachments"]
    assert [a["name"][:4] for a in attachments] == ["vase", "rece"]
    # Shown by the name it came with, stored under a generated one.
    prefix = f"http://testserver/media/agency-{world.a.agency.pk}/complaints/"
    assert all(a["url"].startswith(prefix) for a in attachments)
    assert all("vase" not in a["url"] and "receipt" not in a["url"] for a in attachments)
    assert attachments[0]["uploaded_by"] == world.a.user(Role.DISPATCHER).username


def test_a_fake_attachment_refuses_the_whole_complaint(world, dispatcher, customer):
    data = new_complaint(world, customer, attachments=[text_as("vase.jpg")])
    response = dispatcher.post(url(), data, format="multipart")

    assert response.status_code == 400
    assert "attachments" in response.json()
    assert not Complaint.objects.exists()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("description", "   "),
        ("channel", "fax"),
        ("category", "weather"),
        ("tier", "medium"),
        ("received_at", "not a time"),
    ],
)
def test_bad_intake_is_a_400_on_its_field_and_writes_nothing(
    world, dispatcher, customer, field, value
):
    response = post(dispatcher, url(), new_complaint(world, customer, **{field: value}))

    assert response.status_code == 400
    assert field in response.json()
    assert not Complaint.objects.exists()


def test_a_complaint_received_in_the_future_is_refused(world, dispatcher, customer):
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    response = post(dispatcher, url(), new_complaint(world, customer, received_at=later))

    assert response.status_code == 400
    assert "received_at" in response.json()
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("description", "x" * 1_000_000),
        ("desired_outcome", "x" * 1_000_000),
        ("received_at", "0001-01-01T09:00:00+08:00"),
    ],
    ids=["megabyte-description", "megabyte-wish", "year-one"],
)
def test_a_megabyte_of_text_or_a_year_one_complaint_is_a_400_on_its_field(
    world, dispatcher, customer, field, value
):
    response = post(dispatcher, url(), new_complaint(world, customer, **{field: value}))

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_holiday_in_year_one_or_9999_is_a_400_on_the_day(world, day):
    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=UTC), tick=False):
        response = post(
            api(world.a.user(Role.MANAGER)), reverse("holiday-list"), {"day": day, "name": "x"}
        )

    assert response.status_code == 400
    assert response.json() == {"day": ["Enter a date between Jan. 1, 2000 and Nov. 23, 2036."]}
    assert not Holiday.objects.exists()


def test_another_agencys_branch_customer_order_or_staff_is_a_400(world, dispatcher, customer):
    theirs = {
        "branch": world.b.branch.pk,
        "customer": CustomerFactory(agency=world.b.agency).pk,
        "order": OrderFactory(agency=world.b.agency).pk,
        "staff": StaffMemberFactory(agency=world.b.agency).pk,
    }
    for field, pk in theirs.items():
        response = post(dispatcher, url(), new_complaint(world, customer, **{field: pk}))
        assert response.status_code == 400, field
        assert list(response.json()) == [field]
    assert not Complaint.objects.exists()
    assert not Customer.objects.get(pk=customer.pk).special_attention


def test_an_order_of_another_customer_is_a_400(world, dispatcher, customer):
    order = OrderFactory(agency=world.a.agency)
    response = post(dispatcher, url(), new_complaint(world, customer, order=order.pk))

    assert response.status_code == 400
    assert "order" in response.json()
    assert not Complaint.objects.exists()


# --- the steps ---------------------------------------------------------------------


def test_a_hard_complaint_is_worked_to_the_end_through_the_api(world, dispatcher, take):
    staff = StaffMemberFactory(agency=world.a.agency)
    complaint = take(staff=staff)

    response = post(dispatcher, url(complaint, "respond"), {"text": "已致电道歉"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "responding"
    assert deadlines(response.json())["first_response"]["state"] == "met"

    response = post(dispatcher, url(complaint, "notes"), {"text": "客户下午在家"})
    assert response.status_code == 201
    assert response.json()["events"][-1]["kind"] == "note"

    resolve_by = timezone.now() + timedelta(days=2)
    response = post(
        dispatcher,
        url(complaint, "second-response"),
        {"text": "上门评估后赔偿", "resolve_by": resolve_by.isoformat()},
    )
    assert response.status_code == 200, response.json()
    due = deadlines(response.json())
    assert due["second_response"]["state"] == "met"
    assert at(due["resolution"]["due_at"]) == resolve_by
    assert due["resolution"]["office_hours"] is False

    response = post(
        dispatcher,
        url(complaint, "resolve"),
        {"text": "已赔偿", "upheld": True, "do_not_send": True},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["upheld"]) == ("resolved", True)
    assert deadlines(body)["resolution"]["state"] == "met"
    assert "follow_up" not in deadlines(body)
    assert (body["follow_up"]["kind"], body["follow_up"]["status"]) == (
        "complaint_follow_up",
        "open",
    )

    response = post(dispatcher, url(complaint, "follow-up"), {"satisfaction": 4, "text": "满意"})
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["satisfaction"]) == ("followed_up", 4)
    assert (
        response.json()["follow_up"]["status"],
        response.json()["follow_up"]["satisfaction"],
    ) == (
        "done",
        4,
    )

    response = post(dispatcher, url(complaint, "close"), {"text": "结案", **ROOT_CAUSE})
    assert response.status_code == 200
    assert response.json()["status"] == "closed"

    response = post(dispatcher, url(complaint, "reopen"), {"text": "客户不满意"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "reopened"
    assert {d["kind"] for d in body["deadlines"] if d["state"] == "running"} == {
        DeadlineKind.FIRST_RESPONSE,
        DeadlineKind.SECOND_RESPONSE,
    }
    assert [e["kind"] for e in body["events"]] == [
        "taken",
        "response",
        "note",
        "second_response",
        "resolution",
        "follow_up",
        "closed",
        "reopened",
    ]


def test_a_soft_complaint_is_verified_and_its_clock_paused_and_resumed(world, dispatcher, take):
    monday = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(monday, tick=False):
        complaint = take(category="attitude")
        response = post(dispatcher, url(complaint, "respond"), {"text": "已致歉"})
        assert response.status_code == 200

    with time_machine.travel(monday + timedelta(minutes=10), tick=False):
        response = post(dispatcher, url(complaint, "pause"), {"reason": "等客户回电"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["pause_reason"] == "等客户回电"
    verification = deadlines(body)["verification"]
    assert (verification["state"], verification["paused"]) == ("paused", True)
    assert verification["seconds_left"] == 20 * 60

    with time_machine.travel(monday + timedelta(hours=2), tick=False):
        response = post(dispatcher, url(complaint, "resume"))
        assert response.status_code == 200, response.json()
        verification = deadlines(response.json())["verification"]
        assert at(verification["due_at"]) == monday + timedelta(hours=2, minutes=20)
        assert verification["seconds_left"] == 20 * 60
        assert response.json()["paused_at"] is None

        response = post(dispatcher, url(complaint, "verify"), {"text": "核实属实"})
    assert response.status_code == 200, response.json()
    assert deadlines(response.json())["verification"]["state"] == "met"


def test_an_attachment_is_added_as_multipart(world, dispatcher, take, media):
    complaint = take()
    response = dispatcher.post(
        url(complaint, "attachments"), {"file": pdf("quote.pdf")}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert [a["name"][:5] for a in response.json()["attachments"]] == ["quote"]

    response = dispatcher.post(
        url(complaint, "attachments"), {"file": text_as("fake.pdf")}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()
    assert Attachment.objects.count() == 1


def test_the_detail_shows_each_escalation_with_its_deadline(world, dispatcher, take):
    complaint = take()
    first = complaint.deadlines.get(kind=DeadlineKind.FIRST_RESPONSE)
    EscalationFactory(agency=world.a.agency, deadline=first, complaint=complaint)
    Deadline.objects.filter(pk=first.pk).update(level=1, breached_at=first.due_at)

    body = dispatcher.get(url(complaint)).json()

    assert body["escalations"][0]["deadline_kind"] == "first_response"
    assert body["escalations"][0]["level_label"].startswith("Breached")
    shown = deadlines(body)["first_response"]
    assert (shown["breached"], shown["level"], shown["state"]) == (True, 1, "breached")


# --- bad input: 400 and nothing written ---------------------------------------------


@pytest.mark.parametrize(
    ("action", "payload", "field"),
    [
        ("respond", {"text": "  "}, "text"),
        ("respond", {}, "text"),
        ("notes", {"text": ""}, "text"),
        ("close", {"text": " "}, "text"),
        ("pause", {"reason": " "}, "reason"),
    ],
)
def test_empty_text_is_a_400_and_nothing_is_written(
    world, dispatcher, take, action, payload, field
):
    complaint = take()
    events = ComplaintEvent.objects.count()

    response = post(dispatcher, url(complaint, action), payload)

    assert response.status_code == 400
    assert field in response.json()
    assert ComplaintEvent.objects.count() == events
    complaint.refresh_from_db()
    assert (complaint.status, complaint.paused_at) == (Status.OPEN, None)


@pytest.mark.parametrize("score", [0, 6])
def test_a_satisfaction_outside_one_to_five_is_a_400(world, dispatcher, take, office, score):
    complaint = take(category="attitude", tier="soft")
    complaint_respond(complaint=complaint, actor=office, text="已致歉")
    assert post(dispatcher, url(complaint, "verify"), {"text": "核实"}).status_code == 200
    assert post(dispatcher, url(complaint, "resolve"), {"text": "已处理"}).status_code == 200

    response = post(dispatcher, url(complaint, "follow-up"), {"satisfaction": score})

    assert response.status_code == 400
    assert "satisfaction" in response.json()
    complaint.refresh_from_db()
    assert (complaint.status, complaint.satisfaction) == (Status.RESOLVED, None)


def test_a_resolution_time_in_the_past_is_a_400(world, dispatcher, take, office):
    complaint = take()
    complaint_respond(complaint=complaint, actor=office, text="已致电道歉")
    past = (timezone.now() - timedelta(minutes=1)).isoformat()

    response = post(
        dispatcher, url(complaint, "second-response"), {"text": "明天赔偿", "resolve_by": past}
    )

    assert response.status_code == 400
    assert "resolve_by" in response.json()
    assert not complaint.deadlines.filter(kind=DeadlineKind.RESOLUTION).exists()
    assert complaint.deadlines.get(kind=DeadlineKind.SECOND_RESPONSE).met_at is None


def test_upheld_without_a_staff_member_concerned_is_a_400(world, dispatcher, take, office):
    complaint = take()
    complaint_respond(complaint=complaint, actor=office, text="已致电道歉")
    resolve_by = (timezone.now() + timedelta(days=1)).isoformat()
    second = {"text": "明天上门", "resolve_by": resolve_by}
    assert post(dispatcher, url(complaint, "second-response"), second).status_code == 200

    response = post(dispatcher, url(complaint, "resolve"), {"text": "已赔偿", "upheld": True})

    assert response.status_code == 400
    assert "upheld" in response.json()
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDING


# --- wrong state: 409 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "payload"),
    [
        ("verify", {"text": "核实"}),  # a hard complaint is not verified
        ("follow-up", {"satisfaction": 5}),  # not resolved
        ("resolve", {"text": "已处理"}),  # not responded to
        ("resume", {}),  # not paused
    ],
)
def test_a_step_out_of_turn_is_a_409(world, dispatcher, take, action, payload):
    complaint = take()

    response = post(dispatcher, url(complaint, action), payload)

    assert response.status_code == 409
    assert response.json()["detail"]
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN


def test_a_second_response_to_a_soft_complaint_and_a_second_pause_are_409(
    world, dispatcher, take, office
):
    complaint = take(category="attitude")
    complaint_respond(complaint=complaint, actor=office, text="已致歉")
    later = (timezone.now() + timedelta(days=1)).isoformat()

    response = post(
        dispatcher, url(complaint, "second-response"), {"text": "x", "resolve_by": later}
    )
    assert response.status_code == 409

    assert post(dispatcher, url(complaint, "pause"), {"reason": "等回电"}).status_code == 200
    assert post(dispatcher, url(complaint, "pause"), {"reason": "又等"}).status_code == 409


# --- who may: 403, and another agency's: 404 -------------------------------------------


@pytest.mark.parametrize("role", [Role.FINANCE, Role.STAFF])
def test_finance_and_field_staff_cannot_read_or_work_complaints(world, take, customer, role):
    complaint = take()
    client = api(world.a.user(role))

    assert client.get(url()).status_code == 403
    assert client.get(url(complaint)).status_code == 403
    assert post(client, url(), new_complaint(world, customer)).status_code == 403
    assert post(client, url(complaint, "respond"), {"text": "x"}).status_code == 403
    assert Complaint.objects.count() == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.MANAGER])
def test_supervisors_and_managers_work_complaints_too(world, take, role):
    complaint = take()
    response = post(api(world.a.user(role)), url(complaint, "respond"), {"text": "已致电"})
    assert response.status_code == 200


def test_another_agencys_complaint_answers_404(world, take):
    complaint = take()
    outsider = api(world.b.user(Role.MANAGER))

    assert outsider.get(url(complaint)).status_code == 404
    assert post(outsider, url(complaint, "respond"), {"text": "x"}).status_code == 404
    assert post(outsider, url(complaint, "close"), {"text": "x", **ROOT_CAUSE}).status_code == 404
    assert outsider.get(url()).json()["results"] == []
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN


# --- lists ---------------------------------------------------------------------------


def test_the_desk_lists_open_complaints_by_their_nearest_running_deadline(
    world, dispatcher, take, office
):
    monday = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(monday, tick=False):
        hard = take()  # first response due 11:00
    with time_machine.travel(monday + timedelta(minutes=20), tick=False):
        soft = take(category="attitude")  # first response due 10:35
    with time_machine.travel(monday + timedelta(minutes=30), tick=False):
        closed = take(category="attitude")
        post(dispatcher, url(closed, "close"), {"text": "重复登记", **ROOT_CAUSE})
        response = dispatcher.get(url(), {"open": "true"})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["number"] for row in rows] == [soft.number, hard.number]
    assert at(rows[0]["nearest_due"]) == monday + timedelta(minutes=35)
    assert [d["kind"] for d in rows[1]["deadlines"]] == ["first_response", "second_response"]
    assert rows[0]["deadlines"][0]["seconds_left"] == 5 * 60

    numbers = [row["number"] for row in dispatcher.get(url(), {"open": "false"}).json()["results"]]
    assert numbers == [closed.number]


def test_the_log_filters_by_tier_branch_staff_and_status(world, dispatcher, take):
    other_branch = BranchFactory(agency=world.a.agency)
    staff = StaffMemberFactory(agency=world.a.agency)
    hard = take(staff=staff)
    soft = take(category="attitude", branch=other_branch)

    def numbers(**query) -> list[str]:
        response = dispatcher.get(url(), query)
        assert response.status_code == 200, response.json()
        return [row["number"] for row in response.json()["results"]]

    assert numbers() == [soft.number, hard.number]  # newest first
    assert numbers(tier="hard") == [hard.number]
    assert numbers(branch=other_branch.pk) == [soft.number]
    assert numbers(staff=staff.pk) == [hard.number]
    assert numbers(status="open", category="attitude") == [soft.number]
    assert dispatcher.get(url(), {"branch": world.b.branch.pk}).status_code == 400


@pytest.mark.parametrize("query", [{}, {"open": "true"}], ids=["log", "desk"])
def test_the_complaint_list_runs_a_fixed_number_of_queries(
    world, dispatcher, take, django_assert_num_queries, query
):
    def listed() -> int:
        # memberships with agency and branch, the agency's repeat window, count, the page
        # of complaints joined with branch, customer, order, staff, who took and who owns
        # it (with its repeat flags), their deadlines; the desk reads the page's customers
        # by key instead of joining them (one query more)
        with django_assert_num_queries(6 if query else 5):
            response = dispatcher.get(url(), query)
        return len(response.json()["results"])

    take(staff=StaffMemberFactory(agency=world.a.agency))
    assert listed() == 1
    for _ in range(4):
        take(staff=StaffMemberFactory(agency=world.a.agency))
    assert listed() == 5


# --- the SLA policy -------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.SUPERVISOR, Role.MANAGER])
def test_any_office_role_reads_the_sla_policy(world, role):
    response = api(world.a.user(role)).get(reverse("api_sla_policy"))

    assert response.status_code == 200
    body = response.json()
    assert body["hard_first_response"] == "01:00:00"
    assert body["soft_first_response"] == "00:15:00"
    assert [(h["weekday"], h["opens"], h["closes"]) for h in body["office_hours"]] == [
        (day, "08:30:00", "17:30:00") for day in range(5)
    ]
    assert body["holidays"] == []


@pytest.mark.parametrize("role", [Role.FINANCE, Role.STAFF])
def test_finance_and_field_staff_cannot_read_the_sla_policy(world, role):
    assert api(world.a.user(role)).get(reverse("api_sla_policy")).status_code == 403


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.SUPERVISOR])
def test_only_a_manager_may_change_the_sla_policy(world, role):
    response = api(world.a.user(role)).patch(
        reverse("api_sla_policy"), {"hard_first_response": "00:30:00"}, format="json"
    )
    assert response.status_code == 403


def test_a_manager_changes_the_sla_policy_and_bad_durations_are_400(world):
    manager = api(world.a.user(Role.MANAGER))

    response = manager.patch(
        reverse("api_sla_policy"),
        {"hard_first_response": "00:30:00", "soft_office_hours": False},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["hard_first_response"] == "00:30:00"
    assert response.json()["soft_office_hours"] is False
    assert response.json()["soft_first_response"] == "00:15:00"  # left as it was

    response = manager.patch(
        reverse("api_sla_policy"), {"soft_verification": "00:00:00"}, format="json"
    )
    assert response.status_code == 400
    assert "soft_verification" in response.json()
    response = manager.patch(
        reverse("api_sla_policy"), {"soft_verification": "soon"}, format="json"
    )
    assert response.status_code == 400
    assert manager.get(reverse("api_sla_policy")).json()["soft_verification"] == "00:30:00"


def test_the_policy_counts_from_then_on(world, dispatcher, customer):
    api(world.a.user(Role.MANAGER)).patch(
        reverse("api_sla_policy"), {"hard_office_hours": False}, format="json"
    )
    with time_machine.travel(FRIDAY_FIVE, tick=False):
        response = post(dispatcher, url(), new_complaint(world, customer))
    assert at(deadlines(response.json())["first_response"]["due_at"]) == FRIDAY_FIVE + timedelta(
        hours=1
    )


def test_a_manager_replaces_the_office_hours(world, dispatcher):
    manager = api(world.a.user(Role.MANAGER))
    saturday_morning = {"weekday": 5, "opens": "09:00", "closes": "12:00"}
    week = [{"weekday": day, "opens": "09:00", "closes": "18:00"} for day in range(5)]

    response = manager.put(
        reverse("api_sla_office_hours"),
        {"office_hours": [*week, saturday_morning]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    hours = response.json()["office_hours"]
    assert [(h["weekday"], h["opens"], h["closes"]) for h in hours][-1] == (
        5,
        "09:00:00",
        "12:00:00",
    )
    assert len(dispatcher.get(reverse("api_sla_office_hours")).json()) == 6


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [{"weekday": 0, "opens": "18:00", "closes": "09:00"}],
        [
            {"weekday": 0, "opens": "08:00", "closes": "12:00"},
            {"weekday": 0, "opens": "11:00", "closes": "17:00"},
        ],
        [{"weekday": 7, "opens": "08:00", "closes": "12:00"}],
    ],
    ids=["empty", "closes-before-opening", "overlap", "no-such-weekday"],
)
def test_a_bad_office_calendar_is_a_400_and_keeps_the_old_one(world, rows):
    manager = api(world.a.user(Role.MANAGER))

    response = manager.put(reverse("api_sla_office_hours"), {"office_hours": rows}, format="json")

    assert response.status_code == 400
    assert "office_hours" in response.json()
    assert len(manager.get(reverse("api_sla_office_hours")).json()) == 5


def test_a_manager_adds_and_removes_holidays(world, dispatcher):
    manager = api(world.a.user(Role.MANAGER))

    response = post(manager, reverse("holiday-list"), {"day": "2026-10-01", "name": "国庆节"})
    assert response.status_code == 201, response.json()
    holiday = response.json()
    assert (
        post(manager, reverse("holiday-list"), {"day": "2026-10-01", "name": "x"}).status_code
        == 400
    )
    assert dispatcher.get(reverse("api_sla_policy")).json()["holidays"] == [holiday]
    assert (
        post(dispatcher, reverse("holiday-list"), {"day": "2026-10-02", "name": "x"}).status_code
        == 403
    )

    removed = reverse("holiday-detail", kwargs={"pk": holiday["id"]})
    assert dispatcher.delete(removed).status_code == 403
    assert manager.delete(removed).status_code == 204
    assert dispatcher.get(reverse("holiday-list")).json()["results"] == []


def test_a_holiday_stops_the_office_hours_clock(world, dispatcher, customer):
    post(
        api(world.a.user(Role.MANAGER)),
        reverse("holiday-list"),
        {"day": "2026-11-23", "name": "调休"},
    )
    with time_machine.travel(FRIDAY_FIVE, tick=False):
        response = post(dispatcher, url(), new_complaint(world, customer))
    # Monday is a holiday: the first response falls due on Tuesday morning.
    assert at(deadlines(response.json())["first_response"]["due_at"]) == MONDAY_NINE + timedelta(
        days=1
    )
