"""Malformed requests (API and pages) are the client's error: a 400 or 404 with a message,
never a 500."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from agency.models import Role
from tests.conftest import login
from tests.factories import InvoiceFactory

JSON = "application/json"


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(datetime(2026, 11, 23, 2, tzinfo=UTC), tick=False):
        yield


def client_as(world, role: Role) -> Client:
    return login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.a.user(role))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/orders/abc/"),
        ("get", "/api/orders/1.5/"),
        ("get", "/api/staff/null/"),
        ("post", "/api/invoices/abc/issue/"),
        ("patch", "/api/branches/%20/"),
        ("get", "/api/complaints/x%C3%B4/"),
    ],
)
def test_a_non_numeric_id_in_an_api_path_is_a_json_404(world, method, path):
    response = getattr(client_as(world, Role.MANAGER), method)(path, content_type=JSON)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_numeric_id_still_finds_the_object(world):
    invoice = InvoiceFactory(agency=world.a.agency, branch=world.a.branch)
    response = client_as(world, Role.FINANCE).get(f"/api/invoices/{invoice.pk}/")
    assert response.status_code == 200


NESTED = "[" * 50_000 + "]" * 50_000


def test_deeply_nested_json_is_a_400_on_the_anonymous_token_endpoint(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("api_token"), NESTED, content_type=JSON
    )
    assert response.status_code == 400
    assert "nests deeper" in response.json()["detail"]


@pytest.mark.parametrize("depth", [40, 50_000])
def test_deeply_nested_json_is_a_400_on_any_endpoint(world, depth):
    body = '{"name": ' + "[" * depth + "]" * depth + "}"
    response = client_as(world, Role.MANAGER).post(reverse("branch-list"), body, content_type=JSON)
    assert response.status_code == 400
    assert "nests deeper than 32 levels" in response.json()["detail"]


def test_json_nested_a_few_levels_is_still_read(world):
    response = client_as(world, Role.MANAGER).post(
        reverse("branch-list"), {"name": "东城门店", "code": "dongcheng"}, content_type=JSON
    )
    assert response.status_code == 201


@pytest.mark.parametrize("day", ["2027-02-30", "0001-01-01", "9999-12-31", "1999-12-31"])
@pytest.mark.parametrize(
    ("route", "param"),
    [
        ("order-list", "starts_after"),
        ("order-list", "starts_before"),
        ("complaint-list", "received_after"),
        ("invoice-list", "issued_before"),
        ("payment-list", "received_after"),
        ("feedback-list", "submitted_before"),
        ("auditlog-list", "since"),
        ("api_dashboard", "start"),
    ],
)
def test_an_impossible_or_far_off_date_in_a_filter_is_a_400_naming_it(world, route, param, day):
    response = client_as(world, Role.MANAGER).get(reverse(route), {param: day})
    assert response.status_code == 400
    assert param in response.json()


def test_a_date_within_the_bounds_filters_as_before(world):
    response = client_as(world, Role.MANAGER).get(
        reverse("order-list"), {"starts_after": "2000-01-01"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("year", ["-1", "0", "2026.5", "99999"])
def test_an_impossible_year_in_the_training_filter_is_a_400(world, year):
    response = client_as(world, Role.MANAGER).get(reverse("training-list"), {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()


@pytest.mark.parametrize("route", ["customer_list", "order_board", "order_customer_lookup"])
def test_a_nul_byte_in_a_page_search_is_a_400(world, route):
    query = {"q": "王\x00芳", "phone": "138\x00"}
    response = client_as(world, Role.DISPATCHER).get(reverse(route), query)
    assert response.status_code == 400
