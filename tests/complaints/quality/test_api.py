"""The quality and risk API: 201s, 400s with the field, 404 for another agency, roles, and
constant queries on the lists."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agency.models import Role
from complaints.models import Inspection
from complaints.quality import services
from complaints.quality.services import RiskPlan
from tests.uploads import pdf


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def inspection_body(job, staff, checklist, values, **extra):
    return {
        "order": job.pk,
        "staff": staff.pk,
        "checklist": checklist.pk,
        "scores": [{"item": item, "score": score} for item, score in values.items()],
        **extra,
    }


def test_an_inspection_is_recorded_and_read_back(world, job, staff, checklist, scores, plan):
    client = api(world.a.user(Role.SUPERVISOR))
    body = inspection_body(job, staff, checklist, scores(10, 5, 5), plan=plan.pk, notes="好")

    created = client.post(reverse("inspection-list"), body, format="json")

    assert created.status_code == 201, created.content
    assert created.json()["percent"] == "80.00"
    assert [s["score"] for s in created.json()["scores"]] == [10, 5, 5]
    plans = client.get(reverse("inspectionplan-list")).json()["results"]
    assert (plans[0]["done"], plans[0]["due"]) == (1, 1)


def test_a_score_beyond_the_maximum_is_a_400_naming_the_item(world, job, staff, checklist, scores):
    client = api(world.a.user(Role.SUPERVISOR))

    refused = client.post(
        reverse("inspection-list"),
        inspection_body(job, staff, checklist, scores(10, 5, 6)),
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json()["scores"] == ["服务态度: the score must be from 0 to 5."]
    assert not Inspection.objects.exists()


def test_another_agencys_job_is_a_400_and_its_inspection_a_404(
    world, job, staff, checklist, scores
):
    outsider = api(world.b.user(Role.SUPERVISOR))
    refused = outsider.post(
        reverse("inspection-list"),
        inspection_body(job, staff, checklist, scores(1, 1, 1)),
        format="json",
    )
    assert refused.status_code == 400
    assert {"order", "staff", "checklist"} <= set(refused.json())

    created = api(world.a.user(Role.SUPERVISOR)).post(
        reverse("inspection-list"),
        inspection_body(job, staff, checklist, scores(1, 1, 1)),
        format="json",
    )
    address = reverse("inspection-detail", kwargs={"pk": created.json()["id"]})
    assert outsider.get(address).status_code == 404


def test_a_dispatcher_cannot_read_inspections(world):
    assert api(world.a.user(Role.DISPATCHER)).get(reverse("inspection-list")).status_code == 403


def test_inspection_list_queries_are_constant(
    world, supervisor, job, staff, checklist, scores, django_assert_num_queries
):
    for _ in range(4):
        services.inspection_record(
            agency=world.a.agency,
            actor=supervisor,
            scoring=services.Scoring(
                order=job, staff=staff, checklist=checklist, scores=scores(1, 2, 3)
            ),
        )
    client = api(world.a.user(Role.SUPERVISOR))
    # the membership with its agency, the count, the page of rows with their relations
    with django_assert_num_queries(3):
        assert len(client.get(reverse("inspection-list")).json()["results"]) == 4


def test_a_checklist_is_created_with_its_items(world):
    client = api(world.a.user(Role.SUPERVISOR))
    created = client.post(
        reverse("checklist-list"),
        {"name": "月嫂质检表", "items": [{"label": "母婴护理", "max_score": 20}]},
        format="json",
    )
    assert created.status_code == 201, created.content
    refused = client.post(
        reverse("checklist-list"),
        {"name": "空表", "items": [{"label": "x", "max_score": 0}]},
        format="json",
    )
    assert refused.status_code == 400


def test_the_office_reads_the_register_and_only_the_manager_writes_it(world):
    body = {
        "kind": "theft_accusation",
        "title": "被指控盗窃应急预案",
        "owner": world.a.user(Role.MANAGER).pk,
        "review_by": "2027-01-31",
        "plan_text": "保持冷静，立即联系主管。",
    }
    dispatcher = api(world.a.user(Role.DISPATCHER))
    assert dispatcher.post(reverse("riskdocument-list"), body, format="json").status_code == 403

    manager = api(world.a.user(Role.MANAGER))
    created = manager.post(reverse("riskdocument-list"), body, format="json")
    assert created.status_code == 201, created.content
    assert (
        dispatcher.get(reverse("riskdocument-list")).json()["results"][0]["title"] == body["title"]
    )

    address = reverse("riskdocument-detail", kwargs={"pk": created.json()["id"]})
    revised = manager.put(address, {**body, "review_by": "2027-07-31"}, format="json")
    assert revised.status_code == 200
    assert revised.json()["review_by"] == "2027-07-31"
    assert api(world.b.user(Role.MANAGER)).put(address, body, format="json").status_code == 404


def test_a_plan_without_text_or_pdf_is_a_400_and_a_pdf_is_accepted(world):
    manager = api(world.a.user(Role.MANAGER))
    body = {
        "kind": "data_leak",
        "title": "客户信息泄露应急预案",
        "owner": world.a.user(Role.MANAGER).pk,
        "review_by": "2027-01-31",
    }
    refused = manager.post(reverse("riskdocument-list"), body, format="json")
    assert refused.status_code == 400
    assert "plan_text" in refused.json()

    created = manager.post(
        reverse("riskdocument-list"), {**body, "file": pdf()}, format="multipart"
    )
    assert created.status_code == 201, created.content
    assert created.json()["file"]


@pytest.mark.parametrize("count", [1, 3])
def test_register_list_queries_are_constant(world, manager, count, django_assert_num_queries):
    for n in range(count):
        services.risk_document_save(
            agency=world.a.agency,
            actor=manager,
            plan=RiskPlan(
                kind="other",
                title=f"预案{n}",
                owner=world.a.user(Role.MANAGER),
                review_by=date(2027, 1, 1),
                plan_text="……",
            ),
        )
    client = api(world.a.user(Role.DISPATCHER))
    # the membership with its agency, the count, the page of rows with their owners
    with django_assert_num_queries(3):
        client.get(reverse("riskdocument-list"))
