"""One user in several agencies: the active one is chosen per session or per API call."""

from django.urls import reverse

from agency.models import Branch, Membership, Role
from tests.factories import MembershipFactory


def _two_agency_user(world):
    membership = world.a.members[Role.DISPATCHER]
    MembershipFactory(agency=world.b.agency, user=membership.user, role=Role.MANAGER)
    return membership.user


def test_first_agency_is_active_until_the_user_switches(world, client_for):
    client = client_for(_two_agency_user(world))
    home = client.get(reverse("home"))
    assert home.context["active_membership"].agency == world.a.agency

    response = client.post(reverse("switch_agency"), {"agency": world.b.agency.pk})
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.context["active_membership"].agency == world.b.agency
    # The role follows the agency: manager in B opens B's audit log.
    assert client.get(reverse("audit_list")).status_code == 200


def test_switching_to_an_agency_one_is_not_a_member_of_is_refused(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    client.post(reverse("switch_agency"), {"agency": world.b.agency.pk})
    home = client.get(reverse("home"))
    assert home.context["active_membership"].agency == world.a.agency


def test_the_switcher_lists_only_the_users_agencies(world, client_for):
    client = client_for(_two_agency_user(world))
    page = client.get(reverse("home")).content.decode()
    assert world.a.agency.name in page and world.b.agency.name in page
    single = client_for(world.a.user(Role.FINANCE)).get(reverse("home")).content.decode()
    assert world.b.agency.name not in single


def test_api_clients_choose_the_agency_with_a_header(world, client_for):
    client = client_for(_two_agency_user(world))
    me = client.get(reverse("api_me"), HTTP_X_AGENCY=world.b.agency.slug).json()
    assert me["active_membership"]["agency"]["slug"] == world.b.agency.slug
    assert {m["agency"]["slug"] for m in me["memberships"]} == {"alpha", "bravo"}
    branches = client.get(reverse("branch-list"), HTTP_X_AGENCY=world.b.agency.slug).json()
    assert [b["id"] for b in branches["results"]] == [world.b.branch.pk]


def test_an_api_header_naming_a_foreign_agency_is_refused_not_redirected(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    created = client.post(
        reverse("branch-list"),
        {"name": "Foreign", "code": "FX"},
        content_type="application/json",
        HTTP_X_AGENCY=world.b.agency.slug,
    )
    assert created.status_code == 403
    assert "X-Agency" in created.json()["detail"]
    assert not Branch.objects.filter(code="FX").exists()
    for url in (reverse("branch-list"), reverse("api_me")):
        assert client.get(url, HTTP_X_AGENCY="no-such-agency").status_code == 403


def test_an_api_header_naming_an_ended_membership_is_refused(world, client_for):
    user = _two_agency_user(world)
    Membership.objects.filter(user=user, agency=world.b.agency).update(is_active=False)
    client = client_for(user)
    assert client.get(reverse("branch-list"), HTTP_X_AGENCY=world.b.agency.slug).status_code == 403
    assert client.get(reverse("branch-list")).status_code == 200
