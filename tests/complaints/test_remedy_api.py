"""The remedies' API (issue 19): idempotent creates, tenant guards, roles, constant lists."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agency.models import Role
from complaints.models import Compensation, CompensationStatus, Solution
from tests.factories import CompensationFactory, ComplaintFactory, InspectionVisitFactory
from tests.uploads import photo

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.fixture
def complaint(world):
    return ComplaintFactory(
        agency=world.a.agency, branch=world.a.branch, tier="hard", status="responding"
    )


def test_a_compensation_posted_twice_with_one_key_is_proposed_once(world, complaint):
    client = api(world.a.user(Role.DISPATCHER))
    body = {"complaint": complaint.pk, "item": "电视机", "amount": "650.00", "payer": "agency"}
    key = str(uuid.uuid4())
    first = client.post(reverse("compensation-list"), body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = client.post(reverse("compensation-list"), body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Compensation.objects.count() == 1
    assert first.json()["status"] == CompensationStatus.PROPOSED


def test_another_agencys_complaint_or_compensation_is_not_found(world, complaint):
    theirs = ComplaintFactory(agency=world.b.agency)
    client = api(world.a.user(Role.MANAGER))
    answer = client.post(
        reverse("solution-list"),
        {"complaint": theirs.pk, "kind": "apology", "description": "道歉"},
        format="json",
    )
    assert answer.status_code == 400 and "complaint" in answer.json()
    assert not Solution.objects.exists()
    foreign = CompensationFactory(agency=world.b.agency)
    assert client.get(reverse("compensation-detail", args=[foreign.pk])).status_code == 404
    decide = reverse("compensation-decide", args=[foreign.pk])
    assert client.post(decide, {"approve": True}, format="json").status_code == 404


def test_over_the_limit_a_supervisor_is_refused_and_a_manager_approves(world, complaint):
    compensation = CompensationFactory(
        agency=world.a.agency, complaint=complaint, amount=Decimal("501.00")
    )
    decide = reverse("compensation-decide", args=[compensation.pk])
    refused = api(world.a.user(Role.SUPERVISOR)).post(decide, {"approve": True}, format="json")
    assert refused.status_code == 403
    approved = api(world.a.user(Role.MANAGER)).post(decide, {"approve": True}, format="json")
    assert approved.json()["status"] == CompensationStatus.APPROVED
    pay = reverse("compensationpayout-pay", args=[compensation.pk])
    paid = api(world.a.user(Role.FINANCE)).post(pay, {"method": "alipay"}, format="json")
    assert paid.json()["status"] == CompensationStatus.PAID


def test_the_compensation_list_costs_the_same_for_many(world, complaint, django_assert_num_queries):
    client = api(world.a.user(Role.FINANCE))
    CompensationFactory(agency=world.a.agency, complaint=complaint)
    address = reverse("compensationpayout-list")
    client.get(address)
    # membership with its agency, the count, the page's rows with their relations
    with django_assert_num_queries(3):
        client.get(address)
    CompensationFactory.create_batch(4, agency=world.a.agency, complaint=complaint)
    with django_assert_num_queries(3):
        assert client.get(address).json()["count"] == 5


def test_an_inspection_visit_is_recorded_with_photos(world, complaint):
    visit = InspectionVisitFactory(agency=world.a.agency, complaint=complaint)
    client = api(world.a.user(Role.SUPERVISOR))
    answer = client.post(
        reverse("inspectionvisit-record", args=[visit.pk]),
        {"findings": "已复查，无遗留问题", "photos": [photo("after.png")]},
        format="multipart",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["recorded_at"] and len(answer.json()["photos"]) == 1


def test_the_approval_limit_is_read_by_the_office_and_set_by_a_manager(world):
    address = reverse("api_remedy_policy")
    assert api(world.a.user(Role.SUPERVISOR)).get(address).json() == {"approval_limit": "500.00"}
    refused = api(world.a.user(Role.SUPERVISOR)).patch(address, {"approval_limit": "900"})
    assert refused.status_code == 403
    manager = api(world.a.user(Role.MANAGER))
    assert manager.patch(address, {"approval_limit": "-1"}, format="json").status_code == 400
    changed = manager.patch(address, {"approval_limit": "900.00"}, format="json")
    assert changed.json() == {"approval_limit": "900.00"}
    assert api(world.b.user(Role.MANAGER)).get(address).json() == {"approval_limit": "500.00"}
