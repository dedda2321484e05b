"""The dashboard: who opens it, the KPIs on the known week (conftest), its bounded queries,
the branch filter, drill-downs and trends."""

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agency.models import Role
from complaints.models import Category, Tier
from reports.dashboard import Tile, dashboard
from reports.kpis import KPIS
from reports.periods import PeriodKind, period_for
from tests.reports.conftest import FR, WEEK, complaint, deadline, served, sh

#: Upper bound of the dashboard's queries: the page's own (session, user, membership,
#: navigation, branch choices), one or two per figure, the feedback policy twice, and
#: one for the trends. Issue 19's complaint figures add seven (`reports.kpis`):
MAX_QUERIES = 36 + sum(
    [
        1,  # average resolution: one aggregate
        2,  # incidents: reported in the period and still open, each grouped by kind
        1,  # compensation paid: grouped by payer
        2,  # repeat problems: the agency's repeat window, then one aggregate
        1,  # root causes: grouped by root cause
    ]
)


EVERY_KPI_OF_THE_WEEK = {
    # o1–o6 created in the week, o7 the week before; o1–o5 and o7 confirmed.
    "Orders taken": "none: Orders taken 6",
    "Confirmed": "none: Confirmed 6",
    "Completed (accepted)": "none: Completed (accepted) 5",
    "Cancelled": "none: Cancelled 1",
    "Cancellation fees": "none: Cancellation fees 50.00",
    # Five orders passed, four at round 1; one of six closed rounds failed.
    "Accepted at the first round": "none: Accepted at the first round 80.0% over 5",
    "Rounds failed (rework)": "none: Rounds failed (rework) 16.7% over 6",
    # Scores 5, 4, 2, 5; four answers for five accepted orders.
    "Satisfied (score 4 or 5)": (
        "unmet: Satisfied (score 4 or 5) 75.0% target ≥ 85.0% not met over 4"
    ),
    "Average score": "none: Average score 4.00 out of 5",
    "Feedback participation": "met: Feedback participation 80.0% target ≥ 70.0% met over 5",
    # (30 min + 24 h + 10 min) / 3; two of three handlings in time; c6 breached.
    "Average first response": (
        "met: Average first response 8 h 13 min target ≤ 24 h 00 min met over 3"
    ),
    # No complaint of the known week has its resolution (`resolved_at`) recorded.
    "Average resolution time": ("none: Average resolution time — target ≤ 24 h 00 min over 0"),
    "Completed in time": "unmet: Completed in time 66.7% target ≥ 90.0% not met over 3",
    "Open breaches": "unmet: Open breaches 1 target 0 not met",
    "Complaints received": (
        "none: Complaints received 4 Soft (attitude, manner, environment) 2,"
        " Hard (damage, a tangible fault) 2,"
        " Attitude 2, Damage to property 1, Work not done or faulty 1"
    ),
    # One of two due revisits done (the dropped one does not count).
    "Revisits done": "none: Revisits done 50.0% over 2",
    # 3 h booked of s1's 10 h on Monday and s2's 4 h on Tuesday.
    "Utilisation": "none: Utilisation 21.4% over 1",
    # s1 has two trainings this year, s2 one.
    "Training coverage": "unmet: Training coverage 50.0% target ≥ 100.0% not met over 2",
    # One left; headcount 3 on Monday, 2 the Monday after: 1 / 2.5. Target 10% × 7 / 365.
    "Turnover": "unmet: Turnover 40.0% target ≤ 0.2% not met over 1",
    "Certificates expiring in 30 days": "none: Certificates expiring in 30 days 1",
    # No arrival recorded in the week (tests/reports/test_attendance.py measures them).
    "Punctuality (on time)": "none: Punctuality (on time) — over 0",
    "No-shows": "none: No-shows 0",
    # 300.00 − 50.00 credited; 200.00 received − 20.00 paid back.
    "Invoiced": "none: Invoiced 250.00",
    "Collected": "none: Collected 180.00",
    # No inspection nor plan in the known week (tests/complaints/quality measures them).
    "Average inspection score": "none: Average inspection score — over 0",
    "Inspections done of planned": "none: Inspections done of planned — target ≥ 100.0% over 0",
    "Emergency plan reviews overdue": "met: Emergency plan reviews overdue 0 target 0 met",
    # Issue 19's complaint figures: tests/reports/test_complaint_figures.py measures them.
    "Incidents reported": "none: Incidents reported 0 still open 0",
    "Compensation paid": "none: Compensation paid 0.00",
    "Repeat problems": "none: Repeat problems 0 same customer 0, same staff member 0",
    "Complaints closed with a root cause": "none: Complaints closed with a root cause 0",
}


@pytest.fixture(autouse=True)
def _read_on_tuesday_after():
    with time_machine.travel(sh(24, 9), tick=False):
        yield


