"""Quality inspections: scores within each item's maximum, the total as a percentage, a plan's
progress, results per staff member and branch; the risk register's rules."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agency.audit import Actor
from agency.models import AuditLog, Role
from complaints.models import Inspection, InspectionKind, RiskDocument
from complaints.quality import figures, selectors, services
from complaints.quality.services import RiskPlan, Scoring
from tests.complaints.quality.conftest import job_for
from tests.factories import StaffMemberFactory
from tests.uploads import pdf, photo, text_as


def record(world, actor, job, staff, checklist, values, **extra):
    return services.inspection_record(
        agency=world.a.agency,
        actor=actor,
        scoring=Scoring(order=job, staff=staff, checklist=checklist, scores=values, **extra),
    )


def test_an_inspection_totals_its_scores_as_a_percentage(
    world, supervisor, job, staff, checklist, scores
):
    inspection = record(world, supervisor, job, staff, checklist, scores(8, 9, 4), notes="干净")

    assert (inspection.score, inspection.max_score) == (21, 25)
    assert inspection.percent == Decimal("84.00")
    assert inspection.kind == InspectionKind.SPOT
    assert inspection.branch == world.a.branch
    assert inspection.inspector == world.a.user(Role.SUPERVISOR)
    assert [s.score for s in inspection.scores.order_by("item__position")] == [8, 9, 4]
    assert AuditLog.objects.filter(action="quality.inspection_record").count() == 1


def test_a_score_beyond_the_items_maximum_is_refused_naming_the_item(
    world, supervisor, job, staff, checklist, scores
):
    with pytest.raises(ValidationError) as refused:
        record(world, supervisor, job, staff, checklist, scores(11, 9, 4))

    assert refused.value.message_dict["scores"] == ["厨房清洁: the score must be from 0 to 10."]
    assert not Inspection.objects.exists()


def test_every_item_must_be_scored(world, supervisor, job, staff, checklist, scores):
    values = scores(8, 9, 4)
    values.pop(next(iter(values)))

    with pytest.raises(ValidationError) as refused:
        record(world, supervisor, job, staff, checklist, values)

    assert refused.value.message_dict["scores"] == ["厨房清洁: give a score."]


def test_a_dispatcher_cannot_inspect(world, job, staff, checklist, scores):
    dispatcher = Actor(user=world.a.user(Role.DISPATCHER), ip_address="192.0.2.1")

    with pytest.raises(PermissionDenied):
        record(world, dispatcher, job, staff, checklist, scores(8, 9, 4))


def test_photos_pass_the_upload_checks(world, supervisor, job, staff, checklist, scores):
    scoring = Scoring(order=job, staff=staff, checklist=checklist, scores=scores(8, 9, 4))
    inspection = services.inspection_record(
        agency=world.a.agency, actor=supervisor, scoring=scoring, photos=[photo("厨房.png")]
    )
    assert inspection.photos.get().file.name.endswith(".png")

    with pytest.raises(ValidationError) as refused:
        services.inspection_record(
            agency=world.a.agency, actor=supervisor, scoring=scoring, photos=[text_as("x.jpg")]
        )
    assert "photos" in refused.value.message_dict


def test_a_plan_shows_done_against_planned_and_what_is_due(
    world, supervisor, job, staff, checklist, scores, plan
):
    record(world, supervisor, job, staff, checklist, scores(8, 9, 4), plan=plan)

    [running] = selectors.plans_running(agency=world.a.agency, today=date(2026, 12, 9))
    assert (running.done, running.jobs_planned, running.due) == (1, 2, 1)
    assert Inspection.objects.get().kind == InspectionKind.MONTHLY
    assert not selectors.plans_running(agency=world.a.agency, today=date(2027, 1, 4)).exists()
    week = {"start": timezone.now() - timedelta(days=2), "end": timezone.now()}
    done = figures.inspections_done(agency=world.a.agency, **week)
    assert (done.value, done.measured, done.met) == (Decimal("0.5000"), 2, False)
    score = figures.inspection_score(agency=world.a.agency, **week)
    assert (score.value, score.measured) == (Decimal("0.8400"), 1)


def test_a_plan_covers_a_branch_or_a_staff_member_from_the_first_of_its_period(
    world, supervisor, checklist, staff
):
    with pytest.raises(ValidationError) as refused:
        services.plan_create(
            agency=world.a.agency,
            actor=supervisor,
            kind="quarterly",
            starts_on=date(2026, 11, 1),
            checklist=checklist,
            jobs_planned=5,
            branch=world.a.branch,
            staff=staff,
        )
    assert set(refused.value.message_dict) == {"branch", "starts_on"}


def test_results_per_staff_and_branch_lowest_first_with_their_weakest_items(
    world, supervisor, job, staff, checklist, scores
):
    other = StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch, name="李娟")
    record(world, supervisor, job, staff, checklist, scores(10, 10, 5))
    record(world, supervisor, job_for(world, other), other, checklist, scores(5, 10, 1))
    record(world, supervisor, job_for(world, other), other, checklist, scores(7, 8, 5))
    now = timezone.now()
    window = {"agency": world.a.agency, "start": now - timedelta(days=1), "end": now}

    by_staff = selectors.results(by="staff", **window)

    assert [(r.name, r.count, r.average) for r in by_staff] == [
        ("李娟", 2, Decimal("72.00")),
        ("王秀英", 1, Decimal("100.00")),
    ]
    assert by_staff[0].lowest_items[0] == ("厨房清洁", Decimal("60.00"))
    by_branch = selectors.results(by="branch", **window)
    assert sum(r.count for r in by_branch) == 3


def test_results_are_two_queries(
    world, supervisor, job, staff, checklist, scores, django_assert_num_queries
):
    for _ in range(3):
        record(world, supervisor, job, staff, checklist, scores(8, 9, 4))
    now = timezone.now()
    with django_assert_num_queries(2):  # the averages; the items' scores
        selectors.results(agency=world.a.agency, by="staff", start=now - timedelta(days=1), end=now)


def plan_of(world, **overrides):
    values = {
        "kind": "fire",
        "title": "火灾应急预案",
        "owner": world.a.user(Role.MANAGER),
        "review_by": date(2027, 3, 1),
        "plan_text": "立即拨打119，疏散客户家人。",
    }
    return RiskPlan(**{**values, **overrides})


def test_a_manager_keeps_the_register_and_a_supervisor_cannot(world, manager, supervisor):
    document = services.risk_document_save(
        agency=world.a.agency, actor=manager, plan=plan_of(world)
    )
    assert document.title == "火灾应急预案"

    with pytest.raises(PermissionDenied):
        services.risk_document_save(agency=world.a.agency, actor=supervisor, plan=plan_of(world))


def test_a_plan_needs_its_text_or_a_pdf_and_a_pdf_is_checked(world, manager):
    with pytest.raises(ValidationError) as refused:
        services.risk_document_save(
            agency=world.a.agency, actor=manager, plan=plan_of(world, plan_text="")
        )
    assert "plan_text" in refused.value.message_dict

    with pytest.raises(ValidationError) as refused:
        services.risk_document_save(
            agency=world.a.agency,
            actor=manager,
            plan=plan_of(world, plan_text="", file=photo("plan.png")),
        )
    assert refused.value.message_dict["file"] == ["Upload the plan as a PDF file."]

    document = services.risk_document_save(
        agency=world.a.agency, actor=manager, plan=plan_of(world, plan_text="", file=pdf())
    )
    assert document.file.name.endswith(".pdf")


def test_the_owner_is_a_member_of_the_agency(world, manager):
    with pytest.raises(ValidationError) as refused:
        services.risk_document_save(
            agency=world.a.agency,
            actor=manager,
            plan=plan_of(world, owner=world.b.user(Role.MANAGER)),
        )
    assert "owner" in refused.value.message_dict


def test_the_register_shows_overdue_reviews_first(world, manager):
    later = services.risk_document_save(
        agency=world.a.agency,
        actor=manager,
        plan=plan_of(world, title="数据泄露", kind="data_leak"),
    )
    overdue = services.risk_document_save(
        agency=world.a.agency,
        actor=manager,
        plan=plan_of(world, title="客户突发疾病", review_by=date(2026, 12, 1)),
    )

    register = list(selectors.risk_register(agency=world.a.agency, today=date(2026, 12, 9)))

    assert register == [overdue, later]
    assert [d.overdue for d in register] == [True, False]
    assert RiskDocument.objects.filter(agency=world.b.agency).count() == 0


def test_a_retired_item_is_no_longer_scored_and_another_agency_cannot_edit(
    world, supervisor, job, staff, checklist, scores
):
    kitchen, bathroom, manner = checklist.items.all()
    services.checklist_update(
        agency=world.a.agency,
        actor=supervisor,
        checklist=checklist,
        name="保洁质检表",
        retire_items=[kitchen],
    )

    inspection = record(world, supervisor, job, staff, checklist, {bathroom.pk: 10, manner.pk: 5})
    assert (inspection.score, inspection.max_score) == (15, 15)
    with pytest.raises(ValidationError):
        record(world, supervisor, job, staff, checklist, scores(10, 10, 5))
    outsider = Actor(user=world.b.user(Role.SUPERVISOR), ip_address="192.0.2.64")
    with pytest.raises(ValidationError):
        services.checklist_update(
            agency=world.b.agency, actor=outsider, checklist=checklist, name="别家"
        )
