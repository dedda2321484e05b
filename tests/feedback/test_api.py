"""The revisit and feedback API: the revisit rules answered with the API's status codes
(400 input, 403 role, 404 not yours, 409 state), constant lists, and no way for the
office to enter a customer's answers."""

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from agency.models import Role
from feedback.models import (
    FeedbackResponse,
    Revisit,
    RevisitAttempt,
    RevisitKind,
    RevisitOutcome,
    RevisitStatus,
)
from orders.models import AssignmentStatus, OrderStatus
from tests.factories import (
    AssignmentFactory,
    CustomerFactory,
    FeedbackRequestFactory,
    FeedbackResponseFactory,
    OrderFactory,
    ServiceTypeFactory,
    StaffMemberFactory,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: Tuesday 10:00 in Shanghai, inside the calling hours (09:00–18:00).
NOW = datetime(2026, 11, 3, 10, 0, tzinfo=SHANGHAI)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def url(revisit=None, action: str | None = None) -> str:
    if revisit is None:
        return reverse("revisit-list")
    return reverse(f"revisit-{action or 'detail'}", kwargs={"pk": revisit.pk})


def post(client: APIClient, address: str, data: dict | None = None):
    return client.post(address, data or {}, format="json")


@pytest.fixture(autouse=True)
def _shanghai_now(world):
    world.a.agency.time_zone = "Asia/Shanghai"
    world.a.agency.save()
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def dispatcher(world) -> APIClient:
    return api(world.a.user(Role.DISPATCHER))


def make_revisit(tenant, *, kind=RevisitKind.SATISFACTION_CALL, due_at=NOW, **fields) -> Revisit:
    order = fields.pop("order", None) or OrderFactory(
        agency=tenant.agency, branch=tenant.branch, status=OrderStatus.ACCEPTED
    )
    return Revisit.objects.create(
        agency=tenant.agency,
        customer=order.customer,
        order=order,
        kind=kind,
        source=f"order-{order.pk}-{kind}",
        due_at=due_at,
        next_action_at=due_at + timedelta(days=1),
        **fields,
    )


def unchanged(revisit: Revisit) -> bool:
    before = {f.attname: getattr(revisit, f.attname) for f in Revisit._meta.concrete_fields}
    revisit.refresh_from_db()
    after = {f.attname: getattr(revisit, f.attname) for f in Revisit._meta.concrete_fields}
    return before == after and not RevisitAttempt.objects.filter(revisit=revisit).exists()


# --- the queue ----------------------------------------------------------------------------


def test_the_queue_shows_todays_calls_and_the_list_every_revisit(world, dispatcher):
    today = make_revisit(world.a, due_at=NOW - timedelta(hours=1))
    late = make_revisit(world.a, due_at=NOW - timedelta(days=3))
    tomorrow = make_revisit(world.a, due_at=NOW + timedelta(days=1))
    letter = make_revisit(world.a, kind=RevisitKind.THANK_YOU_LETTER)
    make_revisit(world.b)  # another agency's, never listed

    def ids(query: dict) -> list[int]:
        response = dispatcher.get(url(), query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids({"view": "today"}) == [late.pk, today.pk]
    assert ids({"view": "overdue"}) == [late.pk]
    assert ids({"view": "all"}) == [late.pk, today.pk, tomorrow.pk]
    assert ids({}) == [late.pk, today.pk, letter.pk, tomorrow.pk]
    assert ids({"kind": "thank_you_letter"}) == [letter.pk]
    assert ids({"view": "today", "customer": today.customer_id}) == [today.pk]
    assert dispatcher.get(url(), {"view": "someday"}).status_code == 400


def test_the_list_filters_by_status_and_assignee(world, dispatcher):
    mine = make_revisit(world.a, assignee=world.a.user(Role.DISPATCHER))
    done = make_revisit(world.a, status=RevisitStatus.DONE)
    make_revisit(world.a)
    rows = dispatcher.get(url(), {"assignee": world.a.user(Role.DISPATCHER).pk}).json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert rows[0]["assignee"] == {
        "id": world.a.user(Role.DISPATCHER).pk,
        "username": "alpha-dispatcher",
    }
    rows = dispatcher.get(url(), {"status": "done"}).json()["results"]
    assert [r["id"] for r in rows] == [done.pk]


def test_a_revisit_shows_its_calls_and_the_customers_phone_masked(world, dispatcher):
    revisit = make_revisit(world.a)
    post(dispatcher, url(revisit, "log"), {"outcome": "not_reached", "notes": "无人接听"})
    body = dispatcher.get(url(revisit)).json()
    assert [(a["outcome"], a["notes"], a["by"]) for a in body["attempt_log"]] == [
        ("not_reached", "无人接听", "alpha-dispatcher")
    ]
    assert body["customer"]["masked_phone"] != revisit.customer.phone
    assert body["order"] == {"id": revisit.order_id, "number": revisit.order.number}
    assert body["kind_label"] == "24-hour satisfaction call"


# --- logging a call -----------------------------------------------------------------------


def test_a_call_reached_closes_the_revisit_with_the_phone_score(world, dispatcher):
    revisit = make_revisit(world.a)
    response = post(
        dispatcher,
        url(revisit, "log"),
        {"outcome": "reached", "satisfaction": 4, "notes": "满意", "next_step": "下月再约"},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["outcome"], body["satisfaction"], body["attempts"]) == (
        "done",
        "reached",
        4,
        1,
    )
    assert body["next_step"] == "下月再约"
    assert body["done_by"] == "alpha-dispatcher"
    # A phone survey stays a revisit's outcome: no customer's answers were written.
    assert not FeedbackResponse.objects.exists()


def test_a_call_not_reached_is_due_again_at_the_next_slot(world, dispatcher):
    revisit = make_revisit(world.a)
    response = post(dispatcher, url(revisit, "log"), {"outcome": "not_reached"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["attempts"]) == ("open", 1)
    assert datetime.fromisoformat(body["due_at"]) == NOW + timedelta(hours=2)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"outcome": "maybe"}, "outcome"),
        ({}, "outcome"),
        ({"outcome": "reached", "satisfaction": 6}, "satisfaction"),
        ({"outcome": "reached", "satisfaction": 0}, "satisfaction"),
        ({"outcome": "not_reached", "satisfaction": 5}, "satisfaction"),  # the service's rule
        ({"outcome": "reached", "next_step": "x" * 301}, "next_step"),
    ],
)
def test_bad_input_is_a_400_on_its_field_and_nothing_is_written(world, dispatcher, data, field):
    revisit = make_revisit(world.a)
    response = post(dispatcher, url(revisit, "log"), data)
    assert response.status_code == 400
    assert field in response.json()
    assert unchanged(revisit)


