"""The office's feedback pages: the revisit queue and its quick outcome form, the
customer's history on the customer page, and the feedback results."""

from datetime import datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agency.models import Role
from feedback.models import (
    Revisit,
    RevisitAttempt,
    RevisitKind,
    RevisitOutcome,
    RevisitStatus,
)
from orders.models import AssignmentStatus, OrderStatus
from tests.factories import (
    AssignmentFactory,
    FeedbackRequestFactory,
    FeedbackResponseFactory,
    MembershipFactory,
    OrderFactory,
    ServiceTypeFactory,
    StaffMemberFactory,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: A Wednesday, mid-morning in the office.
NOW = datetime(2026, 11, 4, 10, 0, tzinfo=SHANGHAI)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def agency(world):
    world.a.agency.time_zone = "Asia/Shanghai"
    world.a.agency.default_language = "en"  # the pages in English, as the tests read them
    world.a.agency.save()
    return world.a.agency


@pytest.fixture
def order(agency, world):
    return OrderFactory(agency=agency, branch=world.a.branch, status=OrderStatus.ACCEPTED)


@pytest.fixture
def dispatcher(world, client_for):
    return client_for(world.a.user(Role.DISPATCHER))


def revisit(order, kind=RevisitKind.SATISFACTION_CALL, *, due_at=NOW, **fields):
    return Revisit.objects.create(
        agency=order.agency,
        customer=order.customer,
        order=order,
        kind=kind,
        source=f"test-{order.pk}-{kind}-{Revisit.objects.count()}",
        due_at=due_at,
        **fields,
    )


def shown(response) -> list[int]:
    return [row.revisit.pk for row in response.context["rows"]]


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the queue ------------------------------------------------------------------------


def test_the_queue_tabs_show_today_overdue_and_all_open(world, order, dispatcher):
    earlier_today = revisit(order, due_at=NOW - timedelta(hours=1))
    two_days_late = revisit(order, RevisitKind.SECOND_CONTACT, due_at=NOW - timedelta(days=2))
    tomorrow = revisit(order, RevisitKind.PERIODIC, due_at=NOW + timedelta(days=1))
    revisit(order, RevisitKind.THANK_YOU_LETTER, due_at=NOW - timedelta(hours=2))  # the worker's
    revisit(order, RevisitKind.REQUESTED_CALLBACK, status=RevisitStatus.DONE)
    with at(NOW):
        today = dispatcher.get(reverse("revisit_queue"))
        overdue = dispatcher.get(reverse("revisit_queue"), {"view": "overdue"})
        every = dispatcher.get(reverse("revisit_queue"), {"view": "all"})
    assert shown(today) == [two_days_late.pk, earlier_today.pk]
    assert shown(overdue) == [two_days_late.pk]
    assert shown(every) == [two_days_late.pk, earlier_today.pk, tomorrow.pk]
    page = today.content.decode()
    assert "is-overdue" in page
    assert order.customer.masked_phone in page
    assert order.customer.phone not in page
    assert order.number in page


def test_the_queue_filters_by_assignee_mine_and_nobody(world, order, dispatcher):
    me = world.a.user(Role.DISPATCHER)
    supervisor = world.a.user(Role.SUPERVISOR)
    mine = revisit(order, assignee=me)
    theirs = revisit(order, RevisitKind.SECOND_CONTACT, assignee=supervisor)
    nobodys = revisit(order, RevisitKind.PERIODIC)
    with at(NOW):
        get = dispatcher.get
        assert shown(get(reverse("revisit_queue"), {"assignee": "mine"})) == [mine.pk]
        assert shown(get(reverse("revisit_queue"), {"assignee": "none"})) == [nobodys.pk]
        assert shown(get(reverse("revisit_queue"), {"assignee": supervisor.pk})) == [theirs.pk]
        assert len(shown(get(reverse("revisit_queue")))) == 3
        # A tab keeps the filter.
        page = get(reverse("revisit_queue"), {"assignee": "mine"}).content.decode()
    assert "?view=overdue&amp;assignee=mine" in page


def test_the_queue_costs_the_same_for_one_revisit_as_for_five(world, order, dispatcher):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert dispatcher.get(reverse("revisit_queue")).status_code == 200
        return len(captured)

    with at(NOW):
        revisit(order, RevisitKind.LOW_SCORE)
        dispatcher.get(reverse("revisit_queue"))  # warm the session
        one = count()
        for _ in range(4):
            other = OrderFactory(agency=order.agency, branch=world.a.branch)
            FeedbackResponseFactory(agency=order.agency, request__order=other, overall=2, quality=1)
            revisit(other, RevisitKind.LOW_SCORE, assignee=world.a.user(Role.SUPERVISOR))
        assert count() == one
        # 1-3 the session, the user, their memberships (middleware); 4 the unread notices;
        # 5 how many revisits (the paginator); 6 the page of revisits with customer,
        # order, assignee and the order's feedback scores; 7 the office members.
        assert one == 7


def test_a_low_score_follow_up_shows_the_score_and_offers_a_complaint(world, order, dispatcher):
    FeedbackResponseFactory(
        agency=order.agency, request__order=order, overall=3, attitude=1, comment="态度差"
    )
    revisit(order, RevisitKind.LOW_SCORE, notes="Overall 3/5. 态度差")
    with at(NOW):
        page = dispatcher.get(reverse("revisit_queue")).content.decode()
    assert "overall 3/5, lowest 1/5" in page
    # The complaint form reads the order number (it has no customer parameter).
    assert f"{reverse('complaint_new')}?order={order.number}" in page


# --- logging a call -------------------------------------------------------------------


def test_logging_reached_with_a_phone_score_closes_the_revisit(world, order, dispatcher):
    call = revisit(order)
    back_to = reverse("revisit_queue") + "?view=all"
    with at(NOW):
        response = dispatcher.post(
            reverse("revisit_log", args=[call.pk]),
            {
                "outcome": "reached",
                "satisfaction": "4",
                "notes": "很满意",
                "next_step": "下月再约",
                "next": back_to,
            },
        )
    assert response.status_code == 302
    assert response["Location"] == back_to
    call.refresh_from_db()
    assert (call.status, call.outcome, call.satisfaction) == ("done", "reached", 4)
    assert (call.notes, call.next_step) == ("很满意", "下月再约")
    assert call.done_by == world.a.user(Role.DISPATCHER)
    assert RevisitAttempt.objects.filter(revisit=call).count() == 1
    assert any("logged" in m for m in said(response))


def test_not_reached_comes_back_at_the_next_calling_slot(world, order, dispatcher):
    call = revisit(order, due_at=NOW - timedelta(hours=1))
    with at(NOW.replace(hour=17, minute=0)):
        response = dispatcher.post(
            reverse("revisit_log", args=[call.pk]), {"outcome": "not_reached"}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("revisit_queue")
    call.refresh_from_db()
    assert call.status == RevisitStatus.OPEN
    assert call.attempts == 1
    # 17:00 + 2 hours is after the calling hours: 09:00 the next morning.
    assert call.due_at == NOW.replace(hour=9, minute=0) + timedelta(days=1)
    assert any("called again" in m for m in said(response))


def test_a_revisit_done_already_is_refused_and_nothing_is_written(world, order, dispatcher):
    call = revisit(order, status=RevisitStatus.DONE, outcome=RevisitOutcome.REACHED)
    response = dispatcher.post(
        reverse("revisit_log", args=[call.pk]), {"outcome": "declined", "notes": "again"}
    )
    assert response.status_code == 302
    assert said(response) == ["This revisit is not waiting for a call."]
    call.refresh_from_db()
    assert (call.outcome, call.notes, call.attempts) == ("reached", "", 0)
    assert not RevisitAttempt.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"outcome": "reached", "satisfaction": "9"},
        {"outcome": "not_reached", "satisfaction": "5"},
        {"satisfaction": "4"},
    ],
    ids=["score-out-of-range", "score-without-reaching", "no-outcome"],
)
def test_a_bad_log_comes_back_with_its_errors_and_nothing_is_written(
    world, order, dispatcher, data
):
    call = revisit(order)
    with at(NOW):
        response = dispatcher.post(
            reverse("revisit_log", args=[call.pk]), {**data, "notes": "留言"}
        )
    assert response.status_code == 400
    row = next(row for row in response.context["rows"] if row.revisit.pk == call.pk)
    assert row.form.errors
    assert 'value="留言"' in response.content.decode()  # what was typed is kept
    call.refresh_from_db()
    assert (call.status, call.attempts, call.outcome) == ("open", 0, "")
    assert not RevisitAttempt.objects.exists()


