"""The message logs: each order, customer and staff page shows its own messages, managers
read the agency's whole log with filters, and the API lists the same (issue 16)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agency.models import Channel, MessageStatus, OutboundMessage, Role
from messaging.rules import Event
from messaging.selectors import LATEST, messages_for
from messaging.services import announce
from orders.messages import customer_recipient, job_context, order_topics
from tests.factories import CustomerFactory, OrderFactory, StaffMemberFactory


def message(agency, *, topics, **values) -> OutboundMessage:
    fields = {
        "channel": Channel.SMS,
        "recipient": "13800138000",
        "recipient_name": "王女士",
        "body": "【Alpha】您的预约已确认",
        "rule": "order.confirmed:customer",
        "status": MessageStatus.SENT,
        **values,
    }
    return OutboundMessage.objects.create(agency=agency, topics=topics, **fields)


def english(client_for, user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return client_for(user)


@pytest.fixture
def manager(world, client_for):
    return english(client_for, world.a.user(Role.MANAGER))


@pytest.fixture
def dispatcher(world, client_for):
    return english(client_for, world.a.user(Role.DISPATCHER))


# --- the selector ------------------------------------------------------------------------


def test_a_topic_selects_only_its_own_messages_of_this_agency_newest_first(world):
    first = message(world.a.agency, topics=["order:1", "customer:5"], body="first")
    later = message(world.a.agency, topics=["order:1"], body="later")
    message(world.a.agency, topics=["order:11"], body="another order")
    message(world.b.agency, topics=["order:1"], body="another agency")

    assert list(messages_for(agency=world.a.agency, topic="order:1")) == [later, first]
    assert list(messages_for(agency=world.a.agency, topic="customer:5")) == [first]
    assert messages_for(agency=world.a.agency).count() == 3


# --- the order, customer and staff pages ---------------------------------------------------


def subjects(world):
    order = OrderFactory(agency=world.a.agency)
    staff = StaffMemberFactory(agency=world.a.agency)
    return {
        "order_detail": (order.pk, f"order:{order.pk}"),
        "customer_detail": (order.customer_id, f"customer:{order.customer_id}"),
        "staff_detail": (staff.pk, f"staff:{staff.pk}"),
    }


@pytest.mark.parametrize("page", ["order_detail", "customer_detail", "staff_detail"])
def test_a_page_shows_its_subjects_messages_held_and_failed_as_such(world, dispatcher, page):
    pk, topic = subjects(world)[page]
    now = timezone.now()
    # Quiet hours hold it until 08:00 in Shanghai (midnight UTC).
    message(
        world.a.agency,
        topics=[topic],
        status=MessageStatus.PENDING,
        next_attempt_at=now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1),
        body="held for the morning",
    )
    message(
        world.a.agency,
        topics=[topic],
        status=MessageStatus.FAILED,
        attempts=5,
        last_error="provider said: number unreachable",
        body="could not go",
    )
    message(world.a.agency, topics=[f"{topic}0"], body="someone else's")
    message(world.b.agency, topics=[topic], body="another agency's")

    response = dispatcher.get(reverse(page, kwargs={"pk": pk}))

    body = response.content.decode()
    assert response.status_code == 200
    assert [m.body for m in response.context["message_log"]] == [
        "could not go",
        "held for the morning",
    ]
    assert "held until 08:00" in body
    assert "Failed" in body and "provider said: number unreachable" in body and "5 attempts" in body
    assert "someone else" not in body and "another agency" not in body
    # The log is the office's, and still never shows a customer's full phone.
    assert "13800138000" not in body and "138****8000" in body
    # The full log is a manager's: a dispatcher gets no link to it.
    assert reverse("message_log") not in body


def test_the_order_page_lists_what_announce_wrote_and_links_managers_to_the_full_log(
    world, manager
):
    order = OrderFactory(agency=world.a.agency)
    announce(
        agency=world.a.agency,
        event=Event.BOOKING_CONFIRMED,
        key=f"order:{order.pk}:confirmed",
        context=job_context(order),
        customer=customer_recipient(order.customer),
        topics=order_topics(order),
    )
    response = manager.get(reverse("order_detail", kwargs={"pk": order.pk}))
    [logged] = response.context["message_log"]
    assert logged.rule == "order.confirmed:customer"
    body = response.content.decode()
    assert "A booking is confirmed · Customer" in body
    assert f"{reverse('message_log')}?topic=order%3A{order.pk}" in body


@pytest.mark.parametrize("page", ["order_detail", "customer_detail", "staff_detail"])
def test_a_pages_log_costs_one_query_however_many_messages(
    world, dispatcher, page, django_assert_max_num_queries
):
    pk, topic = subjects(world)[page]
    url = reverse(page, kwargs={"pk": pk})
    message(world.a.agency, topics=[topic])
    with django_assert_max_num_queries(60) as one:
        dispatcher.get(url)
    for _ in range(LATEST + 5):
        message(world.a.agency, topics=[topic], channel=Channel.EMAIL, recipient="w@example.com")
    with django_assert_max_num_queries(60) as many:
        response = dispatcher.get(url)
    assert len(response.context["message_log"]) == LATEST
    assert len(many.captured_queries) == len(one.captured_queries)


# --- the agency-wide log -------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in Role if r != Role.MANAGER])
def test_only_managers_read_the_agency_wide_log(world, client_for, role):
    response = client_for(world.a.user(role)).get(reverse("message_log"))
    assert response.status_code == 403


def listed(client, **query) -> list[str]:
    response = client.get(reverse("message_log"), query)
    assert response.status_code == 200
    return [m.body for m in response.context["object_list"]]


def test_the_agency_wide_log_filters(world, manager):
    agency = world.a.agency
    now = timezone.now()
    message(agency, topics=["order:1"], body="sms to a customer", recipient_name="王芳")
    message(
        agency,
        topics=["staff:2"],
        body="email held",
        channel=Channel.EMAIL,
        recipient="li@example.com",
        recipient_name="李阿姨",
        rule="job.assigned:staff",
        status=MessageStatus.PENDING,
        next_attempt_at=now + timedelta(hours=3),
    )
    message(
        agency,
        topics=[],
        body="a letter that failed",
        rule="",
        status=MessageStatus.FAILED,
        recipient_name="",
        recipient="13911112222",
    )
    old = message(agency, topics=["order:1"], body="last week", status=MessageStatus.DELIVERED)
    OutboundMessage.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=7))
    message(world.b.agency, topics=["order:1"], body="another agency")

    assert listed(manager) == [
        "a letter that failed",
        "email held",
        "sms to a customer",
        "last week",
    ]
    assert listed(manager, channel="email") == ["email held"]
    assert listed(manager, status="held") == ["email held"]
    assert listed(manager, status="failed") == ["a letter that failed"]
    assert listed(manager, rule="job.assigned:staff") == ["email held"]
    assert listed(manager, audience="customer") == ["sms to a customer", "last week"]
    assert listed(manager, q="李阿") == ["email held"]
    assert listed(manager, q="1391111") == ["a letter that failed"]
    assert listed(manager, topic="order:1") == ["sms to a customer", "last week"]
    week_ago = (now - timedelta(days=7)).date().isoformat()
    assert listed(manager, since=week_ago, until=week_ago) == ["last week"]


def test_the_agency_wide_log_refuses_far_dates_and_bad_subjects_with_a_message(world, manager):
    message(world.a.agency, topics=["order:1"])
    for query in ({"since": "9999-12-31"}, {"until": "0001-01-01"}, {"topic": "order:1;drop"}):
        response = manager.get(reverse("message_log"), query)
        assert response.status_code == 200
        assert response.context["filter"].errors
        assert list(response.context["object_list"]) == []


def test_the_agency_wide_log_runs_a_fixed_number_of_queries(
    world, manager, django_assert_max_num_queries
):
    message(world.a.agency, topics=["order:1"])
    with django_assert_max_num_queries(30) as one:
        manager.get(reverse("message_log"))
    for n in range(30):
        message(world.a.agency, topics=[f"order:{n}"], rule="job.assigned:staff")
    with django_assert_max_num_queries(30) as many:
        response = manager.get(reverse("message_log"))
    assert len(response.context["object_list"]) == 31
    assert len(many.captured_queries) == len(one.captured_queries)


# --- the API -------------------------------------------------------------------------------


def api_bodies(client, **query) -> list[str]:
    response = client.get("/api/messages/", query)
    assert response.status_code == 200, response.content
    return [row["body"] for row in response.json()["results"]]


def test_the_api_lists_this_agencys_messages_with_subject_filters(world, manager):
    agency = world.a.agency
    customer = CustomerFactory(agency=agency)
    staff = StaffMemberFactory(agency=agency)
    message(agency, topics=["order:7", f"customer:{customer.pk}"], body="to the customer")
    message(
        agency,
        topics=["order:7", f"staff:{staff.pk}"],
        body="to the staff",
        rule="job.assigned:staff",
        status=MessageStatus.PENDING,
        next_attempt_at=timezone.now() + timedelta(hours=2),
    )
    message(world.b.agency, topics=["order:7"], body="another agency")

    assert api_bodies(manager) == ["to the staff", "to the customer"]
    assert api_bodies(manager, order=7) == ["to the staff", "to the customer"]
    assert api_bodies(manager, customer=customer.pk) == ["to the customer"]
    assert api_bodies(manager, staff=staff.pk) == ["to the staff"]
    assert api_bodies(manager, status="held") == ["to the staff"]
    assert api_bodies(manager, rule="order.confirmed:customer") == ["to the customer"]

    [row] = manager.get("/api/messages/", {"staff": staff.pk}).json()["results"]
    assert row["recipient"] == "138****8000"
    assert row["audience"] == "staff"
    assert row["rule_label"] == "A staff member is assigned to a job"
    assert row["held_until"] is not None


def test_the_api_refuses_bad_filters_with_400(world, manager):
    for query in ({"order": "abc"}, {"since": "9999-01-01"}, {"status": "lost"}):
        assert manager.get("/api/messages/", query).status_code == 400


@pytest.mark.parametrize("role", [r for r in Role if r != Role.MANAGER])
def test_only_managers_list_messages_in_the_api(world, client_for, role):
    assert client_for(world.a.user(role)).get("/api/messages/").status_code == 403


def test_the_api_list_runs_a_fixed_number_of_queries(world, manager, django_assert_max_num_queries):
    message(world.a.agency, topics=["order:1"])
    with django_assert_max_num_queries(20) as one:
        manager.get("/api/messages/")
    for n in range(30):
        message(world.a.agency, topics=[f"order:{n}"])
    with django_assert_max_num_queries(20) as many:
        assert len(api_bodies(manager)) == 31
    assert len(many.captured_queries) == len(one.captured_queries)