def tiles(html: str) -> dict[str, str]:
    """Each tile's label → its class and text, whitespace collapsed."""
    tile = r'<li class="report-tile is-(\w+)" data-kpi="([^"]+)">(.*?)</li>'
    return {
        label: f"{tone}: {' '.join(re.sub(r'<[^>]+>', ' ', body).split())}"
        for tone, label, body in re.findall(tile, html, re.S)
    }


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MANAGER, 200),
        (Role.SUPERVISOR, 200),
        (Role.DISPATCHER, 403),
        (Role.FINANCE, 403),
        (Role.STAFF, 403),
    ],
)
def test_managers_and_supervisors_only(world, client_for, role, status):
    assert client_for(world.a.user(role)).get(reverse("dashboard")).status_code == status


def test_every_kpi_of_the_week(week, world, client_for):
    """Every KPI of the known week (tests/reports/conftest.py), worked out by hand."""
    response = client_for(world.a.user(Role.MANAGER)).get(reverse("dashboard"), WEEK)
    assert tiles(response.content.decode()) == EVERY_KPI_OF_THE_WEEK


def test_the_agencys_own_targets(week, world, client_for):
    agency = world.a.agency
    agency.complaint_response_target_hours = 8
    agency.trainings_per_year = 1
    agency.satisfaction_target_percent = 75
    agency.save()
    response = client_for(world.a.user(Role.MANAGER)).get(reverse("dashboard"), WEEK)
    shown = tiles(response.content.decode())
    assert shown["Average first response"] == (
        "unmet: Average first response 8 h 13 min target ≤ 8 h 00 min not met over 3"
    )
    # s1 and s2 each have at least one training this year.
    assert shown["Training coverage"].startswith("met: Training coverage 100.0%")
    assert shown["Satisfied (score 4 or 5)"].startswith(
        "met: Satisfied (score 4 or 5) 75.0% target ≥ 75.0% met"
    )


def test_the_branch_filter(week, world, a2, client_for):
    response = client_for(world.a.user(Role.MANAGER)).get(
        reverse("dashboard"), {**WEEK, "branch": a2.pk}
    )
    shown = tiles(response.content.decode())
    assert shown["Average first response"].startswith("met: Average first response 0 h 10 min")
    assert shown["Completed in time"].startswith("met: Completed in time 100.0%")
    assert shown["Open breaches"].startswith("met: Open breaches 0")
    assert shown["Satisfied (score 4 or 5)"].startswith("met: Satisfied (score 4 or 5) 100.0%")
    assert shown["Feedback participation"].startswith("unmet: Feedback participation 50.0%")
    # Drill-downs keep the branch.
    assert f"branch={a2.pk}" in response.content.decode()


def test_another_agencys_branch_is_refused(week, world, client_for):
    response = client_for(world.a.user(Role.MANAGER)).get(
        reverse("dashboard"), {**WEEK, "branch": world.b.branch.pk}
    )
    assert response.status_code == 200
    # The form refuses it; the page falls back to this week, all branches.
    assert "all branches" in response.content.decode()


def test_drill_downs(week, world, client_for):
    html = client_for(world.a.user(Role.MANAGER)).get(reverse("dashboard"), WEEK).content.decode()
    assert reverse("complaint_desk") in html
    assert reverse("report_rows", args=["revisits"]) + "?period=custom&amp;start=2026-11-16" in html
    assert reverse("complaint_log") + "?received_after=2026-11-16" in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("dashboard"), WEEK).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_data(world, client_for, django_assert_max_num_queries):
    client = client_for(world.a.user(Role.SUPERVISOR))
    c = complaint(world.a.branch, Tier.HARD, Category.DAMAGE, sh(16, 10))
    deadline(c, FR, sh(16, 11), met=sh(16, 10, 30))
    served(world.a.branch, overall=5)
    with django_assert_max_num_queries(MAX_QUERIES):
        one = _queries(client)
    for hour in range(11, 15):
        c = complaint(world.a.branch, Tier.SOFT, Category.ATTITUDE, sh(17, hour))
        deadline(c, FR, sh(17, hour, 15), late=True)
        served(world.a.branch, overall=3)
    with django_assert_max_num_queries(MAX_QUERIES):
        five = _queries(client)
    assert five == one


def test_periods_in_the_agencys_time_zone(world):
    agency = world.a.agency  # Asia/Shanghai; "now" is Tuesday 2026-11-24 09:00 there
    this = period_for(agency)
    assert (this.start, this.end) == (sh(23, 0), sh(30, 0))
    last = period_for(agency, PeriodKind.LAST_WEEK)
    assert (last.start, last.end) == (sh(16, 0), sh(23, 0))
    days = period_for(agency, PeriodKind.LAST_30_DAYS)
    assert (days.start, days.end) == (sh(26, 0).replace(month=10), sh(25, 0))


def test_the_groups_in_page_order(world):
    groups = dashboard(agency=world.a.agency, period=period_for(world.a.agency))
    assert [g.key for g in groups] == [
        "orders",
        "acceptance",
        "satisfaction",
        "complaints",
        "revisits",
        "staff",
        "revenue",
        "quality",
    ]


def test_a_kpi_without_a_target_shows_no_verdict():
    kpi = next(kpi for kpi in KPIS if kpi.key == "received")
    assert Tile(kpi=kpi, value="2", met=False).tone == "none"
    assert Tile(kpi=kpi, value="2", target="0", met=False).tone == "unmet"