def test_a_revisit_done_cannot_be_logged_again(world, dispatcher):
    revisit = make_revisit(world.a)
    assert post(dispatcher, url(revisit, "log"), {"outcome": "reached"}).status_code == 200
    response = post(dispatcher, url(revisit, "log"), {"outcome": "declined"})
    assert response.status_code == 409
    assert RevisitAttempt.objects.filter(revisit=revisit).count() == 1
    revisit.refresh_from_db()
    assert revisit.outcome == RevisitOutcome.REACHED


def test_a_letter_is_the_workers_and_not_logged_by_hand(world, dispatcher):
    letter = make_revisit(world.a, kind=RevisitKind.THANK_YOU_LETTER)
    assert post(dispatcher, url(letter, "log"), {"outcome": "reached"}).status_code == 409
    assert unchanged(letter)


def test_another_agencys_revisit_is_not_found(world, dispatcher):
    theirs = make_revisit(world.b)
    assert dispatcher.get(url(theirs)).status_code == 404
    assert post(dispatcher, url(theirs, "log"), {"outcome": "reached"}).status_code == 404
    assert (
        post(
            dispatcher, url(theirs, "assign"), {"assignee": world.a.user(Role.DISPATCHER).pk}
        ).status_code
        == 404
    )
    assert unchanged(theirs)


