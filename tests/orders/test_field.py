"""Field staff: only their own jobs; the customer's address and phone only inside the window."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from agency.models import AuditLog, Role
from orders.models import AssignmentStatus
from staff.models import StaffMember
from tests.factories import (
    AssignmentFactory,
    CertificateFactory,
    StaffMemberFactory,
    TrainingFactory,
)


def _job(world, *, starts_in=timedelta(days=2), status=AssignmentStatus.CONFIRMED):
    user = world.a.user(Role.STAFF)
    staff = StaffMember.objects.filter(user=user).first() or StaffMemberFactory(
        agency=world.a.agency, user=user
    )
    return AssignmentFactory(
        agency=world.a.agency,
        staff=staff,
        status=status,
        order__starts_at=timezone.now() + starts_in,
    )


def test_staff_see_their_own_jobs_today_and_this_week_only(world, client_for):
    mine_today = _job(world, starts_in=timedelta(hours=2))
    mine_later = _job(world, starts_in=timedelta(days=3))
    someone_else = AssignmentFactory(agency=world.a.agency, status=AssignmentStatus.CONFIRMED)
    page = client_for(world.a.user(Role.STAFF)).get(reverse("my_jobs"))
    assert [a.pk for a in page.context["today_jobs"]] == [mine_today.pk]
    assert [a.pk for a in page.context["later_jobs"]] == [mine_later.pk]
    client = client_for(world.a.user(Role.STAFF))
    assert client.get(reverse("my_job", kwargs={"pk": someone_else.pk})).status_code == 404


def test_office_roles_do_not_use_the_field_pages(world, client_for):
    assert client_for(world.a.user(Role.DISPATCHER)).get(reverse("my_jobs")).status_code == 403


def test_the_address_is_masked_until_the_window_opens_then_revealed_and_audited(world, client_for):
    assignment = _job(world, starts_in=timedelta(hours=30))
    order = assignment.order
    client = client_for(world.a.user(Role.STAFF))
    url = reverse("my_job", kwargs={"pk": assignment.pk})
    reveal = reverse("my_job_reveal", kwargs={"pk": assignment.pk})

    page = client.get(url).content.decode()
    assert order.needs_form.address.detail not in page
    assert client.post(reveal, {"field": "address"}).status_code == 403
    assert not AuditLog.objects.filter(action="customer.reveal_address").exists()

    with time_machine.travel(order.starts_at - timedelta(hours=23)):
        client = client_for(world.a.user(Role.STAFF))
        assert client.get(url).context["contact_open"] is True
        shown = client.post(reveal, {"field": "address"}).content.decode()
        assert order.needs_form.address.detail in shown
        assert (
            client.post(reveal, {"field": "phone"}).content.decode().count(order.customer.phone)
            == 1
        )
    assert (
        AuditLog.objects.filter(
            action="customer.reveal_address", actor=world.a.user(Role.STAFF)
        ).count()
        == 1
    )

    with time_machine.travel(order.ends_at + timedelta(minutes=1)):
        client = client_for(world.a.user(Role.STAFF))
        assert client.post(reveal, {"field": "address"}).status_code == 403


def test_the_window_is_the_agencys_setting(world, client_for):
    world.a.agency.address_reveal_hours = 48
    world.a.agency.save()
    assignment = _job(world, starts_in=timedelta(hours=30))
    client = client_for(world.a.user(Role.STAFF))
    assert (
        client.get(reverse("my_job", kwargs={"pk": assignment.pk})).context["contact_open"] is True
    )


def test_a_proposed_job_is_shown_but_not_its_address(world, client_for):
    assignment = _job(world, starts_in=timedelta(hours=2), status=AssignmentStatus.PROPOSED)
    client = client_for(world.a.user(Role.STAFF))
    page = client.get(reverse("my_job", kwargs={"pk": assignment.pk}))
    assert page.status_code == 200 and page.context["contact_open"] is False
    reveal = reverse("my_job_reveal", kwargs={"pk": assignment.pk})
    assert client.post(reveal, {"field": "address"}).status_code == 403


def test_my_records_show_certificates_and_the_training_target(world, client_for):
    assignment = _job(world)
    CertificateFactory(
        agency=world.a.agency,
        staff=assignment.staff,
        expires_on=timezone.localdate() + timedelta(days=10),
    )
    TrainingFactory(agency=world.a.agency, staff=assignment.staff)
    page = client_for(world.a.user(Role.STAFF)).get(reverse("my_records"))
    assert page.context["trainings_this_year"] == 1
    assert "badge-warn" in page.content.decode()


def test_my_records_measure_trainings_against_the_agencys_own_target(world, client_for):
    assignment = _job(world)
    world.a.agency.trainings_per_year = 1
    world.a.agency.save(update_fields=["trainings_per_year"])
    TrainingFactory(agency=world.a.agency, staff=assignment.staff)
    page = client_for(world.a.user(Role.STAFF)).get(reverse("my_records"))
    assert page.context["training_target"] == 1
    assert "badge-warn" not in page.content.decode()
