"""The board's day and search read only what they show (issue 15): the day is one overlap
test on the order's window, the search finds the customers first."""

from datetime import datetime, time, timedelta

from django.urls import reverse

from agency.models import Role
from tests.factories import CustomerFactory, NeedsFormFactory, OrderFactory


def _day_start(world, day):
    return datetime.combine(day, time.min, tzinfo=world.a.agency.zone)


def _board(client, **params):
    return list(client.get(reverse("order_board"), params).context["object_list"])


def test_the_day_board_holds_every_order_whose_window_touches_the_day(world, client_for):
    agency = world.a.agency
    day = agency.today() + timedelta(days=5)
    start = _day_start(world, day)
    hour = timedelta(hours=1)
    live_in = OrderFactory(agency=agency, starts_at=start - timedelta(days=3), ends_at=start + hour)
    morning = OrderFactory(agency=agency, starts_at=start + 9 * hour, ends_at=start + 12 * hour)
    early = OrderFactory(agency=agency, starts_at=start + 9 * hour, ends_at=start + 10 * hour)
    overnight = OrderFactory(agency=agency, starts_at=start + 22 * hour, ends_at=start + 30 * hour)
    OrderFactory(agency=agency, starts_at=start - 3 * hour, ends_at=start)  # ended at midnight
    OrderFactory(agency=agency, starts_at=start + 24 * hour, ends_at=start + 26 * hour)  # next day
    OrderFactory(agency=world.b.agency, starts_at=start + 9 * hour, ends_at=start + 10 * hour)

    shown = _board(client_for(world.a.user(Role.DISPATCHER)), day=day.isoformat())

    # By start, then by id where two start together: the board's order.
    assert shown == [live_in, morning, early, overnight]


def test_the_board_finds_an_order_by_part_of_its_number_its_customers_name_or_phone(
    world, client_for
):
    agency = world.a.agency
    wang = CustomerFactory(agency=agency, name="王芳", phone="13912345678")
    by_customer = OrderFactory(agency=agency, number="2026-00001", needs_form__customer=wang)
    by_number = OrderFactory(agency=agency, number="2026-04567")
    other = CustomerFactory(agency=world.b.agency, name="王芳", phone="13912345678")
    OrderFactory(agency=world.b.agency, number="2026-04568", needs_form__customer=other)
    client = client_for(world.a.user(Role.DISPATCHER))

    assert _board(client, q="王") == [by_customer]
    assert _board(client, q="2345") == [by_customer]
    assert _board(client, q="0456") == [by_number]
    assert _board(client, q="无此人") == []


def test_a_board_search_runs_a_fixed_number_of_queries_however_many_customers_match(
    world, client_for, django_assert_max_num_queries
):
    agency = world.a.agency
    client = client_for(world.a.user(Role.DISPATCHER))

    def book(count):
        for _ in range(count):
            OrderFactory(agency=agency, needs_form=NeedsFormFactory(agency=agency))

    book(2)
    with django_assert_max_num_queries(20) as few:
        assert len(_board(client, q="客户")) == 2
    book(25)
    with django_assert_max_num_queries(20) as many:
        assert len(_board(client, q="客户")) == 27
    assert len(few.captured_queries) == len(many.captured_queries)
