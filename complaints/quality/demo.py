"""Demo quality inspections and emergency plans for `manage.py seed_demo`, through the
services, once per agency: a checklist, this month's plan for the first branch with one
job inspected, a spot check, and three emergency plans, one overdue for review (the sweep
then reminds its owner)."""

from datetime import timedelta

from agency.audit import Actor
from agency.demo import in_language
from agency.models import Agency, Branch, User
from complaints.models import Checklist, RiskKind
from complaints.quality.services import (
    RiskPlan,
    Scoring,
    checklist_create,
    inspection_record,
    plan_create,
    risk_document_save,
)
from orders.models import Assignment


def seed(agency: Agency) -> None:
    if Checklist.objects.filter(agency=agency).exists():
        return
    supervisor = Actor(user=User.objects.get(username=f"{agency.slug}.supervisor"))
    manager = User.objects.get(username=f"{agency.slug}.manager")
    checklist = checklist_create(
        agency=agency,
        actor=supervisor,
        name=in_language(agency, "家庭保洁质检表", "Home cleaning checklist"),
        items=[
            (in_language(agency, "厨房台面与灶具", "Kitchen counters and hob"), 20),
            (in_language(agency, "卫生间清洁", "Bathroom"), 20),
            (in_language(agency, "地面与死角", "Floors and corners"), 20),
            (in_language(agency, "物品归位", "Things put back"), 10),
            (in_language(agency, "服务态度与着装", "Manner and uniform"), 10),
        ],
    )
    _inspections(agency, supervisor, checklist)
    _plans(agency, manager)


def _inspections(agency: Agency, supervisor: Actor, checklist: Checklist) -> None:
    branch = Branch.objects.filter(agency=agency).order_by("code")[0]
    plan = plan_create(
        agency=agency,
        actor=supervisor,
        kind="monthly",
        starts_on=agency.today().replace(day=1),
        checklist=checklist,
        jobs_planned=4,
        branch=branch,
        inspector=supervisor.user,
    )
    items = list(checklist.items.all())
    jobs = Assignment.objects.filter(agency=agency).select_related("order", "staff")[:2]
    for n, assignment in enumerate(jobs):
        # The first job is part of the month's plan; the second a spot check, weaker.
        inspection_record(
            agency=agency,
            actor=supervisor,
            scoring=Scoring(
                order=assignment.order,
                staff=assignment.staff,
                checklist=checklist,
                scores={item.pk: item.max_score - n * (item.max_score // 4) for item in items},
                notes=in_language(
                    agency, "整体整洁，厨房角落需加强。", "Tidy; kitchen corners need care."
                ),
                plan=plan if n == 0 else None,
            ),
        )


def _plans(agency: Agency, manager: User) -> None:
    today = agency.today()
    plans = [
        (
            RiskKind.FIRE,
            in_language(agency, "火灾应急预案", "Fire emergency plan"),
            in_language(
                agency,
                "立即停止作业，协助客户家人撤离，拨打119，并第一时间报告主管和经理。",
                "Stop work, help the household out, call 119, tell the supervisor and manager.",
            ),
            today - timedelta(days=3),
        ),
        (
            RiskKind.INJURY,
            in_language(agency, "服务人员受伤应急预案", "Staff injury plan"),
            in_language(
                agency,
                "先处理伤口，必要时送医，拍照留存并当天填写事故报告。",
                "Treat the wound, go to hospital if needed, take photos, report the same day.",
            ),
            today + timedelta(days=60),
        ),
        (
            RiskKind.DATA_LEAK,
            in_language(agency, "客户信息泄露应急预案", "Customer data leak plan"),
            in_language(
                agency,
                "立即停止传播，通知经理，评估影响范围并告知受影响的客户。",
                "Stop the spread, tell the manager, assess who is affected and tell them.",
            ),
            today + timedelta(days=120),
        ),
    ]
    for kind, title, text, review_by in plans:
        risk_document_save(
            agency=agency,
            actor=Actor(user=manager),
            plan=RiskPlan(
                kind=kind, title=title, owner=manager, review_by=review_by, plan_text=text
            ),
        )
