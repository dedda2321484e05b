"""Quality and risk in the reports: the dashboard's section with its rows and CSV (the lowest
score first), its constant queries, and the weekly report's tables."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agency.models import Role
from complaints.quality import services
from complaints.quality.services import RiskPlan, Scoring
from reports.models import WeeklyReport
from reports.weekly import _context
from tests.complaints.quality.conftest import job_for
from tests.factories import StaffMemberFactory

THIS_WEEK = {"period": "custom", "start": "2026-12-07", "end": "2026-12-13"}


def inspect(world, actor, staff, checklist, scores, values, plan=None):
    services.inspection_record(
        agency=world.a.agency,
        actor=actor,
        scoring=Scoring(
            order=job_for(world, staff),
            staff=staff,
            checklist=checklist,
            scores=scores(*values),
            plan=plan,
        ),
    )


def overdue_plan(world, manager):
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


def tiles(html: str) -> str:
    return html[html.index("Quality and risk") :]


def test_the_dashboard_section_and_its_csv_lowest_first(
    world, client_for, supervisor, manager, staff, checklist, scores, plan
):
    weaker = StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch, name="李娟")
    inspect(world, supervisor, staff, checklist, scores, (10, 10, 5), plan=plan)
    inspect(world, supervisor, weaker, checklist, scores, (5, 5, 0))
    overdue_plan(world, manager)
    client = client_for(world.a.user(Role.SUPERVISOR))

    section = tiles(client.get(reverse("dashboard"), THIS_WEEK).content.decode())

    assert "Average inspection score" in section and "70.0%" in section
    assert "Inspections done of planned" in section and "50.0%" in section
    assert "Emergency plan reviews overdue" in section
    assert reverse("report_rows", args=["inspections_by_staff"]) in section

    response = client.get(reverse("report_rows_csv", args=["inspections_by_staff"]), THIS_WEEK)
    text = b"".join(response.streaming_content).decode("utf-8")
    lines = list(csv.reader(io.StringIO(text[1:])))
    assert lines[1:] == [
        ["李娟", "1", "40.00%"],
        ["王秀英", "1", "100.00%"],
    ]
    overdue = client.get(reverse("report_rows", args=["risk_reviews_overdue"]), THIS_WEEK)
    assert "火灾应急预案" in overdue.content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("dashboard"), THIS_WEEK).status_code == 200
    return len(captured)


def test_the_dashboard_queries_do_not_grow_with_inspections(
    world, client_for, supervisor, manager, staff, checklist, scores, plan
):
    client = client_for(world.a.user(Role.SUPERVISOR))
    inspect(world, supervisor, staff, checklist, scores, (1, 2, 3), plan=plan)
    one = _queries(client)
    for _ in range(4):
        inspect(world, supervisor, staff, checklist, scores, (4, 5, 1), plan=plan)
    overdue_plan(world, manager)
    assert _queries(client) == one


def test_the_weekly_report_lists_scores_lowest_first_and_overdue_reviews(
    world, supervisor, manager, staff, checklist, scores
):
    weaker = StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch, name="李娟")
    inspect(world, supervisor, staff, checklist, scores, (10, 10, 5))
    inspect(world, supervisor, weaker, checklist, scores, (5, 5, 0))
    overdue_plan(world, manager)
    report = WeeklyReport.objects.create(
        agency=world.a.agency, week=date(2026, 12, 7), language="en"
    )

    with time_machine.travel(datetime(2026, 12, 14, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        context = _context(report)

    [(_, by_branch), (_, by_staff)] = context["inspection_tables"]
    assert [r.name for r in by_staff] == ["李娟", "王秀英"]
    assert by_staff[0].lowest_items[0][0] == "服务态度"
    assert by_branch[0].count == 2
    assert [d.title for d in context["overdue_reviews"]] == ["火灾应急预案"]
    quality = next(g for g in context["groups"] if g.key == "quality")
    assert [t.label for t in quality.tiles] == [
        "Average inspection score",
        "Inspections done of planned",
        "Emergency plan reviews overdue",
        # The complaints app's figures of issue 19 (tests/reports/test_complaint_figures.py).
        "Incidents reported",
        "Compensation paid",
        "Repeat problems",
        "Complaints closed with a root cause",
    ]
