"""The complaint pages through the test client: take, desk, every action, log, CSV, policy."""

import csv
import io
import uuid
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agency.audit import Actor
from agency.models import AuditLog, Role
from complaints.models import (
    Complaint,
    ComplaintEvent,
    DeadlineKind,
    EventKind,
    Holiday,
    OfficeHours,
    SlaPolicy,
    Status,
    Tier,
)
from complaints.policy import office_hours_set, sla_policy_update
from complaints.services.deadlines import complaint_pause
from complaints.services.escalation import escalate_due
from complaints.services.handling import complaint_respond
from complaints.services.intake import complaint_take
from orders.models import DoNotSend
from staff.models import Penalty
from tests.factories import (
    BranchFactory,
    ComplaintFactory,
    CustomerFactory,
    HolidayFactory,
    OrderFactory,
    StaffMemberFactory,
)
from tests.uploads import pdf, photo, text_as

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: A Wednesday morning in the agency's time zone.
WEDNESDAY = datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def english(world):
    """Pages in English, so the assertions read the source strings (one test reads Chinese)."""
    world.a.agency.default_language = "en"
    world.a.agency.save()


@pytest.fixture
def around_the_clock(world) -> SlaPolicy:
    """The default deadlines, counted every minute: due times are simple sums in the tests."""
    return SlaPolicy.objects.create(
        agency=world.a.agency, soft_office_hours=False, hard_office_hours=False
    )


@pytest.fixture
def office_client(world, client_for):
    return client_for(world.a.user(Role.DISPATCHER))


@pytest.fixture
def take(world, office, intake, around_the_clock):
    """`take(**intake)`: a complaint taken by agency A's dispatcher (hard unless told)."""

    def _take(**overrides) -> Complaint:
        return complaint_take(agency=world.a.agency, actor=office, intake=intake(**overrides))

    return _take


def at(name: str, complaint: Complaint) -> str:
    return reverse(name, kwargs={"pk": complaint.pk})


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def due(complaint: Complaint, kind: str) -> datetime:
    return complaint.deadlines.get(kind=kind, met_at__isnull=True, cancelled_at__isnull=True).due_at


# --- taking a complaint ------------------------------------------------------------------