def test_assigning_a_revisit_to_an_office_member(world, order, dispatcher):
    call = revisit(order)
    supervisor = world.a.user(Role.SUPERVISOR)
    response = dispatcher.post(
        reverse("revisit_assign", args=[call.pk]), {"assignee": supervisor.pk}
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.assignee == supervisor
    # Field staff and other agencies' people are not the office's.
    for outsider in (world.a.user(Role.STAFF), world.b.user(Role.DISPATCHER)):
        response = dispatcher.post(
            reverse("revisit_assign", args=[call.pk]), {"assignee": outsider.pk}
        )
        assert said(response)[-1] == "Choose a member of the office."
    call.refresh_from_db()
    assert call.assignee == supervisor


def test_the_ticked_revisits_go_to_one_member_of_the_office_together(world, order, dispatcher):
    calls = [revisit(order), revisit(order), revisit(order)]
    supervisor = world.a.user(Role.SUPERVISOR)
    response = dispatcher.post(
        reverse("revisit_assign_ticked"),
        {"assignee": supervisor.pk, "revisit": [calls[0].pk, calls[2].pk]},
    )
    assert response.status_code == 302
    assert said(response)[-1].startswith("2 revisits are now")
    assert [c.assignee for c in Revisit.objects.order_by("pk")] == [supervisor, None, supervisor]


def test_nothing_is_assigned_when_one_ticked_revisit_cannot_be(world, order, dispatcher):
    waiting, done = revisit(order), revisit(order, status=RevisitStatus.DONE)
    theirs = revisit(OrderFactory(agency=world.b.agency, branch=world.b.branch))
    me = world.a.user(Role.DISPATCHER)
    for ticked, reason in (
        ([waiting.pk, done.pk], "This revisit is not waiting for a call."),
        ([waiting.pk, theirs.pk], "is not one of the available choices"),
        ([], "Tick the revisits to assign."),
    ):
        response = dispatcher.post(
            reverse("revisit_assign_ticked"), {"assignee": me.pk, "revisit": ticked}
        )
        assert response.status_code == 302
        assert reason in said(response)[-1]
    assert not Revisit.objects.filter(assignee__isnull=False).exists()


def test_the_queue_writes_the_office_list_once_not_on_every_row(world, agency, order, dispatcher):
    office = [
        MembershipFactory(agency=agency, role=Role.DISPATCHER, user__username=f"office{n}").user
        for n in range(12)
    ]
    listed = f'<option value="{office[-1].pk}"'

    def queue() -> str:
        with at(NOW):
            return dispatcher.get(reverse("revisit_queue")).content.decode()

    revisit(order)
    one = queue()
    for _ in range(19):
        revisit(order)
    twenty = queue()
    # The filter and the assign form list the office; a row holds a tick box and "Take it".
    assert twenty.count(">office0<") == one.count(">office0<") == 2
    assert twenty.count(listed) == one.count(listed) == 2
    assert twenty.count('name="revisit"') == 20


# --- who may ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.FINANCE, Role.STAFF])
def test_finance_and_field_staff_cannot_open_or_log_revisits(world, order, client_for, role):
    call = revisit(order)
    client = client_for(world.a.user(role))
    assert client.get(reverse("revisit_queue")).status_code == 403
    assert client.get(reverse("feedback_results")).status_code == 403
    response = client.post(reverse("revisit_log", args=[call.pk]), {"outcome": "reached"})
    assert response.status_code == 403
    call.refresh_from_db()
    assert call.status == RevisitStatus.OPEN


def test_a_dispatcher_logs_revisits_but_does_not_see_the_results(world, agency, dispatcher):
    assert dispatcher.get(reverse("revisit_queue")).status_code == 200
    assert dispatcher.get(reverse("feedback_results")).status_code == 403


def test_another_agencys_revisit_answers_404(world, agency, dispatcher):
    theirs = revisit(OrderFactory(agency=world.b.agency, branch=world.b.branch))
    for name in ("revisit_log", "revisit_assign"):
        response = dispatcher.post(
            reverse(name, args=[theirs.pk]),
            {"outcome": "reached", "assignee": world.a.user(Role.DISPATCHER).pk},
        )
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.assignee) == ("open", None)


