"""Attendance in the reports (issue 17): punctuality and no-shows on the dashboard, the
rows behind them per arrival, per staff member and per branch, the weekly PDF's section,
and `/api/attendance/`.

The week of Monday 2026-11-16 in Asia/Shanghai, read on the Tuesday after. Agency A:
    staff  branch  arrivals in the week
    张      A1      on time, late 15 min, late 25 min
    李      A1      on time, no-show
    王      A2      on time
plus, not counted: 张's arrival the week before, an assignment not yet recorded, and
agency B's no-show.
"""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from psycopg.types.range import Range

from agency.models import Role
from orders import figures
from orders.models import AssignmentStatus, Punctuality
from reports.kpis import measure
from reports.models import WeeklyReport
from reports.periods import days_period
from reports.weekly import TEMPLATE, _context
from tests.factories import AssignmentFactory, OrderFactory, StaffMemberFactory
from tests.reports.conftest import MONDAY, WEEK, sh


@pytest.fixture(autouse=True)
def _read_on_tuesday_after():
    with time_machine.travel(sh(24, 9), tick=False):
        yield


def arrival(branch, staff, starts, punctuality, late=0):
    order = OrderFactory(
        agency=branch.agency,
        branch=branch,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        status="accepted",
    )
    return AssignmentFactory(
        agency=branch.agency,
        order=order,
        staff=staff,
        status=AssignmentStatus.CONFIRMED,
        period=Range(starts, starts + timedelta(hours=3)),
        punctuality=punctuality,
        late_minutes=None if punctuality == Punctuality.NO_SHOW else late,
        arrived_at=None if punctuality == Punctuality.NO_SHOW else starts + timedelta(minutes=late),
    )


@pytest.fixture
def arrivals(world, a2):
    a1 = world.a.branch
    zhang = StaffMemberFactory(agency=a1.agency, home_branch=a1, name="张")
    li = StaffMemberFactory(agency=a1.agency, home_branch=a1, name="李")
    wang = StaffMemberFactory(agency=a1.agency, home_branch=a2, name="王")
    arrival(a1, zhang, sh(16, 9), Punctuality.ON_TIME, late=3)
    arrival(a1, zhang, sh(17, 9), Punctuality.LATE, late=15)
    arrival(a1, zhang, sh(18, 14), Punctuality.LATE, late=25)
    arrival(a1, li, sh(19, 9), Punctuality.ON_TIME)
    arrival(a1, li, sh(20, 9), Punctuality.NO_SHOW)
    arrival(a2, wang, sh(21, 9), Punctuality.ON_TIME)
    # Not in the figures: the week before, not recorded yet, another agency.
    arrival(a1, zhang, sh(13, 9), Punctuality.LATE, late=40)
    arrival(a1, li, sh(21, 15), "")
    other = StaffMemberFactory(agency=world.b.agency, home_branch=world.b.branch)
    arrival(world.b.branch, other, sh(18, 9), Punctuality.NO_SHOW)
    return {"zhang": zhang, "li": li, "wang": wang}


@pytest.fixture
def manager(world, client_for):
    return client_for(world.a.user(Role.MANAGER))


def week_of(world):
    return days_period(world.a.agency, MONDAY, MONDAY + timedelta(days=6))


def test_the_dashboard_measures_punctuality_and_no_shows(arrivals, world, a2):
    period = week_of(world)
    measures = measure(agency=world.a.agency, period=period)
    assert (measures["punctuality"].value, measures["punctuality"].measured) == (
        Decimal("0.5000"),
        6,
    )
    assert measures["no_shows"].value == 1
    north = measure(agency=world.a.agency, period=period, branch=a2)
    assert (north["punctuality"].value, north["no_shows"].value) == (Decimal("1.0000"), 0)


def test_the_figures_per_staff_member_and_per_branch(arrivals, world):
    period = week_of(world)
    window = {"agency": world.a.agency, "start": period.start, "end": period.end}
    rows = [figures.with_punctuality(r) for r in figures.attendance_by(**window, by="staff")]
    assert {(r["name"], r["on_time"], r["late"], r["no_show"], r["punctuality"]) for r in rows} == {
        ("张", 1, 2, 0, Decimal("0.3333")),
        ("李", 1, 0, 1, Decimal("0.5000")),
        ("王", 1, 0, 0, Decimal("1.0000")),
    }
    by_name = {r["name"]: r for r in rows}
    assert by_name["张"]["average_late_minutes"] == Decimal("20.0")
    assert by_name["李"]["average_late_minutes"] is None
    branches = {
        r["name"]: (r["on_time"], r["late"], r["no_show"])
        for r in figures.attendance_by(**window, by="branch")
    }
    assert branches == {world.a.branch.name: (2, 2, 1), "North": (1, 0, 0)}


def test_the_dashboard_links_the_rows_behind_the_figures(arrivals, manager):
    page = manager.get(reverse("dashboard"), WEEK)
    html = page.content.decode()
    for table in ("attendance_by_staff", "attendance_by_branch"):
        assert reverse("report_rows", args=[table]) in html
    assert "punctuality=no_show" in html
    tile = next(t for g in page.context["groups"] for t in g.tiles if t.kpi.key == "punctuality")
    assert tile.value == "50.0%"


