"""The rewards and penalties pages and API: the list and its filters, the supervisor's
proposal, the manager's buttons, finance's correction of a paid statement; roles,
isolation and the cost of the lists."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agency.models import Role
from payroll.models import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentStatus,
    PayAdjustment,
    StatementStatus,
)
from tests.factories import PayAdjustmentFactory, PayStatementFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db
LIST = "/payroll/adjustments/"
API = "/api/pay-adjustments/"


def _rows(agency, count):
    for _ in range(count):
        PayAdjustmentFactory(agency=agency, proposed_by=None)


def _same_cost(client, url, agency, django_assert_num_queries):
    """The list costs the same for 2 rows as for 5."""
    _rows(agency, 2)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    _rows(agency, 3)
    with django_assert_num_queries(len(two.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    return response


# --- the list ---------------------------------------------------------------------------


def test_the_list_costs_the_same_for_more_rows(world, client_for, django_assert_num_queries):
    client = client_for(world.a.user(Role.MANAGER))
    response = _same_cost(client, LIST, world.a.agency, django_assert_num_queries)
    assert len(response.context["object_list"]) == 5
    assert "顾客来信表扬" in response.content.decode()


def test_the_list_filters_by_status_kind_and_staff(world, client_for):
    agency = world.a.agency
    staff = StaffMemberFactory(agency=agency)
    mine = PayAdjustmentFactory(agency=agency, staff=staff)
    PayAdjustmentFactory(agency=agency, status=AdjustmentStatus.APPROVED)
    PayAdjustmentFactory(
        agency=agency, kind=AdjustmentKind.PENALTY, reason="complaint", amount=Decimal("-5")
    )
    PayAdjustmentFactory(agency=world.b.agency)
    client = client_for(world.a.user(Role.SUPERVISOR))

    def listed(query):
        return {row.pk for row in client.get(LIST, query).context["object_list"]}

    assert len(listed({})) == 3
    assert listed({"staff": staff.pk}) == {mine.pk}
    assert len(listed({"status": "approved"})) == 1
    assert len(listed({"kind": "penalty"})) == 1


def test_the_manager_sees_the_buttons_the_supervisor_does_not(world, client_for):
    adjustment = PayAdjustmentFactory(agency=world.a.agency)
    approve = reverse("pay_adjustment_approve", args=[adjustment.pk])
    assert approve in client_for(world.a.user(Role.MANAGER)).get(LIST).content.decode()
    assert approve not in client_for(world.a.user(Role.SUPERVISOR)).get(LIST).content.decode()


def test_the_navigation_leads_to_the_list(world, client_for):
    page = client_for(world.a.user(Role.SUPERVISOR)).get(reverse("home")).content.decode()
    assert f'href="{LIST}"' in page


# --- proposing on the page --------------------------------------------------------------


def test_a_supervisor_proposes_on_the_page_once(world, client_for):
    staff = StaffMemberFactory(agency=world.a.agency)
    client = client_for(world.a.user(Role.SUPERVISOR))
    form = {
        "staff": staff.pk,
        "kind": AdjustmentKind.PENALTY,
        "reason": AdjustmentReason.UNDER_COLLECTED,
        "amount": "45.5",
        "note": "漏收顾客尾款",
        "submission_key": str(uuid.uuid4()),
    }
    response = client.post(reverse("pay_adjustment_propose"), form)
    assert response.status_code == 302
    again = client.post(reverse("pay_adjustment_propose"), form)
    assert again.status_code == 302
    adjustment = PayAdjustment.objects.get()
    assert adjustment.amount == Decimal("-45.50") and adjustment.staff == staff
    assert adjustment.proposed_by == world.a.user(Role.SUPERVISOR)


def test_the_proposal_form_keeps_what_was_typed_and_says_what_is_wrong(world, client_for):
    staff = StaffMemberFactory(agency=world.a.agency)
    response = client_for(world.a.user(Role.SUPERVISOR)).post(
        reverse("pay_adjustment_propose"),
        {
            "staff": staff.pk,
            "kind": AdjustmentKind.REWARD,
            "reason": AdjustmentReason.NO_SHOW,
            "amount": "20",
            "note": "表现好",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert "表现好" in response.content.decode()
    assert not PayAdjustment.objects.exists()


def test_the_proposal_form_offers_only_the_agencys_staff(world, client_for):
    theirs = StaffMemberFactory(agency=world.b.agency)
    response = client_for(world.a.user(Role.SUPERVISOR)).post(
        reverse("pay_adjustment_propose"),
        {
            "staff": theirs.pk,
            "kind": AdjustmentKind.REWARD,
            "reason": AdjustmentReason.PRAISE,
            "amount": "20",
            "note": "x",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 400 and "staff" in response.context["form"].errors


# --- the manager's buttons --------------------------------------------------------------


def test_the_manager_approves_and_rejects_from_the_list(world, client_for):
    first = PayAdjustmentFactory(agency=world.a.agency)
    second = PayAdjustmentFactory(agency=world.a.agency)
    client = client_for(world.a.user(Role.MANAGER))
    response = client.post(reverse("pay_adjustment_approve", args=[first.pk]), {"next": LIST})
    assert response.status_code == 302 and response["Location"] == LIST
    first.refresh_from_db()
    assert first.status == AdjustmentStatus.APPROVED

    client.post(reverse("pay_adjustment_reject", args=[second.pk]), {"note": ""})
    second.refresh_from_db()
    assert second.status == AdjustmentStatus.PROPOSED  # a rejection says why
    client.post(reverse("pay_adjustment_reject", args=[second.pk]), {"note": "重复申报"})
    second.refresh_from_db()
    assert second.status == AdjustmentStatus.REJECTED and second.decision_note == "重复申报"

    twice = client.post(reverse("pay_adjustment_approve", args=[first.pk]), follow=True)
    refusal = list(twice.context["messages"])[-1]
    assert refusal.level_tag == "error" and "此项已处理" in str(refusal)  # the agency's language


def test_a_supervisor_cannot_press_the_managers_button(world, client_for):
    adjustment = PayAdjustmentFactory(agency=world.a.agency)
    response = client_for(world.a.user(Role.SUPERVISOR)).post(
        reverse("pay_adjustment_approve", args=[adjustment.pk])
    )
    assert response.status_code == 403
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.PROPOSED


# --- the correction page ----------------------------------------------------------------


def _paid(agency):
    return PayStatementFactory(
        agency=agency, status=StatementStatus.PAID, paid_at=timezone.now(), net=Decimal("900")
    )


def test_finance_corrects_a_paid_statement(world, client_for):
    statement = _paid(world.a.agency)
    client = client_for(world.a.user(Role.FINANCE))
    url = reverse("pay_statement_correct", args=[statement.pk])
    assert url == f"/payroll/statements/{statement.pk}/correct/"
    page = client.get(url)
    assert page.status_code == 200 and page.context["paid"]
    response = client.post(
        url,
        {"amount": "-12.30", "note": "多算一小时", "submission_key": str(uuid.uuid4())},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    correction = PayAdjustment.objects.get()
    assert (correction.kind, correction.amount, correction.corrects) == (
        AdjustmentKind.CORRECTION,
        Decimal("-12.30"),
        statement,
    )
    assert correction in response.context["corrections"]
    statement.refresh_from_db()
    assert statement.status == StatementStatus.PAID and statement.net == Decimal("900.00")


def test_an_unpaid_statement_is_not_corrected(world, client_for):
    statement = PayStatementFactory(agency=world.a.agency)
    client = client_for(world.a.user(Role.FINANCE))
    url = reverse("pay_statement_correct", args=[statement.pk])
    assert not client.get(url).context["paid"]
    response = client.post(url, {"amount": "10", "note": "x", "submission_key": str(uuid.uuid4())})
    assert response.status_code == 400
    assert "corrects" not in response.context["form"].fields  # shown above the form
    assert response.context["form"].non_field_errors()
    assert not PayAdjustment.objects.exists()


def test_the_correction_page_is_finances_and_its_agencys(world, client_for):
    ours, theirs = _paid(world.a.agency), _paid(world.b.agency)
    url = reverse("pay_statement_correct", args=[ours.pk])
    assert client_for(world.a.user(Role.SUPERVISOR)).get(url).status_code == 403
    finance = client_for(world.a.user(Role.FINANCE))
    assert finance.get(reverse("pay_statement_correct", args=[theirs.pk])).status_code == 404


# --- the API ----------------------------------------------------------------------------


def test_the_api_list_costs_the_same_for_more_rows(world, client_for, django_assert_num_queries):
    client = client_for(world.a.user(Role.SUPERVISOR))
    response = _same_cost(client, API, world.a.agency, django_assert_num_queries)
    assert response.json()["count"] == 5


def test_the_api_filters(world, client_for):
    PayAdjustmentFactory(agency=world.a.agency)
    PayAdjustmentFactory(agency=world.a.agency, status=AdjustmentStatus.REJECTED)
    client = client_for(world.a.user(Role.MANAGER))
    rows = client.get(API, {"status": "rejected"}).json()["results"]
    assert [row["status"] for row in rows] == ["rejected"]


def test_the_api_proposes_once_per_idempotency_key(world, client_for):
    staff = StaffMemberFactory(agency=world.a.agency)
    client = client_for(world.a.user(Role.SUPERVISOR))
    body = {
        "staff": staff.pk,
        "kind": "deduction",
        "reason": "other",
        "amount": "15",
        "note": "工服",
    }
    key = str(uuid.uuid4())
    first = client.post(API, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201 and first.json()["amount"] == "-15.00"
    again = client.post(API, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert PayAdjustment.objects.count() == 1


def test_the_api_refuses_bad_input_by_field(world, client_for):
    staff = StaffMemberFactory(agency=world.a.agency)
    client = client_for(world.a.user(Role.SUPERVISOR))
    body = {"staff": staff.pk, "kind": "reward", "reason": "praise", "amount": "-1", "note": "x"}
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 400 and "amount" in response.json()
    theirs = StaffMemberFactory(agency=world.b.agency)
    response = client.post(
        API, {**body, "staff": theirs.pk, "amount": "1"}, content_type="application/json"
    )
    assert response.status_code == 400 and "staff" in response.json()


def test_the_api_approves_once_and_only_for_a_manager(world, client_for):
    adjustment = PayAdjustmentFactory(agency=world.a.agency)
    approve = f"{API}{adjustment.pk}/approve/"
    supervisor = client_for(world.a.user(Role.SUPERVISOR))
    assert supervisor.post(approve, {}, content_type="application/json").status_code == 403
    manager = client_for(world.a.user(Role.MANAGER))
    response = manager.post(approve, {"note": "好"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert manager.post(approve, {}, content_type="application/json").status_code == 409


def test_the_api_rejection_needs_a_note(world, client_for):
    adjustment = PayAdjustmentFactory(agency=world.a.agency)
    reject = f"{API}{adjustment.pk}/reject/"
    manager = client_for(world.a.user(Role.MANAGER))
    response = manager.post(reject, {}, content_type="application/json")
    assert response.status_code == 400 and "note" in response.json()
    response = manager.post(reject, {"note": "不符合规定"}, content_type="application/json")
    assert response.json()["status"] == "rejected"


def test_the_api_is_closed_to_other_roles_and_agencies(world, client_for):
    theirs = PayAdjustmentFactory(agency=world.b.agency)
    assert client_for(world.a.user(Role.FINANCE)).get(API).status_code == 403
    assert client_for(world.a.user(Role.STAFF)).get(API).status_code == 403
    manager = client_for(world.a.user(Role.MANAGER))
    assert manager.get(f"{API}{theirs.pk}/").status_code == 404
    assert (
        manager.post(f"{API}{theirs.pk}/approve/", {}, content_type="application/json").status_code
        == 404
    )


def test_the_schema_documents_the_endpoint(world, client_for):
    schema = client_for(world.a.user(Role.MANAGER)).get("/api/schema/?format=json").json()
    assert "/api/pay-adjustments/{id}/approve/" in schema["paths"]
    parameters = schema["paths"]["/api/pay-adjustments/"]["post"]["parameters"]
    assert "Idempotency-Key" in {parameter["name"] for parameter in parameters}
