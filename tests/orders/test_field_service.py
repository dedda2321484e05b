"""The field staff's phone pages: the service log, stage 1, rework, changes, the customer's turn.

Everything goes through the test client, the way a phone posts it; the
services underneath are tested in test_acceptance.py.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from agency.audit import Actor
from agency.errors import StateConflict
from agency.models import Role
from orders.models import (
    AcceptanceRound,
    ChangeRequest,
    ChangeStatus,
    EntryKind,
    FailedItem,
    Order,
    OrderStatus,
    RoundOutcome,
    ServiceLogEntry,
    SignedVia,
    Signoff,
    Stage,
)
from orders.service.services.acceptance import acceptance_sign_lead, acceptance_sign_supervisor
from orders.service.services.service_log import (
    log_check_in,
    log_check_out,
    log_correction,
    log_note,
    log_preparation,
    log_task,
)
from tests.conftest import login
from tests.factories import ServiceTypeFactory
from tests.uploads import photo, text_as


@pytest.fixture(autouse=True)
def _pages_in_english(world):
    """These tests read the pages' English messages; the agency's default would be Chinese."""
    world.a.agency.default_language = "en"
    world.a.agency.save(update_fields=["default_language"])


@pytest.fixture
def phone(db):
    """`phone(user)`: a client of its own, logged in (two people on one job at once)."""

    def _phone(user) -> Client:
        return login(Client(), user)

    return _phone


def at(name, assignment):
    return reverse(name, kwargs={"pk": assignment.pk})


def lands_on_job(response, assignment):
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].split("#")[0] == reverse("my_job", kwargs={"pk": assignment.pk})


def refused_on(response, client, page, text):
    """A refusal goes back to the page (not left on the action's address) with its reason."""
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == page
    assert text in client.get(page).content.decode()


def entries(job, **filters):
    return ServiceLogEntry.objects.filter(order=job.order, **filters)


def test_the_whole_staff_flow_from_preparation_to_the_second_round(team_job, phone):
    job = team_job
    lead, member = phone(job.lead.staff.user), phone(job.member.staff.user)

    # Check-in waits for the preparation: told on the page, nothing written.
    refused = lead.post(at("my_job_check_in", job.lead))
    assert refused.status_code == 400
    assert "Tick the preparation first" in refused.content.decode()
    assert not entries(job).exists()

    page = lead.get(at("my_job", job.lead)).content.decode()
    assert 'id="preparation"' in page
    for line in job.order.service_type.preparation_checklist:
        lands_on_job(lead.post(at("my_job_prepare", job.lead), {"item": line}), job.lead)
    assert lead.post(at("my_job_prepare", job.lead), {"item": "电钻"}).status_code == 400

    # The lead's phone offers its position; the member's does not.
    lands_on_job(
        lead.post(
            at("my_job_check_in", job.lead),
            {"latitude": "39.90871234", "longitude": "116.3974", "accuracy": "12.4"},
        ),
        job.lead,
    )
    arrived = entries(job, kind=EntryKind.CHECK_IN).get(assignment=job.lead)
    assert (arrived.latitude, arrived.longitude, arrived.accuracy_m) == (
        Decimal("39.908712"),
        Decimal("116.397400"),
        12,
    )
    assert job.reload().status == OrderStatus.IN_SERVICE
    lands_on_job(member.post(at("my_job_check_in", job.member)), job.member)
    assert entries(job, kind=EntryKind.CHECK_IN).get(assignment=job.member).latitude is None

    for task in job.order.needs_form.checklist:
        lands_on_job(member.post(at("my_job_task", job.member), {"item": task}), job.member)

    # A note with a photo; a text file renamed .jpg is refused on the form.
    lands_on_job(
        lead.post(at("my_job_note", job.lead), {"text": "厨房完工", "photo": photo("kitchen.png")}),
        job.lead,
    )
    assert entries(job, kind=EntryKind.PHOTO).get().text == "厨房完工"
    fake = lead.post(at("my_job_note", job.lead), {"text": "卫生间", "photo": text_as("wc.jpg")})
    assert fake.status_code == 400
    assert "this file is not an image" in fake.content.decode()
    assert entries(job, kind=EntryKind.PHOTO).count() == 1

    # Corrections: a note corrected, another withdrawn; someone else's entry is not offered.
    lands_on_job(lead.post(at("my_job_note", job.lead), {"text": "地毯有污渍"}), job.lead)
    lands_on_job(lead.post(at("my_job_note", job.lead), {"text": "写错了"}), job.lead)
    stain, wrong = entries(job, kind=EntryKind.NOTE).order_by("id")
    lands_on_job(
        lead.post(at("my_job_correct", job.lead), {"entry": stain.pk, "text": "地毯有旧污渍"}),
        job.lead,
    )
    lands_on_job(
        lead.post(at("my_job_correct", job.lead), {"entry": wrong.pk, "withdraw": "on"}),
        job.lead,
    )
    members_task = entries(job, kind=EntryKind.TASK).first()
    assert (
        lead.post(
            at("my_job_correct", job.lead), {"entry": members_task.pk, "text": "x"}
        ).status_code
        == 400
    )
    page = lead.get(at("my_job", job.lead)).content.decode()
    assert "地毯有旧污渍" in page
    assert ">corrected<" in page
    assert ">withdrawn<" in page

    # Check-out: the member's leaves the order in service, the lead's opens round 1.
    lands_on_job(member.post(at("my_job_check_out", job.member)), job.member)
    assert job.reload().status == OrderStatus.IN_SERVICE
    lands_on_job(lead.post(at("my_job_check_out", job.lead)), job.lead)
    assert job.reload().status == OrderStatus.INSPECTION
    assert AcceptanceRound.objects.get(order=job.order).next_stage == Stage.LEAD
    # Stage 1 waits for the lead: on top of their list, not the member's.
    assert [a.pk for a in lead.get(reverse("my_jobs")).context["needs_you"]] == [job.lead.pk]
    assert member.get(reverse("my_jobs")).context["needs_you"] == []

    lands_on_job(lead.post(at("my_job_inspect", job.lead), {"item": "厨房", "ok": "1"}), job.lead)
    wrong_line = lead.post(at("my_job_inspect", job.lead), {"item": "卫生间", "ok": "0"})
    assert wrong_line.status_code == 400
    assert "Say what is wrong" in wrong_line.content.decode()
    lands_on_job(
        lead.post(
            at("my_job_inspect", job.lead), {"item": "卫生间", "ok": "0", "text": "镜子有水渍"}
        ),
        job.lead,
    )
    assert entries(job, kind=EntryKind.INSPECTION).count() == 2

    # Stage 1 is the lead's: the member is refused with the reason.
    not_yours = member.post(at("my_job_sign", job.member), {"verdict": "pass"})
    refused_on(not_yours, member, at("my_job", job.member), "signed by the on-site lead")
    ticked_but_passed = lead.post(at("my_job_sign", job.lead), {"verdict": "pass", "fail_1": "on"})
    assert ticked_but_passed.status_code == 400
    lead_id, member_id = job.lead.staff_id, job.member.staff_id
    lands_on_job(
        lead.post(
            at("my_job_sign", job.lead),
            {
                "verdict": "fail",
                "fail_1": "on",  # 卫生间, the second task of the checklist
                "responsible_0": lead_id,
                "responsible_1": member_id,
                "responsible_2": lead_id,
                "other": "窗台有灰",
                "other_responsible": lead_id,
            },
        ),
        job.lead,
    )
    assert job.reload().status == OrderStatus.REWORK
    items = list(FailedItem.objects.filter(order=job.order).order_by("id"))
    assert [(i.description, i.responsible_id) for i in items] == [
        ("卫生间", member_id),
        ("窗台有灰", lead_id),
    ]

    # Both have something to redo: "needs you", whatever the date.
    assert [a.pk for a in member.get(reverse("my_jobs")).context["needs_you"]] == [job.member.pk]
    assert [a.pk for a in lead.get(reverse("my_jobs")).context["needs_you"]] == [job.lead.pk]

    too_early = lead.post(at("my_job_rework_submit", job.lead))
    assert too_early.status_code == 400
    assert "Still to redo" in too_early.content.decode()
    # The member redoes their own item, not the lead's.
    refused_on(
        member.post(at("my_job_rework", job.member), {"item": items[1].pk}),
        member,
        at("my_job", job.member),
        "",
    )
    lands_on_job(
        member.post(at("my_job_rework", job.member), {"item": items[0].pk, "text": "重新清洁"}),
        job.member,
    )
    lands_on_job(lead.post(at("my_job_rework", job.lead), {"item": items[1].pk}), job.lead)
    assert entries(job, kind=EntryKind.REWORK).count() == 2
    # A member does not ask for the next round.
    refused_on(
        member.post(at("my_job_rework_submit", job.member)), member, at("my_job", job.member), ""
    )
    lands_on_job(lead.post(at("my_job_rework_submit", job.lead)), job.lead)
    assert job.reload().status == OrderStatus.INSPECTION
    second = AcceptanceRound.objects.get(order=job.order, outcome=RoundOutcome.OPEN)
    assert (second.number, second.next_stage) == (2, Stage.LEAD)
    assert (
        'action="{}"'.format(at("my_job_sign", job.lead))
        in lead.get(at("my_job", job.lead)).content.decode()
    )


def serve(job):
    """Through the services: prepared, checked in, tasks done, checked out (round 1 open)."""
    for line in job.order.service_type.preparation_checklist:
        log_preparation(assignment=job.lead, actor=job.lead_actor, item=line)
    log_check_in(assignment=job.lead, actor=job.lead_actor)
    for task in job.order.needs_form.checklist:
        log_task(assignment=job.lead, actor=job.lead_actor, item=task)
    log_note(assignment=job.lead, actor=job.lead_actor, text="客厅", photo=photo("room.png"))
    log_check_out(assignment=job.lead, actor=job.lead_actor)


def supervisors_pass(world, job):
    for stage, role in (
        (Stage.TEAM_SUPERVISOR, Role.SUPERVISOR),
        (Stage.OFFICE_SUPERVISOR, Role.MANAGER),
    ):
        acceptance_sign_supervisor(
            order=job.order, stage=stage, actor=Actor(user=world.a.user(role)), passed=True
        )


def test_the_customer_accepts_on_the_staff_phone_with_a_score(world, team_job, phone):
    job = team_job
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    lead = phone(job.lead.staff.user)
    customer_page = at("my_job_customer", job.lead)
    # Until the supervisors have signed, there is nothing for the customer to sign.
    assert "verdict_form" not in lead.get(customer_page).context
    for stage, role in (
        (Stage.TEAM_SUPERVISOR, Role.SUPERVISOR),
        (Stage.OFFICE_SUPERVISOR, Role.MANAGER),
    ):
        acceptance_sign_supervisor(
            order=job.order, stage=stage, actor=Actor(user=world.a.user(role)), passed=True
        )

    page = lead.get(customer_page)
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["can_accept"] is True
    assert len(page.context["photos"]) == 1
    assert "客厅" in html
    # Read by whoever holds the phone: no full address, no phone number.
    assert job.order.needs_form.address.detail not in html
    assert job.order.customer.phone not in html
    assert 'id="sidebar"' not in html  # nor the staff's menu to their other jobs

    unscored = lead.post(
        customer_page, {"form": "acceptance", "verdict": "pass", "signed_name": "王芳"}
    )
    assert unscored.status_code == 400
    assert not Signoff.objects.filter(round__order=job.order, stage=Stage.CUSTOMER).exists()

    signed = lead.post(
        customer_page,
        {
            "form": "acceptance",
            "verdict": "pass",
            "score": "4",
            "comment": "很满意",
            "signed_name": "王芳",
        },
        HTTP_USER_AGENT="PhoneBrowser/1.0",
    )
    assert signed.status_code == 302
    assert signed["Location"] == customer_page
    assert job.reload().status == OrderStatus.ACCEPTED
    final = Signoff.objects.get(round__order=job.order, stage=Stage.CUSTOMER)
    assert (final.passed, final.score, final.comment, final.signer) == (True, 4, "很满意", None)
    assert final.signature.via == SignedVia.DEVICE
    assert final.signature.collected_by == job.lead.staff.user
    assert final.signature.user_agent == "PhoneBrowser/1.0"
    thanks = lead.get(customer_page)
    assert "the service is accepted" in thanks.content.decode()
    assert "verdict_form" not in thanks.context

    # Signed once: a second go (a double tap) is refused with the reason, not a 500.
    again = lead.post(
        customer_page,
        {"form": "acceptance", "verdict": "pass", "score": "5", "signed_name": "王芳"},
    )
    refused_on(again, lead, customer_page, "")
    assert Signoff.objects.filter(round__order=job.order, stage=Stage.CUSTOMER).count() == 1


def test_the_customer_fails_the_service_on_the_phone_and_it_goes_to_rework(world, team_job, phone):
    job = team_job
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    for stage, role in (
        (Stage.TEAM_SUPERVISOR, Role.SUPERVISOR),
        (Stage.OFFICE_SUPERVISOR, Role.MANAGER),
    ):
        acceptance_sign_supervisor(
            order=job.order, stage=stage, actor=Actor(user=world.a.user(role)), passed=True
        )
    member = phone(job.member.staff.user)
    response = member.post(
        at("my_job_customer", job.member),
        {
            "form": "acceptance",
            "verdict": "fail",
            "failed_checklist": ["客厅"],
            "score": "2",
            "signed_name": "王芳",
        },
    )
    assert response.status_code == 302
    assert job.reload().status == OrderStatus.REWORK
    item = FailedItem.objects.get(order=job.order)
    assert (item.description, item.responsible_id) == ("客厅", job.lead.staff_id)


def test_a_change_is_requested_and_approved_on_the_phone(world, team_job, phone):
    job = team_job
    lead = phone(job.lead.staff.user)

    blank = lead.post(at("my_job_change", job.lead), {"description": "", "quantity": "1"})
    assert blank.status_code == 400
    elsewhere = ServiceTypeFactory(agency=world.b.agency)
    foreign = lead.post(
        at("my_job_change", job.lead),
        {"description": "加擦窗户", "quantity": "1", "service_type": elsewhere.pk},
    )
    assert foreign.status_code == 400
    assert not ChangeRequest.objects.exists()

    lands_on_job(
        lead.post(
            at("my_job_change", job.lead),
            {"description": "加擦窗户", "quantity": "2", "service_type": ""},
        ),
        job.lead,
    )
    lands_on_job(
        lead.post(
            at("my_job_change", job.lead),
            {"description": "不用打扫阳台", "quantity": "-0.5", "service_type": ""},
        ),
        job.lead,
    )
    windows, balcony = ChangeRequest.objects.filter(order=job.order).order_by("id")
    assert (windows.amount, windows.status) == (Decimal("100.00"), ChangeStatus.AWAITING_CUSTOMER)
    page = lead.get(at("my_job", job.lead))
    assert [c.pk for c in page.context["sheet"].pending_changes] == [windows.pk, balcony.pk]
    assert "Hand the phone to the customer" in page.content.decode()

    customer_page = at("my_job_customer", job.lead)
    assert "加擦窗户" in lead.get(customer_page).content.decode()
    unsigned = lead.post(
        customer_page, {"form": "change", "change": windows.pk, "decision": "approve"}
    )
    assert unsigned.status_code == 400
    assert "Type your full name" in unsigned.content.decode()
    approved = lead.post(
        customer_page,
        {"form": "change", "change": windows.pk, "decision": "approve", "signed_name": "王芳"},
    )
    assert approved.status_code == 302
    declined = lead.post(
        customer_page,
        {"form": "change", "change": balcony.pk, "decision": "decline", "reason": "还是要打扫"},
    )
    assert declined.status_code == 302
    windows.refresh_from_db()
    balcony.refresh_from_db()
    assert (windows.status, windows.signature.via, windows.signature.signed_name) == (
        ChangeStatus.APPROVED,
        SignedVia.DEVICE,
        "王芳",
    )
    assert (balcony.status, balcony.decision_note) == (ChangeStatus.DECLINED, "还是要打扫")
    shown = lead.get(customer_page)
    assert [c.pk for c in shown.context["approved_changes"]] == [windows.pk]
    # Answered once: answering again is refused with the reason.
    again = lead.post(
        customer_page,
        {"form": "change", "change": windows.pk, "decision": "decline"},
    )
    refused_on(again, lead, customer_page, "answered already")


def test_a_refused_action_says_why_and_writes_nothing(team_job, phone):
    job = team_job
    lead = phone(job.lead.staff.user)
    page = at("my_job", job.lead)
    refused_on(lead.post(at("my_job_check_out", job.lead)), lead, page, "Check in first.")
    refused_on(lead.post(at("my_job_note", job.lead), {"text": "早到了"}), lead, page, "")
    assert not entries(job).exists()


def test_a_member_still_checks_out_after_the_lead_has(team_job, phone):
    job = team_job
    for line in job.order.service_type.preparation_checklist:
        log_preparation(assignment=job.lead, actor=job.lead_actor, item=line)
    log_check_in(assignment=job.lead, actor=job.lead_actor)
    log_check_in(assignment=job.member, actor=job.member_actor)
    log_check_out(assignment=job.lead, actor=job.lead_actor)
    member = phone(job.member.staff.user)
    page = member.get(at("my_job", job.member))
    assert page.context["sheet"].can_check_out
    assert not page.context["sheet"].can_sign
    lands_on_job(member.post(at("my_job_check_out", job.member)), job.member)
    assert entries(job, kind=EntryKind.CHECK_OUT).count() == 2
    assert job.reload().status == OrderStatus.INSPECTION


ACTIONS = [
    "my_job_prepare",
    "my_job_check_in",
    "my_job_task",
    "my_job_note",
    "my_job_correct",
    "my_job_check_out",
    "my_job_inspect",
    "my_job_sign",
    "my_job_change",
    "my_job_customer",
    "my_job_rework",
    "my_job_rework_submit",
]


@pytest.mark.parametrize("name", ACTIONS)
def test_another_staff_members_job_answers_404(name, team_job, phone):
    job = team_job
    member = phone(job.member.staff.user)
    # The member is on the same order, but the lead's assignment is not theirs.
    assert member.post(at(name, job.lead), {"item": "吸尘器", "text": "x"}).status_code == 404
    assert member.get(at("my_job_customer", job.lead)).status_code == 404
    assert not entries(job).exists()
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize("name", ["my_job_check_in", "my_job_customer", "my_job_change"])
def test_office_users_do_not_use_the_field_pages(name, world, team_job, client_for):
    job = team_job.lead
    office = client_for(world.a.user(Role.DISPATCHER))
    assert office.get(at("my_job", job)).status_code == 403
    assert office.post(at(name, job), {"description": "x", "quantity": "1"}).status_code == 403
    assert not ServiceLogEntry.objects.exists()
    assert not ChangeRequest.objects.exists()


def test_the_job_page_costs_the_same_however_long_the_log(
    team_job, phone, django_assert_num_queries
):
    job = team_job
    for line in job.order.service_type.preparation_checklist:
        log_preparation(assignment=job.lead, actor=job.lead_actor, item=line)
    log_check_in(assignment=job.lead, actor=job.lead_actor)
    lead = phone(job.lead.staff.user)
    url = at("my_job", job.lead)

    lead.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as short:
        assert lead.get(url).status_code == 200

    log_check_in(assignment=job.member, actor=job.member_actor)
    for n in range(8):
        log_note(assignment=job.lead, actor=job.lead_actor, text=f"第{n}条", photo=photo())
        log_note(assignment=job.member, actor=job.member_actor, text=f"成员{n}")
    for task in job.order.needs_form.checklist:
        log_task(assignment=job.member, actor=job.member_actor, item=task)
    first, second = entries(job, kind=EntryKind.NOTE, assignment=job.member)[:2]
    log_correction(entry=first, actor=job.member_actor, text="改正")
    log_correction(entry=second, actor=job.member_actor, withdraw=True)
    with CaptureQueriesContext(connection) as long:
        page = lead.get(url)
    assert page.status_code == 200
    assert len(page.context["sheet"].log) > 20
    assert len(long) == len(short), "\n".join(q["sql"] for q in long.captured_queries)

    with django_assert_num_queries(10):
        # 1-3 the session, the user, their memberships (middleware)
        # 4 the assignment with its order, customer, service type and address
        # 5 the whole log, corrections included, with authors and their staff
        # 6 the team (confirmed assignments and their staff)
        # 7 the acceptance rounds (none yet: their sign-offs are not asked for)
        # 8 the change requests awaiting the customer
        # 9 the service types the change form offers
        # 10 the unread notices (the bell in the top bar)
        lead.get(url)


# --- in a real browser: field.js and the phone width ------------------------------------


@pytest.fixture(scope="module")
def chromium():
    """Headless Chromium as in tests/browser (Debian's package, never `playwright install`)."""
    import os

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def open_phone(chromium, live_server, user, **context):
    """A phone-sized browser, logged in as `user` through the session cookie."""
    browser = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 390, "height": 844}, **context
    )
    client = login(Client(), user)
    browser.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = browser.new_page()
    page.set_default_timeout(15_000)
    return browser, page


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_check_in_on_a_phone_sends_its_position_when_offered(team_job, chromium, live_server):
    job = team_job
    for line in job.order.service_type.preparation_checklist:
        log_preparation(assignment=job.lead, actor=job.lead_actor, item=line)

    located, page = open_phone(
        chromium,
        live_server,
        job.lead.staff.user,
        geolocation={"latitude": 39.9087123, "longitude": 116.3974, "accuracy": 25},
        permissions=["geolocation"],
    )
    page.goto(at("my_job", job.lead))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Check in").click()
    page.get_by_text("Checked in.", exact=True).wait_for()
    located.close()
    arrived = entries(job, kind=EntryKind.CHECK_IN).get(assignment=job.lead)
    assert (arrived.latitude, arrived.longitude, arrived.accuracy_m) == (
        Decimal("39.908712"),
        Decimal("116.397400"),
        25,
    )

    # The member's phone does not let the page have its position: checked in all the same.
    refused, page = open_phone(chromium, live_server, job.member.staff.user)
    page.goto(at("my_job", job.member))
    page.get_by_role("button", name="Check in").click()
    page.get_by_text("Checked in.", exact=True).wait_for()
    refused.close()
    assert entries(job, kind=EntryKind.CHECK_IN).get(assignment=job.member).latitude is None