def csv_rows(client, table, **query):
    response = client.get(reverse("report_rows_csv", args=[table]), {**WEEK, **query})
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode()[1:])))


def test_the_rows_per_arrival_per_staff_member_and_per_branch(arrivals, manager, world):
    every = csv_rows(manager, "attendance")
    assert len(every) == 1 + 6
    no_shows = csv_rows(manager, "attendance", punctuality="no_show")
    assert [row[2] for row in no_shows[1:]] == ["李"]
    per_staff = csv_rows(manager, "attendance_by_staff")
    assert per_staff[0] == [
        "Staff member",
        "On time",
        "Late",
        "No-show",
        "Punctuality (on time)",
        "Average minutes late",
    ]
    assert {tuple(row) for row in per_staff[1:]} == {
        ("张", "1", "2", "0", "33.3%", "20.0"),
        ("李", "1", "0", "1", "50.0%", ""),
        ("王", "1", "0", "0", "100.0%", ""),
    }
    per_branch = csv_rows(manager, "attendance_by_branch")
    assert {row[0] for row in per_branch[1:]} == {world.a.branch.name, "North"}


@pytest.mark.parametrize("table", ["attendance", "attendance_by_staff", "attendance_by_branch"])
def test_the_rows_run_the_same_queries_for_more_arrivals(world, manager, table):
    a1 = world.a.branch

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager.get(reverse("report_rows", args=[table]), WEEK).status_code == 200
        return len(captured)

    arrival(a1, StaffMemberFactory(agency=a1.agency, home_branch=a1), sh(17, 9), "late", 12)
    one = queries()
    for day in (16, 17, 18, 19):
        member = StaffMemberFactory(agency=a1.agency, home_branch=a1)
        arrival(a1, member, sh(day, 9), Punctuality.ON_TIME)
    assert queries() == one


def test_the_weekly_report_has_an_attendance_section(arrivals, world):
    report = WeeklyReport.objects.create(
        agency=world.a.agency, week=MONDAY, language="en", version=1
    )
    context = _context(report)
    (_branch_title, per_branch), (_staff_title, per_staff) = context["attendance_tables"]
    assert {r["name"]: (r["no_show"], r["punctuality"]) for r in per_staff.rows} == {
        "张": (0, Decimal("0.3333")),
        "李": (1, Decimal("0.5000")),
        "王": (0, Decimal("1.0000")),
    }
    assert {r["name"] for r in per_branch.rows} == {world.a.branch.name, "North"}
    with translation.override("en"):
        html = render_to_string(TEMPLATE, context)
    section = html[html.index("<h2>Attendance</h2>") :]
    assert "李" in section and "50%" in section and "20.0" in section


# --- the API -------------------------------------------------------------------------------


def test_the_api_gives_the_figures_per_staff_member_or_branch(arrivals, world, client_for):
    client = client_for(world.a.user(Role.SUPERVISOR))
    body = client.get(reverse("api_attendance"), WEEK).json()
    assert body["total"] == {
        "on_time": 3,
        "late": 2,
        "no_show": 1,
        "measured": 6,
        "punctuality": "0.5000",
        "average_late_minutes": "20.0",
    }
    assert {row["name"]: row["no_show"] for row in body["rows"]} == {"张": 0, "李": 1, "王": 0}
    li = arrivals["li"]
    one = client.get(reverse("api_attendance"), {**WEEK, "staff": li.pk, "by": "branch"}).json()
    assert (one["staff"], one["by"], one["total"]["measured"]) == (li.pk, "branch", 2)
    assert [row["name"] for row in one["rows"]] == [world.a.branch.name]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"by": "customer"}, "by"), ({"staff": "x"}, "staff"), ({"period": "custom"}, "__all__")],
)
def test_the_api_refuses_bad_filters_by_field(world, client_for, query, field):
    client = client_for(world.a.user(Role.MANAGER))
    response = client.get(reverse("api_attendance"), query)
    assert response.status_code == 400 and field in response.json()


def test_the_api_knows_only_its_own_agency(arrivals, world, client_for):
    theirs = StaffMemberFactory(agency=world.b.agency, home_branch=world.b.branch)
    client = client_for(world.a.user(Role.MANAGER))
    response = client.get(reverse("api_attendance"), {**WEEK, "staff": theirs.pk})
    assert response.status_code == 400 and "staff" in response.json()
    seen = client.get(reverse("api_attendance"), WEEK).json()
    assert seen["total"]["no_show"] == 1


@pytest.mark.parametrize(
    ("role", "status"), [(Role.MANAGER, 200), (Role.SUPERVISOR, 200), (Role.DISPATCHER, 403)]
)
def test_the_api_has_the_dashboards_roles(world, client_for, role, status):
    assert client_for(world.a.user(role)).get(reverse("api_attendance")).status_code == status


def test_the_api_runs_the_same_queries_for_more_arrivals(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    a1 = world.a.branch

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("api_attendance"), WEEK).status_code == 200
        return len(captured)

    arrival(a1, StaffMemberFactory(agency=a1.agency, home_branch=a1), sh(17, 9), "late", 12)
    one = queries()
    for day in (16, 17, 18):
        arrival(a1, StaffMemberFactory(agency=a1.agency, home_branch=a1), sh(day, 9), "on_time")
    assert queries() == one
