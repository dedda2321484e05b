"""Tenants never see each other, by any route.

For every route that takes an object id, a user of agency A asks for agency
B's object with every method the route answers, and gets 404 — exactly what a
missing object gets. The same request with A's own object must not be a 404,
which proves the sweep reached the object lookup.
"""

import inspect

import pytest
from django.urls import reverse

from agency.permissions import ACCESS
from tests import factories
from tests.routes import Route, all_routes

FACTORIES = {
    factory._meta.model: factory
    for _, factory in inspect.getmembers(factories, inspect.isclass)
    if issubclass(factory, factories.factory.django.DjangoModelFactory)
    and factory._meta.model is not None
}

ROUTES_WITH_OBJECTS = [route for route in all_routes() if route.object_kwargs]


def test_the_sweep_finds_the_object_routes():
    names = {route.name for route in ROUTES_WITH_OBJECTS}
    assert {"branch_update", "audit_detail", "branch-detail", "auditlog-detail"} <= names


@pytest.mark.parametrize("route", ROUTES_WITH_OBJECTS, ids=lambda r: r.name)
def test_another_agencys_object_answers_404(route: Route, world, client_for):
    model = getattr(route.view_class, "model", None)
    assert model is not None, f"{route.name}: its view must name the `model` it serves"
    assert model in FACTORIES, (
        f"{route.name}: add a factory for {model.__name__} to tests/factories.py"
    )
    assert route.object_kwargs == {"pk"}, f"{route.name}: teach the sweep its kwargs"
    role = _role_allowed_everything(route.view_class)
    user = world.a.user(role)
    client = client_for(user)
    theirs = FACTORIES[model](agency=world.b.agency)
    # Pages of one's own things (a staff member's jobs) name how an object is theirs.
    owner = getattr(route.view_class, "owner_lookup", None)
    ours = FACTORIES[model](agency=world.a.agency, **({owner: user} if owner else {}))

    for method in route.methods:
        foreign = getattr(client, method)(
            reverse(route.name, kwargs={"pk": theirs.pk}), content_type="application/json"
        )
        assert foreign.status_code == 404, (
            f"{method.upper()} {route.name} leaked: {foreign.status_code}"
        )

    # The control: the same request with an own object gets past the lookup.
    method = "get" if "get" in route.methods else route.methods[0]
    own = getattr(client, method)(reverse(route.name, kwargs={"pk": ours.pk}))
    assert own.status_code != 404, f"{method.upper()} {route.name} with an own object: 404"


def _role_allowed_everything(view: type) -> str:
    """A role that passes the view's area checks for reading and writing alike."""
    areas = {view.area, getattr(view, "write_area", None) or view.area}
    roles = set.intersection(*(set(ACCESS[area]) for area in areas))
    assert roles, f"{view.__name__}: no role may both read and write it"
    return sorted(roles)[0]