@pytest.mark.parametrize("role", [Role.STAFF, Role.FINANCE])
def test_only_the_office_reads_and_logs_revisits(world, role):
    revisit = make_revisit(world.a)
    client = api(world.a.user(role))
    assert client.get(url()).status_code == 403
    assert client.get(url(revisit)).status_code == 403
    assert post(client, url(revisit, "log"), {"outcome": "reached"}).status_code == 403
    assert unchanged(revisit)


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.MANAGER])
def test_supervisors_and_managers_log_revisits_too(world, role):
    revisit = make_revisit(world.a)
    response = post(api(world.a.user(role)), url(revisit, "log"), {"outcome": "declined"})
    assert response.status_code == 200
    assert response.json()["status"] == "done"


# --- assigning ----------------------------------------------------------------------------


def test_a_revisit_is_given_to_an_office_member(world, dispatcher):
    revisit = make_revisit(world.a)
    supervisor = world.a.user(Role.SUPERVISOR)
    response = post(dispatcher, url(revisit, "assign"), {"assignee": supervisor.pk})
    assert response.status_code == 200, response.json()
    assert response.json()["assignee"] == {"id": supervisor.pk, "username": "alpha-supervisor"}


@pytest.mark.parametrize(
    "who",
    [
        lambda world: world.a.user(Role.STAFF).pk,  # not the office
        lambda world: world.b.user(Role.DISPATCHER).pk,  # another agency's
        lambda world: 999_999,  # nobody
    ],
)
def test_a_revisit_is_not_given_to_anyone_else(world, dispatcher, who):
    revisit = make_revisit(world.a)
    response = post(dispatcher, url(revisit, "assign"), {"assignee": who(world)})
    assert response.status_code == 400
    assert "assignee" in response.json()
    assert unchanged(revisit)


# --- query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("query", [{}, {"view": "today"}])
def test_the_revisit_list_takes_the_same_queries_however_long(
    world, dispatcher, django_assert_num_queries, query
):
    def listed() -> int:
        # the membership with its agency and branch, the count, the page of revisits
        # joined with customer, order, assignee and who did it
        with django_assert_num_queries(3):
            response = dispatcher.get(url(), query)
        return len(response.json()["results"])

    make_revisit(world.a, assignee=world.a.user(Role.DISPATCHER))
    assert listed() == 1
    for _ in range(4):
        make_revisit(world.a, assignee=world.a.user(Role.SUPERVISOR))
    assert listed() == 5


# --- feedback -------------------------------------------------------------------------------


def feedback_url(response=None) -> str:
    if response is None:
        return reverse("feedback-list")
    return reverse("feedback-detail", kwargs={"pk": response.pk})


SERVICE_DAYS = itertools.count(1)


