"""The dispatcher's side of booking requests: the intake and the board list them, a request
opens with its photos, starts the needs form prefilled, or is declined; the office API."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from agency.audit import Actor
from agency.models import OutboundMessage, Role
from orders.intake.services.booking_requests import RequestInput, booking_request_submit
from orders.models import BookingRequest, BookingRequestStatus, Order, OrderStatus
from tests.factories import BookingRequestFactory, CustomerFactory, DistrictFactory
from tests.orders.test_pages import _intake_post
from tests.uploads import photo

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def asked(world, cleaning):
    """Two requests of agency A, the older one first, and one of agency B."""
    DistrictFactory(agency=world.a.agency, name="海淀区")
    customer = CustomerFactory(agency=world.a.agency, name="李娜", phone="13912345678")
    requests = []
    for hour, pets in ((8, "两只狗"), (9, "一只猫")):
        with time_machine.travel(datetime(2026, 12, 8, hour, tzinfo=SHANGHAI)):
            requests.append(
                booking_request_submit(
                    customer=customer,
                    actor=Actor.customer(customer.pk),
                    wish=RequestInput(
                        service_type=cleaning,
                        first_day=datetime(2026, 12, 14).date(),
                        time_start=datetime(2026, 1, 1, 9).time(),
                        time_end=datetime(2026, 1, 1, 13).time(),
                        district="海淀区",
                        street_address="中关村大街 1 号 1201",
                        pets=pets,
                        allergies="对花粉过敏",
                    ),
                    photos=[photo("kitchen.png")],
                )
            )
    BookingRequestFactory(agency=world.b.agency)
    return requests


def test_the_intake_and_the_board_list_waiting_requests_oldest_first(world, asked, client_for):
    office = client_for(world.a.user(Role.DISPATCHER))
    for page in ("order_new", "order_board"):
        response = office.get(reverse(page))
        waiting = response.context["waiting"]
        assert waiting.count == 2
        assert waiting.oldest == asked
        assert "2 个预约申请待报价" in response.content.decode()  # the agency speaks Chinese


def test_a_request_opens_with_its_photos_and_the_needs_form_button(world, asked, client_for):
    office = client_for(world.a.user(Role.DISPATCHER))
    page = office.get(reverse("booking_request_detail", args=[asked[0].pk])).content.decode()
    assert "两只狗" in page and "对花粉过敏" in page
    assert "?sig=" in page  # the photo, through a signed link
    assert f"{reverse('order_new')}?request={asked[0].pk}" in page
    assert "中关村" not in page  # the street address stays masked


def test_the_needs_form_starts_prefilled_and_its_order_takes_the_request(
    world, asked, cleaning, client_for
):
    office = client_for(world.a.user(Role.DISPATCHER))
    form = office.get(reverse("order_new"), {"request": asked[0].pk}).context["form"]
    assert form["phone"].value() == "13912345678"
    assert form["pets"].value() == "两只狗"
    assert str(form["start_date"].value()) == "2026-12-14"
    assert form["booking_request"].value() == asked[0].pk

    data = _intake_post(world, cleaning, booking_request=asked[0].pk)
    response = office.post(reverse("order_new"), data)
    assert response.status_code == 302
    order = Order.objects.get(booking_request=asked[0])
    assert order.status == OrderStatus.QUOTED
    asked[0].refresh_from_db()
    assert asked[0].status == BookingRequestStatus.TAKEN
    detail = office.get(response["Location"]).content.decode()
    assert reverse("booking_request_detail", args=[asked[0].pk]) in detail
    # The same page sent again books nothing more and goes to the same order.
    again = office.post(reverse("order_new"), data)
    assert again["Location"] == response["Location"]
    assert Order.objects.count() == 1


def test_a_request_declined_meanwhile_books_nothing(world, asked, cleaning, client_for):
    office = client_for(world.a.user(Role.DISPATCHER))
    office.post(reverse("booking_request_decline", args=[asked[0].pk]), {"reason": "没有阿姨"})
    response = office.post(
        reverse("order_new"), _intake_post(world, cleaning, booking_request=asked[0].pk)
    )
    assert response.status_code == 200
    assert "此申请已被拒绝" in response.content.decode()
    assert not Order.objects.exists()


def test_another_agencys_request_does_not_prefill(world, client_for):
    theirs = BookingRequestFactory(agency=world.b.agency)
    office = client_for(world.a.user(Role.DISPATCHER))
    assert office.get(reverse("order_new"), {"request": theirs.pk}).status_code == 404


def test_declining_on_the_page_tells_the_customer(world, asked, client_for):
    office = client_for(world.a.user(Role.DISPATCHER))
    response = office.post(
        reverse("booking_request_decline", args=[asked[0].pk]), {"reason": "那周阿姨已排满"}
    )
    assert response["Location"] == reverse("booking_request_list")
    asked[0].refresh_from_db()
    assert asked[0].status == BookingRequestStatus.DECLINED
    assert OutboundMessage.objects.filter(body__contains="那周阿姨已排满").exists()
    listed = office.get(reverse("booking_request_list")).context["object_list"]
    assert list(listed) == [asked[1]]


def test_a_decline_without_a_reason_changes_nothing(world, asked, client_for):
    office = client_for(world.a.user(Role.DISPATCHER))
    office.post(reverse("booking_request_decline", args=[asked[0].pk]), {"reason": ""})
    asked[0].refresh_from_db()
    assert asked[0].status == BookingRequestStatus.WAITING


def test_the_api_lists_waiting_requests_oldest_first_in_fixed_queries(
    world, asked, client_for, django_assert_max_num_queries
):
    office = client_for(world.a.user(Role.DISPATCHER))
    with django_assert_max_num_queries(12) as few:
        body = office.get(reverse("bookingrequest-list")).json()
    assert [row["id"] for row in body["results"]] == [asked[0].pk, asked[1].pk]
    assert body["results"][0]["district"] == "海淀区"
    assert "address" not in body["results"][0]
    BookingRequestFactory.create_batch(5, agency=world.a.agency)
    with django_assert_max_num_queries(12) as many:
        body = office.get(reverse("bookingrequest-list")).json()
    assert len(body["results"]) == 7
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_api_shows_a_request_and_declines_it_once(world, asked, client_for):
    office = client_for(world.a.user(Role.DISPATCHER))
    url = reverse("bookingrequest-detail", args=[asked[0].pk])
    detail = office.get(url).json()
    assert detail["pets"] == "两只狗" and len(detail["photos"]) == 1
    decline = reverse("bookingrequest-decline", args=[asked[0].pk])
    assert office.post(decline, {}, content_type="application/json").status_code == 400
    done = office.post(decline, {"reason": "不在服务时段"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "declined"
    again = office.post(decline, {"reason": "再拒"}, content_type="application/json")
    assert again.status_code == 409
    assert BookingRequest.objects.get(pk=asked[0].pk).decline_reason == "不在服务时段"
    listed = office.get(reverse("bookingrequest-list"), {"status": "declined"}).json()
    assert [row["id"] for row in listed["results"]] == [asked[0].pk]


def test_staff_and_finance_do_not_see_booking_requests(world, asked, client_for):
    for role in (Role.STAFF, Role.FINANCE):
        client = client_for(world.a.user(role))
        assert client.get(reverse("booking_request_list")).status_code == 403
        assert client.get(reverse("bookingrequest-list")).status_code == 403


def test_the_waiting_list_page_costs_the_same_queries_whatever_the_rows(
    world, asked, client_for, django_assert_max_num_queries
):
    office = client_for(world.a.user(Role.DISPATCHER))
    # session, user, membership, notices (the shell); count and page of requests (a join)
    with django_assert_max_num_queries(8) as few:
        office.get(reverse("booking_request_list"))
    BookingRequestFactory.create_batch(6, agency=world.a.agency)
    with django_assert_max_num_queries(8) as many:
        response = office.get(reverse("booking_request_list"))
    assert len(response.context["object_list"]) == 8
    assert len(few.captured_queries) == len(many.captured_queries)
