"""Managers invite people and set their roles; a person joins only by accepting."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agency import services
from agency.audit import Actor
from agency.invitations import INVITATION_VALID_FOR, SiteAddress
from agency.models import AuditLog, Invitation, Membership, Role, User

SITE = SiteAddress(domain="hearth.example.com", use_https=True)


def _manager(world):
    return Actor(user=world.a.user(Role.MANAGER), ip_address="198.51.100.4")


def _invite(world, django_capture_on_commit_callbacks, *, email, role=Role.DISPATCHER, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return services.member_invite(
            agency=world.a.agency, actor=_manager(world), site=SITE, email=email, role=role, **extra
        )


def _link(message):
    return re.search(r"https?://[^/]+(/invitations/\S+/)", message.body).group(1)


def test_an_invitation_is_emailed_after_commit_and_makes_no_member_yet(
    world, django_capture_on_commit_callbacks
):
    invitation = _invite(
        world,
        django_capture_on_commit_callbacks,
        email="wang.fang@example.com",
        first_name="芳",
        last_name="王",
    )
    assert AuditLog.objects.filter(action="member.invite", object_id=str(invitation.pk)).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wang.fang@example.com"]
    assert re.search(r"https://hearth\.example\.com/invitations/\S+/", mail.outbox[0].body)
    assert not User.objects.filter(email="wang.fang@example.com").exists()
    assert Membership.objects.filter(agency=world.a.agency).count() == len(Role)


def test_the_invited_person_chooses_a_username_and_password_and_is_in(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.a.user(Role.MANAGER))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("member_invite"),
            {"email": "li.na@example.com", "role": Role.STAFF, "branch": world.a.branch.pk},
        )
    assert response.status_code == 302
    assert "li.na@example.com" in client.get(reverse("member_list")).content.decode()
    client.logout()
    link = _link(mail.outbox[0])
    assert client.get(link).status_code == 200
    password = "a-long-new-passphrase-2026"
    joined = client.post(link, {"username": "li.na", "password1": password, "password2": password})
    assert joined.status_code == 302
    # Field staff land on their jobs (我的工单).
    assert client.get(reverse("home"), follow=True).context["active_membership"].role == Role.STAFF
    assert User.objects.get(username="li.na").email == "li.na@example.com"
    # The link is spent.
    assert client.get(link).status_code == 410
    client.logout()
    assert (
        client.post(reverse("login"), {"username": "li.na", "password": password}).status_code
        == 302
    )


def test_an_existing_account_joins_a_second_agency_by_accepting_while_logged_in(
    world, client_for, django_capture_on_commit_callbacks
):
    person = world.b.user(Role.DISPATCHER)
    _invite(world, django_capture_on_commit_callbacks, email="anything@example.com")
    assert not person.memberships.filter(agency=world.a.agency).exists()
    client = client_for(person)
    assert client.post(_link(mail.outbox[0])).status_code == 302
    assert set(person.memberships.values_list("agency__slug", flat=True)) == {"alpha", "bravo"}
    # Accepting makes the new agency the active one.
    assert client.get(reverse("home")).context["active_membership"].agency == world.a.agency


def test_a_member_cannot_accept_a_second_invitation_to_the_same_agency(
    world, client_for, django_capture_on_commit_callbacks
):
    _invite(world, django_capture_on_commit_callbacks, email="again@example.com")
    member = world.a.user(Role.FINANCE)
    member.preferred_language = "en"
    member.save()
    page = client_for(member).post(_link(mail.outbox[0]))
    assert page.status_code == 409
    assert "already a member" in page.content.decode()
    assert world.a.user(Role.FINANCE).memberships.count() == 1


def test_an_expired_invitation_cannot_be_accepted(
    world, client_for, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _invite(world, django_capture_on_commit_callbacks, email="late@example.com")
        clock.shift(INVITATION_VALID_FOR + timedelta(minutes=1))
        link = _link(mail.outbox[0])
        assert client_for(world.b.user(Role.STAFF)).post(link).status_code == 410
    assert not world.b.user(Role.STAFF).memberships.filter(agency=world.a.agency).exists()
    assert Client().get("/invitations/tampered/").status_code == 404


def test_inviting_answers_alike_for_any_address_and_reveals_no_account(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.a.user(Role.MANAGER))
    outsider = world.b.user(Role.MANAGER)

    def invite(email):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("membership-list"),
                {"email": email, "role": Role.DISPATCHER},
                content_type="application/json",
            )
        assert response.status_code == 201
        return response.json()

    known, unknown = invite(outsider.email), invite("nobody-yet@example.com")
    assert known.keys() == unknown.keys()
    for answer, email in ((known, outsider.email), (unknown, "nobody-yet@example.com")):
        assert answer["email"] == email and answer["accepted_at"] is None
    # Only what the manager sent and the invitation's own facts: nothing of the account.
    assert "user" not in known and "username" not in known
    same = set(known) - {"id", "email", "created_at", "expires_at"}
    assert {k: known[k] for k in same} == {k: unknown[k] for k in same}
    assert not outsider.memberships.filter(agency=world.a.agency).exists()
    # The old way in, by username, is gone.
    by_username = client.post(
        reverse("membership-list"),
        {"username": outsider.username, "role": Role.DISPATCHER},
        content_type="application/json",
    )
    assert by_username.status_code == 400 and "email" in by_username.json()
    assert not outsider.memberships.filter(agency=world.a.agency).exists()
    listed = client.get(reverse("invitation-list")).json()
    assert {row["email"] for row in listed["results"]} == {outsider.email, "nobody-yet@example.com"}


def test_inviting_the_same_address_again_renews_the_open_invitation(
    world, django_capture_on_commit_callbacks
):
    first = _invite(world, django_capture_on_commit_callbacks, email="Twice@example.com")
    second = _invite(
        world, django_capture_on_commit_callbacks, email="twice@example.com", role=Role.FINANCE
    )
    assert first.pk == second.pk and second.role == Role.FINANCE
    assert len(mail.outbox) == 2


def test_another_agencys_branch_is_refused_in_the_service_the_page_and_the_api(world, client_for):
    with pytest.raises(ValidationError):
        services.member_invite(
            agency=world.a.agency,
            actor=_manager(world),
            site=SITE,
            email="zhao@example.com",
            role=Role.STAFF,
            branch=world.b.branch,
        )
    client = client_for(world.a.user(Role.MANAGER))
    page = client.post(
        reverse("member_invite"),
        {"email": "zhao@example.com", "role": Role.STAFF, "branch": world.b.branch.pk},
    )
    assert page.status_code == 200 and "branch" in page.context["form"].errors
    api = client.post(
        reverse("membership-list"),
        {"email": "zhao@example.com", "role": Role.STAFF, "branch": world.b.branch.pk},
        content_type="application/json",
    )
    assert api.status_code == 400 and "branch" in api.json()
    assert not Invitation.objects.exists()


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