# --- the customer page ---------------------------------------------------------------------


def test_the_customer_page_shows_their_feedback_and_revisits(world, order, dispatcher):
    FeedbackResponseFactory(agency=order.agency, request__order=order, overall=4, comment="挺好")
    revisit(
        order,
        status=RevisitStatus.DONE,
        outcome=RevisitOutcome.REACHED,
        satisfaction=5,
        notes="阿姨很细心",
        next_step="三个月后回访",
    )
    foreign = OrderFactory(agency=world.b.agency, branch=world.b.branch)
    revisit(foreign, notes="别家的回访")
    page = dispatcher.get(reverse("customer_detail", args=[order.customer.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "挺好" in text
    assert "阿姨很细心" in text and "三个月后回访" in text
    assert "phone survey" in text
    assert "别家的回访" not in text


# --- the results ----------------------------------------------------------------------------


DAYS = count(1)


def answered(agency, *, staff, overall, service=None, when=NOW, released=None):
    order = OrderFactory(
        agency=agency,
        status=OrderStatus.ACCEPTED,
        # Each on its own day: a staff member is never booked twice at once.
        starts_at=NOW - timedelta(days=next(DAYS)),
        **({"needs_form__service_type": service} if service else {}),
    )
    AssignmentFactory(agency=agency, order=order, staff=staff, status=AssignmentStatus.CONFIRMED)
    if released:
        AssignmentFactory(
            agency=agency,
            order=order,
            staff=released,
            status=AssignmentStatus.RELEASED,
        )
    with at(when):
        FeedbackResponseFactory(
            agency=agency,
            request=FeedbackRequestFactory(agency=agency, order=order),
            overall=overall,
        )


def test_the_results_by_staff_member_and_by_service_for_a_period(world, agency, client_for):
    wang = StaffMemberFactory(agency=agency, name="王阿姨")
    li = StaffMemberFactory(agency=agency, name="李阿姨")
    cleaning = ServiceTypeFactory(agency=agency, name_en="Cleaning", name_zh="保洁")
    nanny = ServiceTypeFactory(agency=agency, name_en="Nanny", name_zh="育儿嫂")
    answered(agency, staff=wang, overall=5, service=cleaning, released=li)
    answered(agency, staff=wang, overall=3, service=cleaning)
    answered(agency, staff=li, overall=4, service=nanny)
    answered(agency, staff=li, overall=1, service=nanny, when=NOW - timedelta(days=60))
    answered(world.b.agency, staff=StaffMemberFactory(agency=world.b.agency), overall=1)

    client = client_for(world.a.user(Role.SUPERVISOR))
    with at(NOW):
        response = client.get(reverse("feedback_results"))
    assert response.status_code == 200
    by_staff = {row["name"]: row for row in response.context["by_staff"]}
    assert by_staff["王阿姨"] == {
        "name": "王阿姨",
        "responses": 2,
        "average": 4.0,
        "satisfied": 1,
        "share": 50,
    }
    # Li was released from Wang's order; only the older answer (out of the period) and
    # her own order count for her.
    assert (by_staff["李阿姨"]["responses"], by_staff["李阿姨"]["share"]) == (1, 100)
    by_service = {row["name"]: row for row in response.context["by_service"]}
    assert (by_service["Cleaning"]["responses"], by_service["Cleaning"]["average"]) == (2, 4.0)
    assert (by_service["Nanny"]["responses"], by_service["Nanny"]["share"]) == (1, 100)
    assert response.context["total"]["responses"] == 3
    assert response.context["total"]["share"] == 67

    # A longer period takes in the old answer.
    start = (NOW - timedelta(days=90)).date().isoformat()
    with at(NOW):
        longer = client.get(
            reverse("feedback_results"), {"start": start, "end": NOW.date().isoformat()}
        )
    by_staff = {row["name"]: row for row in longer.context["by_staff"]}
    assert (by_staff["李阿姨"]["responses"], by_staff["李阿姨"]["average"]) == (2, 2.5)


def test_the_results_refuse_a_period_that_ends_before_it_starts(world, agency, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    response = client.get(reverse("feedback_results"), {"start": "2026-11-04", "end": "2026-11-01"})
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()


def test_the_results_query_the_database_once_per_table(world, agency, client_for):
    answered(agency, staff=StaffMemberFactory(agency=agency), overall=5)
    client = client_for(world.a.user(Role.MANAGER))
    with at(NOW):
        client.get(reverse("feedback_results"))  # warm the session and the policy
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("feedback_results"))
    feedback_queries = [q for q in captured if "feedback_feedbackresponse" in q["sql"]]
    # The total, by staff member, by service type.
    assert len(feedback_queries) == 3
