"""The office's quality forms: checklists, plans, recording an inspection, its page."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agency.audit import Actor
from agency.models import AuditLog, Role
from complaints.models import Checklist, ChecklistItem, Inspection, InspectionPlan
from complaints.quality import services
from complaints.quality.services import Scoring
from tests.factories import OrderFactory
from tests.uploads import photo, text_as


@pytest.fixture
def office(world, client_for):
    return client_for(world.a.user(Role.SUPERVISOR))


def score_data(checklist, *values, **extra):
    items = checklist.items.filter(is_active=True)
    return {
        **{f"score_{item.pk}": value for item, value in zip(items, values, strict=True)},
        **extra,
    }


# --- checklists -------------------------------------------------------------------------


def items_rows(*rows, blank=2):
    data = {"items-TOTAL_FORMS": len(rows) + blank, "items-INITIAL_FORMS": 0}
    for n, (label, max_score) in enumerate(rows):
        data[f"items-{n}-label"], data[f"items-{n}-max_score"] = label, max_score
    return data


def test_a_supervisor_adds_a_checklist_with_its_items(world, office):
    saved = office.post(
        reverse("quality_checklist_new"),
        {"name": "月嫂质检表", **items_rows(("母婴护理", 20), ("卫生", 10))},
    )

    assert saved.status_code == 302
    checklist = Checklist.objects.get(agency=world.a.agency, name="月嫂质检表")
    assert [(i.label, i.max_score) for i in checklist.items.all()] == [
        ("母婴护理", 20),
        ("卫生", 10),
    ]
    overview = office.get(reverse("quality")).content.decode()
    assert reverse("quality_checklist", args=[checklist.pk]) in overview


def test_a_checklist_without_items_or_with_a_score_too_high_is_refused(world, office):
    empty = office.post(reverse("quality_checklist_new"), {"name": "空表", **items_rows()})
    too_high = office.post(
        reverse("quality_checklist_new"), {"name": "高分", **items_rows(("卫生", 101))}
    )

    assert empty.status_code == 400
    assert "Add at least one item with its maximum score." in empty.content.decode()
    assert too_high.status_code == 400
    assert not Checklist.objects.filter(agency=world.a.agency).exists()


def test_editing_renames_adds_and_retires_and_past_scores_stay(
    world, office, supervisor, job, staff, checklist, scores
):
    inspection = services.inspection_record(
        agency=world.a.agency,
        actor=supervisor,
        scoring=Scoring(order=job, staff=staff, checklist=checklist, scores=scores(9, 8, 5)),
    )
    kitchen = checklist.items.get(label="厨房清洁")

    saved = office.post(
        reverse("quality_checklist", args=[checklist.pk]),
        {"name": "保洁质检表", "retire": [kitchen.pk], **items_rows(("窗户", 5))},
    )

    assert saved.status_code == 302
    checklist.refresh_from_db()
    assert checklist.name == "保洁质检表"
    in_use = ChecklistItem.objects.filter(checklist=checklist, is_active=True)
    assert sorted(in_use.values_list("label", flat=True)) == ["卫生间清洁", "服务态度", "窗户"]
    assert inspection.scores.get(item=kitchen).score == 9
    assert AuditLog.objects.filter(action="quality.checklist_update").count() == 1
    form = office.get(reverse("quality_inspection_new") + f"?checklist={checklist.pk}")
    assert "厨房清洁" not in form.content.decode()


def test_the_last_item_in_use_cannot_be_retired(world, office, checklist):
    every = list(checklist.items.values_list("pk", flat=True))

    refused = office.post(
        reverse("quality_checklist", args=[checklist.pk]),
        {"name": checklist.name, "retire": every, **items_rows()},
    )

    assert refused.status_code == 400
    assert "Keep at least one item in use." in refused.content.decode()
    assert checklist.items.filter(is_active=True).count() == 3


# --- plans ------------------------------------------------------------------------------


def test_a_supervisor_plans_a_month_for_a_branch(world, office, checklist):
    saved = office.post(
        reverse("quality_plan_new"),
        {
            "kind": "monthly",
            "starts_on": "2026-12-01",
            "checklist": checklist.pk,
            "jobs_planned": 4,
            "branch": world.a.branch.pk,
        },
    )

    assert saved.status_code == 302
    plan = InspectionPlan.objects.get(agency=world.a.agency)
    assert (plan.branch, plan.jobs_planned) == (world.a.branch, 4)
    assert (
        reverse("quality_plan_record", args=[plan.pk])
        in office.get(reverse("quality")).content.decode()
    )


def test_a_plan_mid_month_for_nobody_shows_the_services_errors(world, office, checklist):
    refused = office.post(
        reverse("quality_plan_new"),
        {
            "kind": "quarterly",
            "starts_on": "2026-12-01",
            "checklist": checklist.pk,
            "jobs_planned": 4,
        },
    )

    assert refused.status_code == 400
    text = refused.content.decode()
    assert "A plan starts on the first day of its month or quarter." in text
    assert "Plan for a branch or for one staff member." in text
    assert not InspectionPlan.objects.exists()


def test_another_agencys_checklist_is_not_a_choice(world, office):
    theirs = services.checklist_create(
        agency=world.b.agency,
        actor=Actor(user=world.b.user(Role.SUPERVISOR), ip_address="192.0.2.63"),
        name="别家的表",
        items=[("卫生", 10)],
    )
    refused = office.post(
        reverse("quality_plan_new"),
        {
            "kind": "monthly",
            "starts_on": "2026-12-01",
            "checklist": theirs.pk,
            "jobs_planned": 1,
            "branch": world.a.branch.pk,
        },
    )
    assert refused.status_code == 400
    assert not InspectionPlan.objects.exists()


# --- recording an inspection ------------------------------------------------------------


def test_an_inspection_from_a_plan_with_photos(world, office, job, staff, plan):
    checklist = plan.checklist
    saved = office.post(
        reverse("quality_plan_record", args=[plan.pk]),
        score_data(
            checklist,
            10,
            5,
            5,
            order=job.number,
            staff=staff.pk,
            notes="厨房很干净。",
            photos=[photo("厨房.png"), photo("卫生间.png")],
            submission_key=str(uuid.uuid4()),
        ),
    )

    inspection = Inspection.objects.get(agency=world.a.agency)
    assert saved.status_code == 302
    assert saved["Location"] == reverse("quality_inspection", args=[inspection.pk])
    assert (inspection.plan, inspection.score, inspection.max_score) == (plan, 20, 25)
    assert inspection.photos.count() == 2
    page = office.get(saved["Location"]).content.decode()
    assert "80.00%" in page and "厨房清洁" in page and "/media/" in page


def test_a_spot_check_asks_for_the_checklist_first(world, office, job, staff, checklist):
    chooser = office.get(reverse("quality_inspection_new"))
    assert f"?checklist={checklist.pk}" in chooser.content.decode()

    url = reverse("quality_inspection_new") + f"?checklist={checklist.pk}"
    saved = office.post(
        url,
        score_data(
            checklist, 1, 2, 3, order=job.number, staff=staff.pk, submission_key=uuid.uuid4()
        ),
    )

    assert saved.status_code == 302
    assert Inspection.objects.get().kind == "spot"


def test_a_score_above_the_maximum_names_the_item_and_writes_nothing(
    world, office, job, staff, checklist
):
    url = reverse("quality_inspection_new") + f"?checklist={checklist.pk}"
    refused = office.post(
        url,
        score_data(
            checklist,
            11,
            2,
            3,
            order=job.number,
            staff=staff.pk,
            photos=[photo()],
            submission_key=uuid.uuid4(),
        ),
    )

    assert refused.status_code == 400
    assert "厨房清洁: the score must be from 0 to 10." in refused.content.decode()
    assert not Inspection.objects.exists()


def test_an_unknown_order_or_a_staff_member_not_on_it_is_refused(
    world, office, job, staff, checklist
):
    url = reverse("quality_inspection_new") + f"?checklist={checklist.pk}"
    theirs = OrderFactory(agency=world.b.agency)
    unknown = office.post(url, score_data(checklist, 1, 1, 1, order=theirs.number, staff=staff.pk))
    nobody = OrderFactory(agency=world.a.agency, branch=world.a.branch)
    not_on_it = office.post(
        url,
        score_data(
            checklist, 1, 1, 1, order=nobody.number, staff=staff.pk, submission_key=uuid.uuid4()
        ),
    )

    assert unknown.status_code == 400
    assert "No order of this agency has this number." in unknown.content.decode()
    assert not_on_it.status_code == 400
    assert not_on_it.context["form"].errors["staff"] == [
        "This staff member is not assigned to the order."
    ]
    assert not Inspection.objects.exists()


def test_a_bad_photo_writes_nothing(world, office, job, staff, checklist):
    url = reverse("quality_inspection_new") + f"?checklist={checklist.pk}"
    refused = office.post(
        url,
        score_data(
            checklist,
            1,
            1,
            1,
            order=job.number,
            staff=staff.pk,
            photos=[photo(), text_as("x.jpg")],
            submission_key=uuid.uuid4(),
        ),
    )

    assert refused.status_code == 400
    assert not Inspection.objects.exists()


def test_a_repeated_submission_records_once(world, office, job, staff, checklist):
    url = reverse("quality_inspection_new") + f"?checklist={checklist.pk}"
    data = score_data(
        checklist, 1, 2, 3, order=job.number, staff=staff.pk, submission_key=str(uuid.uuid4())
    )

    first = office.post(url, data)
    second = office.post(url, data)

    assert Inspection.objects.count() == 1
    assert first["Location"] == second["Location"]


# --- roles and tenancy ------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.STAFF, Role.FINANCE])
def test_only_supervisors_and_managers_use_the_forms(world, client_for, role, checklist, plan):
    client = client_for(world.a.user(role))
    for url in (
        reverse("quality_checklist_new"),
        reverse("quality_checklist", args=[checklist.pk]),
        reverse("quality_plan_new"),
        reverse("quality_plan_record", args=[plan.pk]),
        reverse("quality_inspection_new"),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "x"}).status_code == 403
    assert Checklist.objects.count() == 1


def test_another_agencys_objects_are_not_found(
    world, client_for, supervisor, job, staff, checklist, scores, plan
):
    inspection = services.inspection_record(
        agency=world.a.agency,
        actor=supervisor,
        scoring=Scoring(order=job, staff=staff, checklist=checklist, scores=scores(1, 1, 1)),
    )
    outsider = client_for(world.b.user(Role.SUPERVISOR))
    for url in (
        reverse("quality_checklist", args=[checklist.pk]),
        reverse("quality_plan_record", args=[plan.pk]),
        reverse("quality_inspection", args=[inspection.pk]),
        reverse("quality_inspection_new") + f"?checklist={checklist.pk}",
    ):
        assert outsider.get(url).status_code == 404
    assert (
        outsider.post(
            reverse("quality_checklist", args=[checklist.pk]), {"name": "改名"}
        ).status_code
        == 404
    )
    checklist.refresh_from_db()
    assert checklist.name == "家庭保洁质检表"


# --- query counts -----------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_overview_and_the_detail_cost_the_same_as_rows_grow(
    world, office, supervisor, job, staff, checklist, scores, plan
):
    def inspect() -> Inspection:
        return services.inspection_record(
            agency=world.a.agency,
            actor=supervisor,
            scoring=Scoring(
                order=job, staff=staff, checklist=checklist, scores=scores(1, 2, 3), plan=plan
            ),
            photos=[photo()],
        )

    first = inspect()
    before = (_queries(office, reverse("quality")), _queries(office, _detail(first)))
    for n in range(3):
        services.checklist_create(
            agency=world.a.agency, actor=supervisor, name=f"表{n}", items=[("卫生", 10)]
        )
        inspect()
    services.checklist_update(
        agency=world.a.agency,
        actor=supervisor,
        checklist=checklist,
        name=checklist.name,
        add_items=[("窗户", 5), ("阳台", 5)],
    )
    last = services.inspection_record(
        agency=world.a.agency,
        actor=supervisor,
        scoring=Scoring(
            order=job,
            staff=staff,
            checklist=checklist,
            scores={i.pk: 1 for i in checklist.items.all()},
        ),
        photos=[photo(), photo(), photo()],
    )
    after = (_queries(office, reverse("quality")), _queries(office, _detail(last)))
    assert after == before


def _detail(inspection: Inspection) -> str:
    return reverse("quality_inspection", args=[inspection.pk])
