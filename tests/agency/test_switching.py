"""One user in several agencies: the active one is chosen per session or per API call."""

from django.urls import reverse

from agency.models import Role
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


def test_an_api_header_naming_a_foreign_agency_falls_back_to_the_users_own(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    branches = client.get(reverse("branch-list"), HTTP_X_AGENCY=world.b.agency.slug).json()
    assert [b["id"] for b in branches["results"]] == [world.a.branch.pk]
