"""The remedies on the complaint page and finance's compensation list (issue 19)."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agency.models import Role
from complaints.models import Compensation, CompensationStatus, Payer, Solution, SolutionStatus
from tests.factories import (
    CompensationFactory,
    ComplaintFactory,
    InspectionVisitFactory,
    SolutionFactory,
)
from tests.uploads import photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(world):
    return ComplaintFactory(
        agency=world.a.agency, branch=world.a.branch, tier="hard", status="responding"
    )


def test_the_page_offers_a_solution_once_and_the_customer_agrees(world, client_for, complaint):
    client = client_for(world.a.user(Role.DISPATCHER))
    key = str(uuid.uuid4())
    offer = {"kind": "apology", "description": "当面道歉", "submission_key": key}
    address = reverse("solution_offer", args=[complaint.pk])
    assert client.post(address, offer).status_code == 302
    assert client.post(address, offer).status_code == 302  # the double click
    solution = Solution.objects.get(complaint=complaint)

    client.post(reverse("solution_agree", args=[solution.pk]))

    solution.refresh_from_db()
    assert solution.status == SolutionStatus.AGREED
    page = client.get(reverse("complaint_detail", args=[complaint.pk]))
    assert "当面道歉" in page.content.decode()


def test_a_refused_offer_comes_back_on_the_page_with_the_error(world, client_for, complaint):
    client = client_for(world.a.user(Role.DISPATCHER))
    answer = client.post(
        reverse("solution_offer", args=[complaint.pk]),
        {"kind": "partial_refund", "description": "退款", "submission_key": str(uuid.uuid4())},
    )
    assert answer.status_code == 400
    assert answer.context["offer_form"].errors["amount"]


def test_a_supervisor_cannot_approve_over_the_limit_on_the_page(world, client_for, complaint):
    compensation = CompensationFactory(
        agency=world.a.agency, complaint=complaint, amount=Decimal("800.00")
    )
    client = client_for(world.a.user(Role.SUPERVISOR))
    client.post(reverse("compensation_decide", args=[compensation.pk]), {"approve": "1"})
    compensation.refresh_from_db()
    assert compensation.status == CompensationStatus.PROPOSED
    client_for(world.a.user(Role.MANAGER)).post(
        reverse("compensation_decide", args=[compensation.pk]), {"approve": "1"}
    )
    compensation.refresh_from_db()
    assert compensation.status == CompensationStatus.APPROVED


def test_finance_pays_out_from_its_list(world, client_for, complaint):
    compensation = CompensationFactory(
        agency=world.a.agency, complaint=complaint, status=CompensationStatus.APPROVED
    )
    client = client_for(world.a.user(Role.FINANCE))
    client.post(
        reverse("compensation_pay", args=[compensation.pk]),
        {"method": "bank_transfer", "reference": "TX-1"},
    )
    compensation.refresh_from_db()
    assert compensation.status == CompensationStatus.PAID and compensation.reference == "TX-1"


def test_the_compensation_list_costs_the_same_for_many(
    world, client_for, complaint, django_assert_num_queries
):
    client = client_for(world.a.user(Role.FINANCE))
    CompensationFactory.create_batch(3, agency=world.a.agency, complaint=complaint)
    CompensationFactory(agency=world.b.agency)
    client.get(reverse("compensation_list"))  # warm the session and membership caches
    # session, user, membership with its agency, the count, the unread notices (the top
    # bar), the page's rows with their complaint, staff and deciders, the approval limit
    with django_assert_num_queries(7) as few:
        client.get(reverse("compensation_list"))
    CompensationFactory.create_batch(5, agency=world.a.agency, payer=Payer.AGENCY)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(reverse("compensation_list"))
    assert len(page.context["compensations"]) == 8


def test_the_detail_page_with_remedies_costs_the_same_for_many(
    world, client_for, complaint, django_assert_num_queries
):
    client = client_for(world.a.user(Role.MANAGER))
    SolutionFactory(agency=world.a.agency, complaint=complaint)
    CompensationFactory(agency=world.a.agency, complaint=complaint)
    address = reverse("complaint_detail", args=[complaint.pk])
    client.get(address)
    with CaptureQueriesContext(connection) as before:
        client.get(address)
    SolutionFactory.create_batch(3, agency=world.a.agency, complaint=complaint)
    CompensationFactory.create_batch(3, agency=world.a.agency, complaint=complaint)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(address)


def test_an_inspection_is_scheduled_and_recorded_with_a_photo_on_the_page(
    world, client_for, complaint
):
    client = client_for(world.a.user(Role.SUPERVISOR))
    client.post(
        reverse("inspection_schedule", args=[complaint.pk]),
        {
            "scheduled_for": "2026-12-10",
            "inspector": world.a.user(Role.SUPERVISOR).pk,
            "submission_key": str(uuid.uuid4()),
        },
    )
    visit = complaint.inspection_visits.get()
    client.post(
        reverse("inspection_record", args=[visit.pk]),
        {"findings": "地板已修复", "photos": [photo("floor.png")]},
    )
    visit.refresh_from_db()
    assert visit.findings == "地板已修复" and visit.photos.count() == 1


def test_another_agencys_remedies_answer_404(world, client_for):
    theirs = CompensationFactory(agency=world.b.agency)
    client = client_for(world.a.user(Role.MANAGER))
    answer = client.post(reverse("compensation_decide", args=[theirs.pk]), {"approve": "1"})
    assert answer.status_code == 404
    assert Compensation.objects.get(pk=theirs.pk).status == CompensationStatus.PROPOSED


def test_an_overdue_inspection_visit_is_flagged_on_the_desk(world, client_for, complaint):
    InspectionVisitFactory(
        agency=world.a.agency,
        complaint=complaint,
        scheduled_for=timezone.localdate() - timedelta(days=1),
    )
    later = ComplaintFactory(agency=world.a.agency, branch=world.a.branch, tier="hard")
    InspectionVisitFactory(agency=world.a.agency, complaint=later)
    page = client_for(world.a.user(Role.DISPATCHER)).get(reverse("complaint_desk"))
    assert page.content.decode().count("inspection-overdue") == 1
