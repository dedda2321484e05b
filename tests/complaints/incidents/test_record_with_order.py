"""The office records an incident against one of the agency's orders (issue 19)."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agency.audit import Actor
from agency.models import Role
from complaints.incidents import services
from complaints.models import Incident, IncidentKind
from orders.models import AssignmentRole, AssignmentStatus
from tests.factories import AssignmentFactory, BranchFactory, OrderFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


def _post(client, **data):
    values = {"kind": "damage", "note": "客户说花瓶碎了", "submission_key": str(uuid.uuid4())}
    return client.post(reverse("incident_new"), {**values, **data})


def test_an_order_number_gives_the_incident_its_order_branch_and_sole_staff(world, job, client_for):
    AssignmentFactory(  # released: no longer on the job
        agency=world.a.agency, order=job.order, status=AssignmentStatus.RELEASED
    )
    client = client_for(world.a.user(Role.DISPATCHER))

    answer = _post(client, order=f" {job.order.number} ")

    incident = Incident.objects.get()
    assert answer.status_code == 302
    assert answer.url == reverse("incident_detail", args=[incident.pk])
    assert (incident.order, incident.branch, incident.staff) == (
        job.order,
        job.order.branch,
        job.staff,
    )
    assert job.order.number in client.get(answer.url).content.decode()


def test_a_named_branch_stays_and_a_team_job_names_no_staff(world, job):
    other_branch = BranchFactory(agency=world.a.agency)
    AssignmentFactory(
        agency=world.a.agency,
        order=job.order,
        role=AssignmentRole.MEMBER,
        status=AssignmentStatus.CONFIRMED,
    )
    incident = services.incident_record(
        agency=world.a.agency,
        actor=Actor(user=world.a.user(Role.DISPATCHER)),
        kind=IncidentKind.DAMAGE,
        branch=other_branch,
        order=job.order,
        note="团队上门时打碎了杯子",
    )
    assert (incident.branch, incident.order, incident.staff) == (other_branch, job.order, None)


def test_another_agencys_order_number_is_a_form_error_and_nothing_is_written(world, client_for):
    theirs = OrderFactory(agency=world.b.agency, branch=world.b.branch)
    client = client_for(world.a.user(Role.DISPATCHER))

    answer = _post(client, order=theirs.number, branch=world.a.branch.pk)

    assert answer.status_code == 400
    assert answer.context["form"].errors["order"]
    assert answer.context["form"].errors["order"][0] in answer.content.decode()
    assert not Incident.objects.exists()


def test_an_unknown_number_is_a_form_error(world, client_for):
    answer = _post(client_for(world.a.user(Role.DISPATCHER)), order="2026-99999")
    assert answer.status_code == 400
    assert list(answer.context["form"].errors) == ["order"]
    assert not Incident.objects.exists()


def test_without_an_order_the_branch_is_required(world, client_for):
    client = client_for(world.a.user(Role.DISPATCHER))
    answer = _post(client)
    assert answer.status_code == 400
    assert list(answer.context["form"].errors) == ["branch"]
    assert _post(client, branch=world.a.branch.pk).status_code == 302
    incident = Incident.objects.get()
    assert (incident.branch, incident.order, incident.staff) == (world.a.branch, None, None)


def test_the_service_refuses_another_agencys_order(world):
    theirs = OrderFactory(agency=world.b.agency, branch=world.b.branch)
    StaffMemberFactory(agency=world.b.agency)
    with pytest.raises(ValidationError) as refused:
        services.incident_record(
            agency=world.a.agency,
            actor=Actor(user=world.a.user(Role.DISPATCHER)),
            kind=IncidentKind.DAMAGE,
            order=theirs,
            note="x",
        )
    assert set(refused.value.message_dict) == {"order", "branch"}
    assert not Incident.objects.exists()
