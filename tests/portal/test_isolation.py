"""Customer A never reaches customer B's things, by any portal route (issue 18).

Walks every portal route (pages and API, tests/routes.py `portal_routes`): a route
with an object id, asked by a signed-in customer for another customer's object
(of the same agency, and of another agency), answers 404, like a missing one; the
same request with the customer's own object does not, which proves the sweep
reached the lookup. Every route that needs a customer refuses anyone not signed
in to the address's agency, a customer of another agency included.
"""

from collections.abc import Callable

import pytest
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from orders.models import Customer, Invoice, InvoiceStatus, Order, Payment, PrepaidCard
from placements.models import ContractVersion
from tests.factories import (
    CustomerFactory,
    InvoiceFactory,
    OrderFactory,
    PaymentFactory,
    PrepaidCardFactory,
    contract_version_for,
)
from tests.portal.conftest import portal_url, sign_in_as
from tests.routes import Route, portal_routes

#: Routes anyone may open: signing in, signing out, the language switch.
OPEN_ROUTES = {
    "portal:sign_in": "the way in",
    "portal:sign_in_code": "the way in (after asking for a code)",
    "portal:sign_out": "the way out; forgets only this agency's sign-in",
    "portal:language": "the language switch works before signing in",
    "portal_api:code": "the way in",
    "portal_api:verify": "the way in",
}


def _issued(customer: Customer) -> dict:
    return {
        "status": InvoiceStatus.ISSUED,
        "number": f"INV-{customer.pk}",
        "issued_at": timezone.now(),
    }


#: How to make an object of each kind a portal route shows, belonging to a customer.
OWNED: dict[type[Model], Callable[[Customer], Model]] = {
    Order: lambda c: OrderFactory(agency=c.agency, needs_form__customer=c),
    Invoice: lambda c: InvoiceFactory(agency=c.agency, customer=c, **_issued(c)),
    Payment: lambda c: PaymentFactory(
        agency=c.agency, invoice__customer=c, invoice__number=f"P-{c.pk}"
    ),
    PrepaidCard: lambda c: PrepaidCardFactory(agency=c.agency, customer=c),
    ContractVersion: contract_version_for,
}

OBJECT_ROUTES = [route for route in portal_routes() if route.object_kwargs]
CUSTOMER_ROUTES = [
    route for route in portal_routes() if not route.object_kwargs and route.name not in OPEN_ROUTES
]


def url(route: Route, customer: Customer, **kwargs) -> str:
    return reverse(route.name, kwargs={"agency_slug": customer.agency.slug, **kwargs})


def test_the_sweep_finds_the_portal_routes():
    names = {route.name for route in portal_routes()}
    assert {"portal:home", "portal:order", "portal_api:order-detail", "portal_api:me"} <= names
    assert {r.name for r in OBJECT_ROUTES} >= {"portal:order", "portal:invoice_pdf"}


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_another_customers_object_answers_404(route: Route, world, client, customer):
    model = getattr(route.view_class, "model", None)
    assert model in OWNED, f"{route.name}: name its `model` and teach OWNED to make one"
    assert route.object_kwargs == {"pk"}, f"{route.name}: teach the sweep its kwargs"
    sign_in_as(client, customer)
    neighbour = CustomerFactory(agency=customer.agency)
    stranger = CustomerFactory(agency=world.b.agency, phone=customer.phone)
    for other in (neighbour, stranger):
        theirs = OWNED[model](other)
        for method in route.methods:
            answer = getattr(client, method)(url(route, customer, pk=theirs.pk))
            assert answer.status_code == 404, f"{method} {route.name} leaked: {answer.status_code}"
    ours = OWNED[model](customer)
    own = client.get(url(route, customer, pk=ours.pk))
    assert own.status_code != 404, f"{route.name} with an own object: 404"


@pytest.mark.parametrize("route", CUSTOMER_ROUTES + OBJECT_ROUTES, ids=lambda r: r.name)
def test_only_a_customer_signed_in_to_this_agency_gets_in(route: Route, world, client, customer):
    # Signed in to agency B with the same phone: still a stranger to agency A's portal.
    sign_in_as(client, CustomerFactory(agency=world.b.agency, phone=customer.phone))
    method = "get" if "get" in route.methods else route.methods[0]
    pk = {"pk": OWNED[route.view_class.model](customer).pk} if route.object_kwargs else {}
    answer = getattr(client, method)(url(route, customer, **pk))
    if route.is_api:
        assert answer.status_code == 401
    else:
        assert answer.status_code == 302
        assert answer["Location"].startswith(portal_url("sign_in", customer))


@pytest.mark.parametrize("route", CUSTOMER_ROUTES, ids=lambda r: r.name)
def test_every_customer_route_answers_its_customer(route: Route, signed_in, customer):
    method = "get" if "get" in route.methods else route.methods[0]
    answer = getattr(signed_in, method)(url(route, customer))
    assert answer.status_code in (200, 204)


def test_an_unknown_agency_is_a_404(db, client):
    assert (
        client.get(reverse("portal:sign_in", kwargs={"agency_slug": "nobody"})).status_code == 404
    )
    api = client.post(reverse("portal_api:code", kwargs={"agency_slug": "nobody"}), {"phone": "1"})
    assert api.status_code == 404


def test_every_open_route_exists():
    assert set(OPEN_ROUTES) <= {route.name for route in portal_routes()}


def test_an_address_that_is_no_agency_is_a_broken_link_and_kept_nowhere(db, client):
    # A signed link cut short by a text message looks like /c/<something>/.
    response = client.get("/c/eyJhIjoxLCJvIjo/")
    assert response.status_code == 404
    assert "orders/link_invalid.html" in [t.name for t in response.templates]
    assert "no-store" in response["Cache-Control"]


def test_another_customers_object_is_a_404_kept_nowhere(signed_in, customer, other_customer):
    theirs = OWNED[Order](other_customer)
    response = signed_in.get(portal_url("order", customer, pk=theirs.pk))
    assert response.status_code == 404 and "no-store" in response["Cache-Control"]
