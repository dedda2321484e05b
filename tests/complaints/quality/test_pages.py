"""The quality overview and the risk register pages."""

from datetime import date

from django.urls import reverse

from agency.models import Role
from complaints.models import RiskDocument
from complaints.quality import services
from complaints.quality.services import RiskPlan, Scoring


def test_the_overview_shows_progress_and_results(
    world,
    client_for,
    supervisor,
    job,
    staff,
    checklist,
    scores,
    plan,
    django_assert_max_num_queries,
):
    services.inspection_record(
        agency=world.a.agency,
        actor=supervisor,
        scoring=Scoring(
            order=job, staff=staff, checklist=checklist, scores=scores(5, 5, 5), plan=plan
        ),
    )
    client = client_for(world.a.user(Role.SUPERVISOR))

    page = client.get(reverse("quality"))

    assert page.status_code == 200
    text = page.content.decode()
    assert "1 / 2" in text
    assert "王秀英" in text and "60.00%" in text


def test_a_manager_adds_a_plan_and_the_overdue_one_comes_first(world, client_for, manager):
    services.risk_document_save(
        agency=world.a.agency,
        actor=manager,
        plan=RiskPlan(
            kind="fire",
            title="火灾应急预案",
            owner=world.a.user(Role.MANAGER),
            review_by=date(2026, 12, 1),
            plan_text="拨打119。",
        ),
    )
    client = client_for(world.a.user(Role.MANAGER))
    saved = client.post(
        reverse("risk_register"),
        {
            "kind": "customer_illness",
            "title": "客户突发疾病",
            "plan_text": "拨打120。",
            "owner": world.a.user(Role.SUPERVISOR).pk,
            "review_by": "2027-02-01",
        },
    )
    assert saved.status_code == 302
    page = client.get(reverse("risk_register")).content.decode()
    assert page.index("火灾应急预案") < page.index("客户突发疾病")
    assert "Review overdue" in page


def test_a_rejected_plan_keeps_the_form_with_its_error(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    page = client.post(
        reverse("risk_register"),
        {
            "kind": "fire",
            "title": "火灾",
            "owner": world.a.user(Role.MANAGER).pk,
            "review_by": "2027-02-01",
        },
    )
    assert page.status_code == 400
    assert "Write the plan or upload it as a PDF." in page.content.decode()


def test_a_dispatcher_reads_the_register_but_cannot_add(world, client_for):
    client = client_for(world.a.user(Role.DISPATCHER))
    assert client.get(reverse("risk_register")).status_code == 200
    client.post(
        reverse("risk_register"),
        {
            "kind": "fire",
            "title": "火灾",
            "plan_text": "x",
            "owner": world.a.user(Role.DISPATCHER).pk,
            "review_by": "2027-02-01",
        },
    )
    assert not RiskDocument.objects.exists()
