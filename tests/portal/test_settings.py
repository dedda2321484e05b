"""The agency's portal session length: on the settings page and the settings API, bounded."""

from django.urls import reverse

from agency.models import Role


def test_a_manager_sets_how_long_customers_stay_signed_in(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    form = client.get(reverse("agency_settings")).context["form"]
    assert form["portal_session_days"].value() == 30
    data = {
        name: value
        for name, value in ((n, form[n].value()) for n in form.fields)
        if value is not None and value is not False
    }
    assert (
        client.post(reverse("agency_settings"), {**data, "portal_session_days": 7}).status_code
        == 302
    )
    world.a.agency.refresh_from_db()
    assert world.a.agency.portal_session_days == 7


def test_the_session_length_is_bounded_in_the_api(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    url = reverse("api_agency_settings")
    for days in (0, 91):
        refused = client.patch(url, {"portal_session_days": days}, content_type="application/json")
        assert refused.status_code == 400 and "portal_session_days" in refused.json()
    done = client.patch(url, {"portal_session_days": 90}, content_type="application/json")
    assert done.status_code == 200 and done.json()["portal_session_days"] == 90
