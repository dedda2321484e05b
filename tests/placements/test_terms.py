"""Placement terms: opening a placement on its live-in order, the terms, what a contract
still needs, and dates that move the order and its staff (issue 20)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agency.errors import StateConflict
from agency.models import Role
from orders.models import AssignmentStatus
from placements.models import Placement
from placements.terms import Terms, missing_terms, placement_open, placement_terms_save
from tests.factories import AssignmentFactory, OrderFactory, PlacementFactory, placement_order
from tests.placements.conftest import member

pytestmark = pytest.mark.django_db

FULL = {
    "trial_days": 3,
    "price": Decimal("16800"),
    "price_period": "term",
    "wage": Decimal("12000"),
    "service_fee": Decimal("2800"),
    "deposit": Decimal("2000"),
    "days_off_per_month": 0,
    "free_replacements": 2,
}


def test_a_placement_opens_once_on_its_order_with_the_orders_days(world):
    order = placement_order(world.a.agency)
    first = placement_open(order=order, actor=member(world, Role.DISPATCHER))
    again = placement_open(order=order, actor=member(world, Role.DISPATCHER))
    assert first.pk == again.pk
    assert (first.starts_on, first.ends_on) == (date(2026, 12, 15), date(2027, 1, 9))
    assert first.status == "draft"


def test_only_a_live_in_order_of_a_placement_service_opens_one(world):
    with pytest.raises(ValidationError, match="not a placement service"):
        placement_open(order=OrderFactory(agency=world.a.agency), actor=member(world, Role.MANAGER))
    with pytest.raises(PermissionDenied):
        placement_open(order=placement_order(world.a.agency), actor=member(world, Role.STAFF))


def test_missing_terms_are_named_until_complete(world):
    order = placement_order(world.a.agency, assign=False)
    placement = placement_open(order=order, actor=member(world, Role.DISPATCHER))
    missing = missing_terms(placement)
    assert {"wage", "price", "deposit", "trial_days", "staff"} <= set(missing)
    assert "Staff member's monthly wage is missing." in missing["wage"]
    terms = Terms(starts_on=placement.starts_on, ends_on=placement.ends_on, **FULL)
    placement = placement_terms_save(
        placement=placement, actor=member(world, Role.DISPATCHER), terms=terms
    )
    assert set(missing_terms(placement)) == {"staff"}
    AssignmentFactory(agency=world.a.agency, order=order, status=AssignmentStatus.CONFIRMED)
    assert missing_terms(placement) == {}


def test_new_days_move_the_order_and_its_staff(world, placement):
    terms = Terms(starts_on=date(2026, 12, 20), ends_on=date(2027, 2, 17), **FULL)
    placement_terms_save(placement=placement, actor=member(world, Role.DISPATCHER), terms=terms)
    order = placement.order
    order.refresh_from_db()
    zone = world.a.agency.zone
    assert order.starts_at == datetime(2026, 12, 20, 8, tzinfo=zone)
    assert order.ends_at == datetime(2027, 2, 17, 20, tzinfo=zone)
    assert order.needs_form.days == 60
    assignment = order.assignments.get()
    assert (assignment.period.lower, assignment.period.upper) == (order.starts_at, order.ends_at)


def test_days_that_overlap_another_job_of_the_staff_member_are_refused(world, placement):
    staff = placement.order.assignments.get().staff
    later = OrderFactory(
        agency=world.a.agency,
        starts_at=datetime(2027, 1, 20, 9, tzinfo=world.a.agency.zone),
        ends_at=datetime(2027, 1, 20, 12, tzinfo=world.a.agency.zone),
    )
    AssignmentFactory(
        agency=world.a.agency, order=later, staff=staff, status=AssignmentStatus.CONFIRMED
    )
    terms = Terms(starts_on=placement.starts_on, ends_on=date(2027, 1, 31), **FULL)
    with pytest.raises(StateConflict, match=later.number):
        placement_terms_save(placement=placement, actor=member(world, Role.DISPATCHER), terms=terms)
    placement.refresh_from_db()
    assert placement.ends_on == date(2027, 1, 9)


def test_the_last_day_before_the_first_is_refused(world, placement):
    terms = Terms(starts_on=date(2027, 1, 9), ends_on=date(2026, 12, 15), **FULL)
    with pytest.raises(ValidationError):
        placement_terms_save(placement=placement, actor=member(world, Role.DISPATCHER), terms=terms)


# --- pages and API ------------------------------------------------------------------------


def test_the_order_page_sets_up_the_placement_and_its_page_saves_the_terms(world, client_for):
    order = placement_order(world.a.agency)
    client = client_for(world.a.user(Role.DISPATCHER))
    opener = reverse("placement_open", args=[order.pk])
    assert opener in client.get(reverse("order_detail", args=[order.pk])).text
    response = client.post(opener)
    placement = Placement.objects.get(order=order)
    assert response.url == reverse("placement_detail", args=[placement.pk])
    page = client.get(response.url).text
    assert 'class="missing-terms"' in page
    form = {
        "starts_on": "2026-12-15",
        "ends_on": "2027-01-09",
        "price_period": "term",
        "wage_paid_by": "agency",
        **{k: str(v) for k, v in FULL.items() if k != "price_period"},
    }
    bad = client.post(response.url, {**form, "wage": "-5"})
    assert bad.status_code == 400
    assert client.post(response.url, form).status_code == 302
    placement.refresh_from_db()
    assert placement.wage == Decimal("12000")


def test_roles_and_tenancy(world, placement, client_for):
    url = reverse("placement_detail", args=[placement.pk])
    assert client_for(world.a.user(Role.STAFF)).get(url).status_code == 403
    assert client_for(world.b.user(Role.MANAGER)).get(url).status_code == 404
    assert (
        client_for(world.b.user(Role.MANAGER)).get(f"/api/placements/{placement.pk}/").status_code
        == 404
    )


def test_api_opens_and_saves_terms_with_field_errors(world, client_for):
    order = placement_order(world.a.agency)
    client = client_for(world.a.user(Role.DISPATCHER))
    created = client.post("/api/placements/", {"order": order.pk}, content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    bad = client.put(
        f"/api/placements/{pk}/terms/",
        {"starts_on": "2026-12-15", "ends_on": "2027-01-09", "wage": "-1"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "wage" in bad.json()
    ok = client.put(
        f"/api/placements/{pk}/terms/",
        {
            "starts_on": "2026-12-15",
            "ends_on": "2027-01-09",
            **{k: str(v) for k, v in FULL.items()},
        },
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["trial_ends_on"] == "2026-12-17"
    other = placement_order(world.b.agency)
    refused = client.post("/api/placements/", {"order": other.pk}, content_type="application/json")
    assert refused.status_code == 400


#: Session, user, membership and agency, navigation, the count, the rows, their staff.
NUM_PAGE_QUERIES = 7


def test_the_list_costs_the_same_whatever_the_rows(
    world, client_for, django_assert_max_num_queries
):
    for _ in range(4):
        PlacementFactory(agency=world.a.agency, order=placement_order(world.a.agency))
    client = client_for(world.a.user(Role.MANAGER))
    client.get(reverse("placement_list"))
    with django_assert_max_num_queries(NUM_PAGE_QUERIES):
        page = client.get(reverse("placement_list") + "?state=starting")
    assert page.status_code == 200 and page.text.count("月嫂") >= 4
    assert len(client.get("/api/placements/?state=ending_soon").json()["results"]) == 0


def test_states(world, placement):
    from placements.selectors import placements_for, placements_in_state

    every = placements_for(agency=world.a.agency)
    today = date(2026, 12, 9)
    assert list(placements_in_state(every, "starting", today=today)) == [placement]
    Placement.objects.filter(pk=placement.pk).update(status="active")
    assert list(placements_in_state(every, "in_trial", today=date(2026, 12, 17))) == [placement]
    assert not placements_in_state(every, "in_trial", today=date(2026, 12, 18)).exists()
    ending = date(2027, 1, 9) - timedelta(days=10)
    assert list(placements_in_state(every, "ending_soon", today=ending)) == [placement]
