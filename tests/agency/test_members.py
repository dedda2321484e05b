"""Managers add their own people and set their roles; nobody else's."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from agency import services
from agency.audit import Actor
from agency.invitations import SiteAddress
from agency.models import AuditLog, Membership, Role, User

SITE = SiteAddress(domain="hearth.example.com", use_https=True)


def _manager(world):
    return Actor(user=world.a.user(Role.MANAGER), ip_address="198.51.100.4")


def test_a_new_person_gets_an_account_and_an_invitation_after_commit(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.member_add(
            agency=world.a.agency,
            actor=_manager(world),
            site=SITE,
            username="wang.fang",
            email="wang.fang@example.com",
            first_name="芳",
            last_name="王",
            role=Role.DISPATCHER,
        )
    assert membership.agency == world.a.agency
    assert AuditLog.objects.filter(action="member.add", object_id=str(membership.pk)).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wang.fang@example.com"]
    assert re.search(r"https://hearth\.example\.com/accounts/reset/\S+/\S+/", mail.outbox[0].body)


def test_the_invitation_link_lets_the_person_choose_a_password_and_log_in(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.a.user(Role.MANAGER))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("member_add"),
            {
                "username": "li.na",
                "email": "li.na@example.com",
                "role": Role.STAFF,
                "branch": world.a.branch.pk,
            },
        )
    assert response.status_code == 302
    client.logout()
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    password = "a-long-new-passphrase-2026"
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    logged_in = client.post(reverse("login"), {"username": "li.na", "password": password})
    assert logged_in.status_code == 302
    assert client.get(reverse("home")).context["active_membership"].role == Role.STAFF


def test_an_existing_account_joins_a_second_agency_without_a_new_invitation(
    world, django_capture_on_commit_callbacks
):
    person = world.b.user(Role.DISPATCHER)
    with django_capture_on_commit_callbacks(execute=True):
        services.member_add(
            agency=world.a.agency,
            actor=_manager(world),
            site=SITE,
            username=person.username,
            email="ignored@example.com",
            role=Role.DISPATCHER,
        )
    assert set(person.memberships.values_list("agency__slug", flat=True)) == {"alpha", "bravo"}
    assert mail.outbox == []


def test_a_person_cannot_be_added_twice(world):
    with pytest.raises(ValidationError) as error:
        services.member_add(
            agency=world.a.agency,
            actor=_manager(world),
            site=SITE,
            username=world.a.user(Role.FINANCE).username,
            email="x@example.com",
            role=Role.FINANCE,
        )
    assert "username" in error.value.message_dict


def test_another_agencys_branch_is_refused_in_the_service_the_page_and_the_api(world, client_for):
    with pytest.raises(ValidationError):
        services.member_add(
            agency=world.a.agency,
            actor=_manager(world),
            site=SITE,
            username="zhao",
            email="zhao@example.com",
            role=Role.STAFF,
            branch=world.b.branch,
        )
    client = client_for(world.a.user(Role.MANAGER))
    page = client.post(
        reverse("member_add"),
        {
            "username": "zhao",
            "email": "zhao@example.com",
            "role": Role.STAFF,
            "branch": world.b.branch.pk,
        },
    )
    assert page.status_code == 200 and "branch" in page.context["form"].errors
    api = client.post(
        reverse("membership-list"),
        {
            "username": "zhao",
            "email": "zhao@example.com",
            "role": Role.STAFF,
            "branch": world.b.branch.pk,
        },
        content_type="application/json",
    )
    assert api.status_code == 400 and "branch" in api.json()
    assert not User.objects.filter(username="zhao").exists()


def test_the_last_active_manager_cannot_be_demoted_or_locked_out(world, client_for):
    manager = world.a.members[Role.MANAGER]
    with pytest.raises(ValidationError):
        services.member_update(membership=manager, actor=_manager(world), role=Role.DISPATCHER)
    with pytest.raises(ValidationError):
        services.member_update(membership=manager, actor=_manager(world), is_active=False)
    manager.refresh_from_db()
    assert manager.role == Role.MANAGER and manager.is_active
    assert not AuditLog.objects.filter(action="member.update").exists()


def test_a_manager_changes_a_role_and_the_audit_log_says_from_what(world, client_for):
    dispatcher = world.a.members[Role.DISPATCHER]
    client = client_for(world.a.user(Role.MANAGER))
    response = client.patch(
        reverse("membership-detail", kwargs={"pk": dispatcher.pk}),
        {"role": Role.SUPERVISOR},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert AuditLog.objects.get(action="member.update").changes == {
        "role": ["dispatcher", "supervisor"]
    }


def test_a_deactivated_member_can_no_longer_open_the_agency(world, client_for):
    staff = world.a.members[Role.STAFF]
    services.member_update(membership=staff, actor=_manager(world), is_active=False)
    assert client_for(staff.user).get(reverse("home")).status_code == 403


def test_member_list_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries):
    from tests.factories import MembershipFactory

    MembershipFactory.create_batch(20, agency=world.a.agency, branch=world.a.branch)
    client = client_for(world.a.user(Role.MANAGER))
    # session, user, memberships, count, page of members with users and branches
    with django_assert_num_queries(5):
        assert client.get(reverse("membership-list")).json()["count"] == 25
    assert Membership.objects.filter(agency=world.a.agency).count() == 25