def test_tomorrows_job_cannot_be_checked_in_tonight_and_the_page_says_when(team_job, phone):
    job = team_job
    starts = timezone.now().replace(microsecond=0) + timedelta(hours=12)
    Order.objects.filter(pk=job.order.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=3)
    )
    lead = phone(job.lead.staff.user)
    page = at("my_job", job.lead)
    with time_machine.travel(starts - timedelta(minutes=61), tick=False):
        for line in job.order.service_type.preparation_checklist:
            lands_on_job(lead.post(at("my_job_prepare", job.lead), {"item": line}), job.lead)
        shown = lead.get(page).content.decode()
        assert at("my_job_check_in", job.lead) not in shown
        assert "Check-in opens at" in shown
        refused_on(lead.post(at("my_job_check_in", job.lead)), lead, page, "Check-in opens at")
        assert not entries(job, kind=EntryKind.CHECK_IN).exists()
        assert job.reload().status == OrderStatus.ASSIGNED
    with time_machine.travel(starts - timedelta(minutes=60), tick=False):
        assert at("my_job_check_in", job.lead) in lead.get(page).content.decode()
        lands_on_job(lead.post(at("my_job_check_in", job.lead)), job.lead)
    assert job.reload().status == OrderStatus.IN_SERVICE


def test_the_check_in_time_is_the_agencys_setting(world, team_job, client_for):
    job = team_job
    manager = client_for(world.a.user(Role.MANAGER))
    assert (
        "check_in_opens_minutes" in manager.get(reverse("agency_settings")).context["form"].fields
    )
    response = manager.patch(
        reverse("api_agency_settings"),
        {"check_in_opens_minutes": 15},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["check_in_opens_minutes"] == 15
    with (
        time_machine.travel(job.order.starts_at - timedelta(minutes=16), tick=False),
        translation.override("en"),
        pytest.raises(StateConflict, match="Check-in opens at"),
    ):
        log_check_in(assignment=job.lead, actor=job.lead_actor)