def answered(tenant, *, overall=5, staff=(), service_type=None, submitted_at=None):
    """A customer's answers on an accepted order served by `staff` (each on its own day,
    so nobody is booked twice at once)."""
    order = OrderFactory(
        agency=tenant.agency,
        branch=tenant.branch,
        starts_at=NOW - timedelta(days=next(SERVICE_DAYS)),
        status=OrderStatus.ACCEPTED,
        needs_form__customer=CustomerFactory(agency=tenant.agency),
        **({"needs_form__service_type": service_type} if service_type else {}),
    )
    for member in staff:
        AssignmentFactory(
            agency=tenant.agency, order=order, staff=member, status=AssignmentStatus.CONFIRMED
        )
    request = FeedbackRequestFactory(agency=tenant.agency, order=order)
    response = FeedbackResponseFactory(agency=tenant.agency, request=request, overall=overall)
    if submitted_at is not None:
        FeedbackResponse.objects.filter(pk=response.pk).update(submitted_at=submitted_at)
    return response


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SUPERVISOR])
def test_managers_and_supervisors_read_the_feedback(world, role):
    mine = answered(world.a, overall=3)
    answered(world.b)
    client = api(world.a.user(role))
    rows = client.get(feedback_url()).json()["results"]
    assert [(r["id"], r["overall"]) for r in rows] == [(mine.pk, 3)]
    body = client.get(feedback_url(mine)).json()
    assert body["order"]["number"] == mine.request.order.number
    assert "ip_address" not in body


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.STAFF, Role.FINANCE])
def test_the_feedback_results_are_the_reports_area(world, role):
    mine = answered(world.a)
    client = api(world.a.user(role))
    assert client.get(feedback_url()).status_code == 403
    assert client.get(feedback_url(mine)).status_code == 403


def test_nobody_enters_a_customers_answers_through_the_api(world):
    mine = answered(world.a)
    manager = api(world.a.user(Role.MANAGER))
    scores = {"quality": 5, "attitude": 5, "punctuality": 5, "professionalism": 5, "overall": 5}
    assert post(manager, feedback_url(), {"request": mine.request_id, **scores}).status_code == 405
    assert manager.patch(feedback_url(mine), {"overall": 1}, format="json").status_code == 405
    assert FeedbackResponse.objects.count() == 1
    mine.refresh_from_db()
    assert mine.overall == 5


def test_another_agencys_feedback_is_not_found(world):
    theirs = answered(world.b)
    assert api(world.a.user(Role.MANAGER)).get(feedback_url(theirs)).status_code == 404


def test_the_feedback_filters_by_staff_service_type_and_period(world):
    wang, li = (StaffMemberFactory(agency=world.a.agency) for _ in range(2))
    windows = ServiceTypeFactory(agency=world.a.agency, name_en="Windows")
    by_wang = answered(world.a, staff=[wang], submitted_at=NOW - timedelta(days=10))
    by_both = answered(world.a, staff=[wang, li], service_type=windows)
    by_li = answered(world.a, staff=[li])
    # Wang was proposed for Li's order too, and the customer declined: he did not serve it.
    AssignmentFactory(
        agency=world.a.agency,
        order=by_li.request.order,
        staff=wang,
        status=AssignmentStatus.DECLINED,
    )
    client = api(world.a.user(Role.MANAGER))

    def ids(query: dict) -> set[int]:
        response = client.get(feedback_url(), query)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids({"staff": wang.pk}) == {by_wang.pk, by_both.pk}
    assert ids({"staff": li.pk}) == {by_both.pk, by_li.pk}
    assert ids({"service_type": windows.pk}) == {by_both.pk}
    today = NOW.date().isoformat()
    assert ids({"submitted_after": today}) == {by_both.pk, by_li.pk}
    assert ids({"submitted_before": (NOW - timedelta(days=5)).date().isoformat()}) == {by_wang.pk}
    row = client.get(feedback_url(by_both)).json()
    assert sorted(s["name"] for s in row["staff"]) == sorted([wang.name, li.name])
    assert row["service_type"]["id"] == windows.pk


def test_the_feedback_list_takes_the_same_queries_however_long(world, django_assert_num_queries):
    client = api(world.a.user(Role.MANAGER))

    def listed() -> int:
        # the membership, the count, the page of answers joined with order, service type
        # and customer, the confirmed assignments of their orders with the staff
        with django_assert_num_queries(4):
            response = client.get(feedback_url())
        return len(response.json()["results"])

    answered(world.a, staff=[StaffMemberFactory(agency=world.a.agency)])
    assert listed() == 1
    for _ in range(4):
        answered(world.a, staff=[StaffMemberFactory(agency=world.a.agency)])
    assert listed() == 5