def test_a_complaint_taken_through_the_form_with_a_photo(
    world, customer, office_client, around_the_clock
):
    staff = StaffMemberFactory(agency=world.a.agency, name="王阿姨")
    with time_machine.travel(WEDNESDAY, tick=False):
        response = office_client.post(
            reverse("complaint_new"),
            {
                "phone": customer.phone,
                "branch": world.a.branch.pk,
                "submission_key": str(uuid.uuid4()),
                "staff": staff.pk,
                "channel": "phone",
                "category": "damage",
                "tier": "hard",
                "severity": "normal",
                "description": "打碎了客厅的花瓶",
                "desired_outcome": "赔偿",
                "attachments": [photo("vase.png"), pdf("receipt.pdf")],
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    complaint = Complaint.objects.get()
    assert response["Location"] == at("complaint_detail", complaint)
    assert (complaint.customer, complaint.staff, complaint.tier) == (customer, staff, Tier.HARD)
    assert complaint.attachments.count() == 2
    customer.refresh_from_db()
    assert customer.special_attention

    with time_machine.travel(WEDNESDAY + timedelta(minutes=10), tick=False):
        page = office_client.get(response["Location"])
    html = page.content.decode()
    assert customer.masked_phone in html and customer.phone not in html
    assert "打碎了客厅的花瓶" in html and "vase" in html
    # Every deadline side by side, in the agency's time zone (11:00 and 13:00, not UTC).
    deadlines = page.context["deadline_states"]
    assert [s.deadline.kind for s in deadlines] == [
        DeadlineKind.FIRST_RESPONSE,
        DeadlineKind.SECOND_RESPONSE,
    ]
    assert "11:00" in html and "13:00" in html and "03:00" not in html
    assert [s.tone for s in deadlines] == ["running", "running"]


def test_an_attachment_that_is_not_a_photo_or_pdf_is_refused_on_the_form(
    world, customer, office_client, around_the_clock
):
    response = office_client.post(
        reverse("complaint_new"),
        {
            "phone": customer.phone,
            "branch": world.a.branch.pk,
            "submission_key": str(uuid.uuid4()),
            "channel": "phone",
            "category": "attitude",
            "severity": "normal",
            "description": "说话很不客气",
            "attachments": [photo(), text_as("notes.jpg")],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["attachments"]
    assert any("notes.jpg" in error for error in errors)
    assert "说话很不客气" in response.content.decode()  # what was typed is kept
    assert not Complaint.objects.exists()


def test_the_order_number_finds_the_customer_and_the_tier_follows_the_category(
    world, office_client, around_the_clock
):
    order = OrderFactory(agency=world.a.agency)
    response = office_client.post(
        reverse("complaint_new"),
        {
            "order": order.number,
            "branch": world.a.branch.pk,
            "submission_key": str(uuid.uuid4()),
            "channel": "walk_in",
            "category": "attitude",
            "severity": "major",
            "description": "迟到一小时",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    complaint = Complaint.objects.get()
    assert (complaint.customer, complaint.order) == (order.customer, order)
    assert complaint.tier == Tier.SOFT  # none chosen: the category's suggestion
    assert complaint.escalations.filter(level=0).exists()  # major: the department head


def test_the_form_refuses_an_unknown_phone_and_another_agencys_order(world, office_client):
    theirs = OrderFactory(agency=world.b.agency)
    response = office_client.post(
        reverse("complaint_new"),
        {
            "phone": "13999999999",
            "order": theirs.number,
            "branch": world.a.branch.pk,
            "submission_key": str(uuid.uuid4()),
            "channel": "phone",
            "category": "damage",
            "severity": "normal",
            "description": "x",
        },
    )
    form = response.context["form"]
    assert set(form.errors) >= {"phone", "order"}
    assert not Complaint.objects.exists()


def test_the_tier_suggestion_and_the_customer_lookup(world, customer, office_client):
    tier = office_client.get(reverse("complaint_tier"), {"category": "loss"}).content.decode()
    assert 'value="hard" id="id_tier_1" checked' in tier
    assert 'value="soft" id="id_tier_0">' in tier
    order = OrderFactory(agency=world.a.agency, customer=customer, needs_form__customer=customer)
    OrderFactory(agency=world.b.agency)
    lookup = office_client.get(reverse("complaint_customer_lookup"), {"phone": customer.phone})
    html = lookup.content.decode()
    assert "赵敏" in html and customer.masked_phone in html and customer.phone not in html
    assert f'value="{order.number}"' in html
    unknown = office_client.get(reverse("complaint_customer_lookup"), {"phone": "139"}).context
    assert unknown["customer"] is None


# --- the desk --------------------------------------------------------------------------


def test_the_desk_lists_the_nearest_deadline_first_with_every_deadline(
    world, take, office, office_client, customer
):
    with time_machine.travel(WEDNESDAY, tick=False):
        hard = take(category="damage")  # first response 11:00, second 13:00
        soft = take(category="attitude")  # first response 10:15, verified 10:30
        earlier = take(category="damage", received_at=WEDNESDAY - timedelta(minutes=50))  # 10:10
    with time_machine.travel(WEDNESDAY + timedelta(minutes=5), tick=False):
        paused = take(category="attitude")
        complaint_pause(complaint=paused, actor=office, reason="等客户发照片")
    with time_machine.travel(WEDNESDAY + timedelta(minutes=12), tick=False):
        page = office_client.get(reverse("complaint_desk"))
    rows = page.context["rows"]
    assert [row.complaint for row in rows] == [earlier, soft, hard, paused]
    by_complaint = {row.complaint: row for row in rows}
    assert by_complaint[earlier].overdue and not by_complaint[soft].overdue
    assert [s.tone for s in by_complaint[soft].deadlines] == ["soon", "running"]
    assert [s.tone for s in by_complaint[paused].deadlines] == ["paused", "paused"]
    html = page.content.decode()
    assert html.count('class="is-overdue"') == 1
    assert "is-paused" in html
    assert 'hx-trigger="every 30s"' in html
    # Both of the hard complaint's deadlines are on its row, not only the nearest.
    assert html.count(">Second response<") == 2


def test_the_desk_refresh_renders_only_the_rows_and_keeps_the_filters(world, take, office_client):
    other_branch = BranchFactory(agency=world.a.agency)
    with time_machine.travel(WEDNESDAY, tick=False):
        ours = take(category="attitude")
        take(category="damage")
        take(category="attitude", branch=other_branch)
    with time_machine.travel(WEDNESDAY + timedelta(minutes=20), tick=False):
        response = office_client.get(
            reverse("complaint_desk"),
            {"branch": world.a.branch.pk, "tier": "soft"},
            HTTP_HX_REQUEST="true",
        )
    html = response.content.decode()
    assert "<html" not in html and 'id="desk-rows"' in html
    assert [row.complaint for row in response.context["rows"]] == [ours]
    assert f"branch={world.a.branch.pk}" in html  # the next refresh asks for the same rows
    assert "is-overdue" in html  # 10:15 passed: it turned red on the refresh


def test_the_desk_costs_the_same_for_one_complaint_as_for_five(
    world, take, office_client, django_assert_num_queries
):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert office_client.get(reverse("complaint_desk")).status_code == 200
        return len(captured)

    with time_machine.travel(WEDNESDAY, tick=False):
        take(category="attitude")
        office_client.get(reverse("complaint_desk"))  # warm the session
        one = count()
        for category in ("damage", "loss", "manner", "fault"):
            take(category=category, staff=StaffMemberFactory(agency=world.a.agency))
        assert count() == one
        with django_assert_num_queries(11):
            # 1-3 the session, the user, their memberships (middleware)
            # 4 the agency's repeat window
            # 5 the unread notices (the bell)
            # 6 how many open complaints (the paginator)
            # 7 the page of complaints with branch, order, staff, taker, owner, repeat flags
            # 8 their customers, by key
            # 9 all their deadlines
            # 10 the branches the filter offers
            # 11 the page's overdue inspection visits (complaints.remedy_selectors)
            office_client.get(reverse("complaint_desk"))


# --- the complaint page's actions ------------------------------------------------------


def test_a_soft_complaint_handled_to_the_end_through_its_urls(
    world, take, office_client, around_the_clock
):
    around_the_clock.penalty_per_upheld_complaint = Decimal("50.00")
    around_the_clock.save()
    staff = StaffMemberFactory(agency=world.a.agency)
    with time_machine.travel(WEDNESDAY, tick=False):
        complaint = take(category="attitude", staff=staff)
        post = office_client.post
        assert post(at("complaint_respond", complaint), {"text": "已致电道歉"}).status_code == 302
        assert post(at("complaint_note", complaint), {"text": "联系了王阿姨"}).status_code == 302
        assert post(at("complaint_verify", complaint), {"text": "属实"}).status_code == 302
        response = post(
            at("complaint_resolve", complaint),
            {"text": "更换服务人员", "upheld": "yes", "do_not_send": "on"},
            follow=True,
        )
        assert messages_of(response)[-1] == (
            "Complaint resolved; the satisfaction follow-up is due next."
        )
        follow_up = post(
            at("complaint_follow_up", complaint), {"satisfaction": "4", "text": "满意"}
        )
        assert follow_up.status_code == 302
        assert (
            post(
                at("complaint_close", complaint),
                {"text": "结案", "root_cause": "process", "root_cause_note": "流程"},
            ).status_code
            == 302
        )
        assert post(at("complaint_reopen", complaint), {"text": "客户又来电"}).status_code == 302
        assert post(at("complaint_attach", complaint), {"file": photo()}).status_code == 302

    complaint.refresh_from_db()
    assert complaint.status == Status.REOPENED
    assert (complaint.upheld, complaint.satisfaction) == (True, 4)
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.TAKEN,
        EventKind.RESPONSE,
        EventKind.NOTE,
        EventKind.VERIFICATION,
        EventKind.RESOLUTION,
        EventKind.FOLLOW_UP,
        EventKind.CLOSED,
        EventKind.REOPENED,
        EventKind.NOTE,  # the attachment, noted
    ]
    assert Penalty.objects.get(staff=staff).amount == Decimal("50.00")
    assert DoNotSend.objects.filter(customer=complaint.customer, staff=staff).exists()
    assert complaint.attachments.count() == 1
    page = office_client.get(at("complaint_detail", complaint))
    states = page.context["deadline_states"]
    # The first round's deadlines stay on the page, met, beside the new round's.
    assert [s.tone for s in states].count("cancelled") == 0
    assert sum(1 for s in states if s.deadline.kind == DeadlineKind.FIRST_RESPONSE) == 2
    assert page.context["show"]["respond"] and not page.context["show"]["follow_up"]


def test_a_hard_complaint_gets_a_second_response_that_sets_the_resolution_time(
    world, take, office_client
):
    with time_machine.travel(WEDNESDAY, tick=False):
        complaint = take(category="damage")
        office_client.post(at("complaint_respond", complaint), {"text": "已致电"})
        response = office_client.post(
            at("complaint_second_response", complaint),
            {"text": "明天上门赔偿", "resolve_by": "2026-11-19T18:00"},
        )
        assert response.status_code == 302
    resolution = complaint.deadlines.get(kind=DeadlineKind.RESOLUTION)
    assert resolution.due_at == datetime(2026, 11, 19, 18, 0, tzinfo=SHANGHAI)  # agency time
    with time_machine.travel(WEDNESDAY + timedelta(hours=1), tick=False):
        page = office_client.get(at("complaint_detail", complaint))
        tones = {s.deadline.kind: s.tone for s in page.context["deadline_states"]}
        assert tones == {
            DeadlineKind.FIRST_RESPONSE: "met",
            DeadlineKind.SECOND_RESPONSE: "met",
            DeadlineKind.RESOLUTION: "running",
        }
        assert (
            office_client.post(at("complaint_resolve", complaint), {"text": "已赔偿"}).status_code
            == 302
        )
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED
    assert complaint.deadlines.get(kind=DeadlineKind.RESOLUTION).met_at is not None


def test_a_refused_action_is_a_message_and_writes_nothing(world, take, office_client):
    complaint = take(category="attitude")
    audits = AuditLog.objects.count()
    response = office_client.post(
        at("complaint_resolve", complaint), {"text": "已处理"}, follow=True
    )
    assert response.redirect_chain == [(at("complaint_detail", complaint), 302)]
    assert messages_of(response) == ["Respond to the customer before resolving."]
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN
    assert not complaint.events.filter(kind=EventKind.RESOLUTION).exists()
    assert AuditLog.objects.count() == audits

    # Verifying a hard complaint is refused the same way.
    hard = take(category="damage")
    complaint_respond(complaint=hard, actor=Actor(user=world.a.user(Role.DISPATCHER)), text="好")
    refused = office_client.post(at("complaint_verify", hard), {"text": "x"}, follow=True)
    assert "Only a soft complaint is verified" in messages_of(refused)[0]


def test_a_rejected_form_shows_its_errors_on_the_complaint_page(world, take, office_client):
    complaint = take(category="damage")
    office_client.post(at("complaint_respond", complaint), {"text": "已致电"})
    response = office_client.post(
        at("complaint_second_response", complaint),
        {"text": "下周处理", "resolve_by": "2020-01-01T09:00"},
    )
    assert response.status_code == 400
    assert "resolve_by" in response.context["second_response_form"].errors
    assert "下周处理" in response.content.decode()
    empty = office_client.post(at("complaint_note", complaint), {"text": " "})
    assert empty.status_code == 400 and "text" in empty.context["note_form"].errors
    bad_file = office_client.post(at("complaint_attach", complaint), {"file": text_as("x.png")})
    assert bad_file.status_code == 400 and "file" in bad_file.context["attach_form"].errors
    score = office_client.post(at("complaint_follow_up", complaint), {"satisfaction": "9"})
    assert score.status_code == 400
    assert complaint.events.count() == 2  # taken, the response


def test_pause_and_resume_move_the_due_time(world, take, office_client):
    with time_machine.travel(WEDNESDAY, tick=False):
        complaint = take(category="attitude")  # first response due 10:15
    with time_machine.travel(WEDNESDAY + timedelta(minutes=5), tick=False):
        response = office_client.post(
            at("complaint_pause", complaint), {"reason": "等客户回电"}, follow=True
        )
        assert messages_of(response) == ["The clock is paused."]
        assert "等客户回电" in response.content.decode()
        assert {s.tone for s in response.context["deadline_states"]} == {"paused"}
        again = office_client.post(at("complaint_pause", complaint), {"reason": "x"}, follow=True)
        assert messages_of(again) == ["The clock is paused already."]
    with time_machine.travel(WEDNESDAY + timedelta(hours=2), tick=False):
        assert escalate_due() == 0  # nothing escalates while paused
        assert office_client.post(at("complaint_resume", complaint)).status_code == 302
    # 10 minutes were left at the pause: due 10 minutes after the resume at 12:00.
    assert due(complaint, DeadlineKind.FIRST_RESPONSE) == datetime(
        2026, 11, 18, 12, 10, tzinfo=SHANGHAI
    )
    assert due(complaint, DeadlineKind.VERIFICATION) == datetime(
        2026, 11, 18, 12, 25, tzinfo=SHANGHAI
    )
    complaint.refresh_from_db()
    assert complaint.paused_at is None
    refused = office_client.post(at("complaint_resume", complaint), follow=True)
    assert messages_of(refused)[-1] == "The clock is not paused."


def test_another_agencys_complaint_is_not_found(world, office_client):
    theirs = ComplaintFactory(agency=world.b.agency)
    assert office_client.get(at("complaint_detail", theirs)).status_code == 404
    assert office_client.post(at("complaint_respond", theirs), {"text": "x"}).status_code == 404
    assert not ComplaintEvent.objects.exists()


def test_field_staff_and_finance_cannot_open_the_desk(world, client_for):
    for role in (Role.STAFF, Role.FINANCE):
        assert client_for(world.a.user(role)).get(reverse("complaint_desk")).status_code == 403


# --- the log and its CSV ------------------------------------------------------------------


@pytest.fixture
def logged(world, take, office):
    """Three complaints over two days: soft (breached, responded late), hard, soft in branch 2."""
    staff = StaffMemberFactory(agency=world.a.agency, name="李师傅")
    second = BranchFactory(agency=world.a.agency, name="朝阳店")
    with time_machine.travel(WEDNESDAY, tick=False):
        soft = take(category="attitude", staff=staff)
    with time_machine.travel(WEDNESDAY + timedelta(minutes=20), tick=False):
        complaint_respond(complaint=soft, actor=office, text="已道歉")
    with time_machine.travel(WEDNESDAY + timedelta(days=1), tick=False):
        hard = take(category="damage", description='=HYPERLINK("x")')
        other = take(
            category="manner",
            branch=second,
            customer=CustomerFactory(agency=world.a.agency, name="钱多多"),
        )
    return {"soft": soft, "hard": hard, "other": other, "staff": staff, "branch": second}


def test_the_log_filters_by_period_branch_tier_staff_and_status(world, logged, office_client):
    def numbers(**params) -> list[str]:
        response = office_client.get(reverse("complaint_log"), params)
        assert response.status_code == 200
        return sorted(row.complaint.number for row in response.context["rows"])

    soft, hard, other = logged["soft"], logged["hard"], logged["other"]
    assert numbers() == sorted([soft.number, hard.number, other.number])
    assert numbers(received_after="2026-11-19") == sorted([hard.number, other.number])
    assert numbers(received_before="2026-11-18") == [soft.number]
    assert numbers(branch=logged["branch"].pk) == [other.number]
    assert numbers(tier="hard") == [hard.number]
    assert numbers(staff=logged["staff"].pk) == [soft.number]
    assert numbers(status="responding") == [soft.number]
    page = office_client.get(reverse("complaint_log"), {"tier": "soft"}).content.decode()
    assert "badge-danger" in page  # the breached first response is marked
    assert "log.csv?tier=soft" in page  # the CSV link keeps the filters


def test_the_csv_opens_in_excel_with_chinese_and_every_deadline(world, logged, office_client):
    response = office_client.get(reverse("complaint_log_csv"), {"received_before": "2026-11-30"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="complaints-')
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    by_number = {row["Number"]: row for row in rows}
    assert len(rows) == 3
    soft = by_number[logged["soft"].number]
    assert soft["Customer"] == "赵敏"
    assert soft["Phone"] == logged["soft"].customer.masked_phone
    assert soft["Staff concerned"] == "李师傅"
    assert soft["First response due"] == "2026-11-18 10:15"  # the agency's time, not UTC
    assert soft["First response met"] == "2026-11-18 10:20"
    assert soft["First response breached"] == "2026-11-18 10:15"
    assert soft["Verification due"] == "2026-11-18 10:30"
    assert soft["Second response due"] == ""
    assert "Complaint taken" in soft["Timeline"] and "Response to the customer" in soft["Timeline"]
    hard = by_number[logged["hard"].number]
    assert hard["Second response due"] == "2026-11-19 13:00"
    assert hard["What happened"].startswith("'=")  # not a formula in Excel
    assert by_number[logged["other"].number]["Customer"] == "钱多多"


def test_the_csv_follows_the_log_filters(world, logged, office_client):
    response = office_client.get(reverse("complaint_log_csv"), {"tier": "hard"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [logged["hard"].number]


# --- the policy page --------------------------------------------------------------------


POLICY_POST = {
    "soft_first_response": "20",
    "soft_verification": "45",
    "soft_office_hours": "on",
    "hard_first_response": "60",
    "hard_second_response": "180",
    "follow_up_after_resolution": "24",
    "manager_after_breach": "30",
    "penalty_per_upheld_complaint": "100.00",
    "repeat_window_days": "60",
}


def test_a_manager_edits_the_policy_and_a_dispatcher_cannot(world, client_for):
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    assert dispatcher.get(reverse("sla_policy")).status_code == 403
    assert dispatcher.post(reverse("sla_policy"), POLICY_POST).status_code == 403
    manager = client_for(world.a.user(Role.MANAGER))
    page = manager.get(reverse("sla_policy"))
    assert page.status_code == 200
    assert page.context["policy_form"]["soft_first_response"].value() == 15  # minutes
    response = manager.post(reverse("sla_policy"), POLICY_POST)
    assert response.status_code == 302
    policy = SlaPolicy.objects.get(agency=world.a.agency)
    assert policy.soft_first_response == timedelta(minutes=20)
    assert policy.follow_up_after_resolution == timedelta(hours=24)
    assert policy.hard_office_hours is False
    assert policy.penalty_per_upheld_complaint == Decimal("100.00")
    entry = AuditLog.objects.get(action="sla_policy.update")
    assert set(entry.changes) == {
        "soft_first_response",
        "soft_verification",
        "hard_office_hours",
        "manager_after_breach",
        "penalty_per_upheld_complaint",
        "repeat_window_days",
    }
    refused = manager.post(reverse("sla_policy"), {**POLICY_POST, "soft_verification": "0"})
    assert refused.status_code == 400
    assert "soft_verification" in refused.context["policy_form"].errors


def test_the_policy_services_check_the_role_themselves(world):
    dispatcher = Actor(user=world.a.user(Role.DISPATCHER))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        sla_policy_update(
            agency=world.a.agency, actor=dispatcher, soft_first_response=timedelta(hours=9)
        )
    with pytest.raises(PermissionDenied):
        office_hours_set(agency=world.a.agency, actor=dispatcher, rows=[])


def _hours_post(rows: list[tuple[int, str, str]]) -> dict[str, str]:
    data = {"hours-TOTAL_FORMS": str(len(rows)), "hours-INITIAL_FORMS": "0"}
    for index, (weekday, opens, closes) in enumerate(rows):
        data |= {
            f"hours-{index}-weekday": str(weekday),
            f"hours-{index}-opens": opens,
            f"hours-{index}-closes": closes,
        }
    return data


def test_a_manager_replaces_the_office_hours(world, client_for):
    manager = client_for(world.a.user(Role.MANAGER))
    page = manager.get(reverse("sla_policy"))  # the defaults: Monday to Friday 08:30–17:30
    assert len(page.context["hours_formset"].forms) == 5 + 3
    response = manager.post(
        reverse("sla_office_hours"),
        _hours_post(
            [(0, "09:00", "12:00"), (0, "13:00", "18:00"), (5, "10:00", "16:00"), (2, "", "")]
        ),
    )
    assert response.status_code == 302
    rows = list(
        OfficeHours.objects.filter(agency=world.a.agency).values_list("weekday", "opens", "closes")
    )
    assert rows == [
        (0, time(9), time(12)),
        (0, time(13), time(18)),
        (5, time(10), time(16)),
    ]
    assert AuditLog.objects.filter(action="sla_policy.office_hours").count() == 1

    overlap = manager.post(
        reverse("sla_office_hours"), _hours_post([(0, "09:00", "12:00"), (0, "11:00", "18:00")])
    )
    assert overlap.status_code == 400
    assert any("overlaps" in message for message in overlap.context["hours_errors"])
    empty = manager.post(reverse("sla_office_hours"), _hours_post([(1, "", "")]))
    assert empty.status_code == 400 and empty.context["hours_errors"]
    assert OfficeHours.objects.filter(agency=world.a.agency).count() == 3
    assert (
        client_for(world.a.user(Role.SUPERVISOR))
        .post(reverse("sla_office_hours"), _hours_post([(0, "09:00", "12:00")]))
        .status_code
        == 403
    )


def test_a_holiday_stops_office_hour_clocks_and_can_be_removed(world, client_for, intake, office):
    manager = client_for(world.a.user(Role.MANAGER))
    response = manager.post(
        reverse("sla_holiday_add"), {"day": "2026-11-19", "name": "店庆"}, follow=True
    )
    assert response.status_code == 200
    holiday = Holiday.objects.get(agency=world.a.agency)
    assert "店庆" in response.content.decode()
    duplicate = manager.post(reverse("sla_holiday_add"), {"day": "2026-11-19", "name": "又一次"})
    assert duplicate.status_code == 400 and "day" in duplicate.context["holiday_form"].errors

    # Wednesday 17:00 with office hours: one hour to answer, Thursday closed → Friday 09:00.
    with time_machine.travel(datetime(2026, 11, 18, 17, 0, tzinfo=SHANGHAI), tick=False):
        complaint = complaint_take(
            agency=world.a.agency, actor=office, intake=intake(category="damage")
        )
    assert due(complaint, DeadlineKind.FIRST_RESPONSE) == datetime(
        2026, 11, 20, 9, 0, tzinfo=SHANGHAI
    )

    theirs = HolidayFactory(agency=world.b.agency)
    assert manager.post(reverse("sla_holiday_remove", kwargs={"pk": theirs.pk})).status_code == 404
    assert manager.post(reverse("sla_holiday_remove", kwargs={"pk": holiday.pk})).status_code == 302
    assert not Holiday.objects.filter(agency=world.a.agency).exists()
    assert Holiday.objects.filter(pk=theirs.pk).exists()
    assert AuditLog.objects.filter(action__startswith="sla_policy.holiday").count() == 2


def test_the_desk_shows_a_policy_link_to_managers_only(world, client_for):
    manager = client_for(world.a.user(Role.MANAGER)).get(reverse("complaint_desk"))
    assert reverse("sla_policy") in manager.content.decode()
    dispatcher = client_for(world.a.user(Role.DISPATCHER)).get(reverse("complaint_desk"))
    assert reverse("sla_policy") not in dispatcher.content.decode()


def test_the_navigation_leads_to_the_desk(world, client_for):
    page = client_for(world.a.user(Role.SUPERVISOR)).get(reverse("complaint_desk"))
    assert f'href="{reverse("complaint_desk")}" aria-current="page"' in page.content.decode()


@pytest.mark.parametrize("name", ["complaint_log", "complaint_new", "complaint_desk"])
def test_the_pages_say_what_to_do_when_empty(world, client_for, name):
    response = client_for(world.a.user(Role.DISPATCHER)).get(reverse(name))
    assert response.status_code == 200


def test_the_complaint_page_in_chinese(world, take, office_client):
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save()
    complaint = take(category="damage")
    page = office_client.get(at("complaint_detail", complaint))
    assert page.status_code == 200
    assert page["Content-Language"] == "zh-hans"
    assert "打碎了一个花瓶" in page.content.decode()


def test_the_log_costs_the_same_however_many_complaints(world, logged, take, office_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert office_client.get(reverse("complaint_log")).status_code == 200
        return len(captured)

    office_client.get(reverse("complaint_log"))  # warm the session
    before = count()
    for category in ("loss", "fault", "environment"):
        take(category=category, staff=StaffMemberFactory(agency=world.a.agency))
    assert count() == before


def test_the_deadlines_refresh_alone_on_the_complaint_page(world, take, office_client):
    with time_machine.travel(WEDNESDAY, tick=False):
        complaint = take(category="attitude")
    with time_machine.travel(WEDNESDAY + timedelta(minutes=16), tick=False):
        response = office_client.get(at("complaint_detail", complaint), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'id="complaint-deadlines"' in html
    # Django's timesince joins number and unit with a no-break space.
    assert "overdue by 1\xa0minute" in html and "14\xa0minutes left" in html


def test_the_services_refusal_lands_next_to_its_field(world, customer, office_client):
    with time_machine.travel(WEDNESDAY, tick=False):
        response = office_client.post(
            reverse("complaint_new"),
            {
                "phone": customer.phone,
                "branch": world.a.branch.pk,
                "submission_key": str(uuid.uuid4()),
                "channel": "phone",
                "category": "damage",
                "severity": "normal",
                "description": "漏水",
                "received_at": "2026-11-18T12:00",  # two hours from now
            },
        )
    assert response.status_code == 200
    assert response.context["form"].errors["received_at"] == [
        "A complaint cannot be received in the future."
    ]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_holiday_in_a_far_off_year_shows_the_form_error(world, client_for, day):
    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=UTC), tick=False):
        response = client_for(world.a.user(Role.MANAGER)).post(
            reverse("sla_holiday_add"), {"day": day, "name": "店庆"}
        )
    assert response.status_code == 400
    assert response.context["holiday_form"].errors["day"] == [
        "Enter a date between Jan. 1, 2000 and Nov. 23, 2036."
    ]
    assert not Holiday.objects.exists()


def test_a_megabyte_of_description_shows_the_form_error_and_keeps_nothing(
    world, customer, office_client, around_the_clock
):
    response = office_client.post(
        reverse("complaint_new"),
        {
            "phone": customer.phone,
            "branch": world.a.branch.pk,
            "channel": "phone",
            "category": "attitude",
            "severity": "normal",
            "description": "x" * 1_000_000,
        },
    )
    assert response.status_code == 200
    assert "5000" in response.context["form"].errors["description"][0]
    assert not Complaint.objects.exists()
