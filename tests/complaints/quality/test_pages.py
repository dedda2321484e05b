"""The quality overview and the risk register pages."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
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
    refused = client.post(
        reverse("risk_register"),
        {
            "kind": "fire",
            "title": "火灾",
            "plan_text": "x",
            "owner": world.a.user(Role.DISPATCHER).pk,
            "review_by": "2027-02-01",
        },
    )
    assert refused.status_code == 403
    assert not RiskDocument.objects.exists()


def _page_queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(name)).status_code == 200
    return len(captured)


def test_the_pages_queries_do_not_grow_with_their_rows(
    world, client_for, supervisor, manager, job, staff, checklist, scores, plan
):
    def add(n: int) -> None:
        services.inspection_record(
            agency=world.a.agency,
            actor=supervisor,
            scoring=Scoring(
                order=job, staff=staff, checklist=checklist, scores=scores(1, 2, 3), plan=plan
            ),
        )
        services.risk_document_save(
            agency=world.a.agency,
            actor=manager,
            plan=RiskPlan(
                kind="other",
                title=f"预案{n}",
                owner=world.a.user(Role.SUPERVISOR),
                review_by=date(2026, 12, n + 1),
                plan_text="……",
            ),
        )

    client = client_for(world.a.user(Role.MANAGER))
    add(0)
    first = {name: _page_queries(client, name) for name in ("quality", "risk_register")}
    for n in range(1, 4):
        add(n)
    assert {name: _page_queries(client, name) for name in ("quality", "risk_register")} == first
