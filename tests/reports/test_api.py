"""The reports API: the dashboard's KPIs as data, the weekly reports, with the pages' rules."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from agency.models import Role
from reports.models import ReportStatus, WeeklyReport
from reports.services import build_weekly_report
from tests.reports.conftest import MONDAY, WEEK, sh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_the_monday_after():
    with time_machine.travel(sh(23, 9), tick=False):
        yield


def test_the_dashboard_as_data(week, world, client_for):
    response = client_for(world.a.user(Role.SUPERVISOR)).get(reverse("api_dashboard"), WEEK)
    assert response.status_code == 200
    body = response.json()
    assert (body["first"], body["last"], body["branch"]) == ("2026-11-16", "2026-11-22", None)
    kpis = {kpi["key"]: kpi for kpi in body["kpis"]}
    assert kpis["satisfied"] | {"name": "", "breakdown": {}} == {
        "key": "satisfied",
        "group": "satisfaction",
        "name": "",
        "unit": "share",
        "value": "0.7500",
        "shown": "75.0%",
        "target": "0.8500",
        "target_shown": "≥ 85.0%",
        "met": False,
        "measured": 4,
        "breakdown": {},
    }
    assert kpis["first_response"]["value"] == "29600.0000"  # seconds
    assert kpis["received"]["breakdown"]["tier"] == {"soft": 2, "hard": 2}
    assert kpis["collected"]["shown"] == "180.00"


@pytest.mark.parametrize(
    "query",
    [{"period": "custom", "start": "2026-11-16"}, {"period": "someday"}, {"branch": "foreign"}],
)
def test_bad_filters_are_a_400_with_field_errors(world, client_for, query):
    if query.get("branch") == "foreign":
        query = {"branch": world.b.branch.pk}
    response = client_for(world.a.user(Role.MANAGER)).get(reverse("api_dashboard"), query)
    assert response.status_code == 400
    assert response.json()


def test_dispatchers_have_no_dashboard(world, client_for):
    client = client_for(world.a.user(Role.DISPATCHER))
    assert client.get(reverse("api_dashboard")).status_code == 403


def test_weekly_reports_list_pdf_and_regenerate(week, world, client_for):
    report = WeeklyReport.objects.create(agency=world.a.agency, week=MONDAY, language="en")
    build_weekly_report(report.pk)
    client = client_for(world.a.user(Role.MANAGER))
    listed = client.get(reverse("weeklyreport-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [(r["id"], r["status"], r["week"]) for r in rows] == [
        (report.pk, ReportStatus.READY, "2026-11-16")
    ]
    assert rows[0]["measures"]["satisfied"]["value"] == "0.7500"

    pdf = client.get(reverse("weeklyreport-pdf", args=[report.pk]), HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    again = client.post(reverse("weeklyreport-regenerate", args=[report.pk]))
    assert again.status_code == 202
    assert (again.json()["version"], again.json()["status"]) == (2, ReportStatus.PENDING)
    # Still being prepared: a second regeneration is a conflict, nothing written.
    assert client.post(reverse("weeklyreport-regenerate", args=[report.pk])).status_code == 409
    assert WeeklyReport.objects.count() == 2
    pending = client.get(reverse("weeklyreport-pdf", args=[again.json()["id"]]))
    assert pending.status_code == 404


def test_supervisors_cannot_list_the_pdf_reports(world, client_for):
    client = client_for(world.a.user(Role.SUPERVISOR))
    assert client.get(reverse("weeklyreport-list")).status_code == 403


def test_the_list_runs_the_same_queries_for_more_reports(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.a.user(Role.MANAGER))
    WeeklyReport.objects.create(agency=world.a.agency, week=MONDAY, language="en")
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("weeklyreport-list"))
    for n in range(1, 6):
        WeeklyReport.objects.create(
            agency=world.a.agency, week=MONDAY - timedelta(weeks=n), language="en"
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("weeklyreport-list"))
