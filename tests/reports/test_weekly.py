"""The weekly satisfaction report: the Monday sweep in each agency's own time zone, the
build (KPIs, PDF in Chinese, email to managers), failures and retries, regeneration with
earlier versions kept, and the reports page."""

import subprocess
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from agency.models import Agency, Channel, OutboundMessage, Role
from agency.notifications import deliver
from reports import services
from reports.kpis import from_json
from reports.models import ReportSchedule, ReportStatus, WeeklyReport
from reports.services import build_weekly_report, sweep_weekly_reports
from tests.reports.conftest import MONDAY, sh

pytestmark = pytest.mark.django_db

MONDAY_8 = sh(23, 8)  # Asia/Shanghai, the Monday after the known week
LONDON = ZoneInfo("Europe/London")


def pdf_text(report: WeeklyReport) -> str:
    with report.pdf.open("rb") as file:
        return subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=file.read(), capture_output=True, check=True
        ).stdout.decode()


@pytest.fixture
def agencies_since_friday(world):
    """Both agencies signed up on the Friday before: their first report is on Monday."""
    world.b.agency.time_zone = "Europe/London"
    world.b.agency.save(update_fields=["time_zone"])
    Agency.objects.update(created_at=sh(20, 12))
    return world


def written(agency) -> list[tuple[str, str, int]]:
    """(branch, week, version) of the agency's reports; "" is the agency's own."""
    return sorted(
        (r.branch.name if r.branch else "", r.week.isoformat(), r.version)
        for r in WeeklyReport.objects.filter(agency=agency).select_related("branch")
    )


def test_monday_0800_in_each_agencys_own_time_zone(agencies_since_friday, a2, time_machine):
    world = agencies_since_friday
    time_machine.move_to(MONDAY_8 - timedelta(minutes=1), tick=False)
    assert sweep_weekly_reports() == {"written": 0, "started": 0}
    assert ReportSchedule.objects.get(agency=world.a.agency).next_report_at == MONDAY_8

    time_machine.move_to(MONDAY_8 + timedelta(seconds=30), tick=False)
    assert sweep_weekly_reports()["written"] == 3
    # The agency's report and one per branch, for the ISO week before.
    assert written(world.a.agency) == sorted(
        [("", "2026-11-16", 1), (world.a.branch.name, "2026-11-16", 1), ("North", "2026-11-16", 1)]
    )
    # London's Monday 08:00 is 16:00 in Shanghai.
    assert written(world.b.agency) == []
    assert ReportSchedule.objects.get(agency=world.a.agency).next_report_at == MONDAY_8 + timedelta(
        days=7
    )

    # A second sweep, or a duplicate beat, writes nothing twice.
    assert sweep_weekly_reports()["written"] == 0
    time_machine.move_to(datetime(2026, 11, 23, 8, 0, 30, tzinfo=LONDON), tick=False)
    assert sweep_weekly_reports()["written"] == 2
    assert {r[1] for r in written(world.b.agency)} == {"2026-11-16"}
    assert WeeklyReport.objects.count() == 5


def test_an_agency_older_than_the_schedule_gets_last_weeks_report_at_once(world, time_machine):
    Agency.objects.update(created_at=sh(1, 0))
    time_machine.move_to(sh(25, 15), tick=False)  # a Wednesday
    sweep_weekly_reports()
    assert {r.week for r in WeeklyReport.objects.filter(agency=world.a.agency)} == {MONDAY}
    schedule = ReportSchedule.objects.get(agency=world.a.agency)
    assert schedule.next_report_at == sh(30, 8)


@pytest.fixture
def report(week, world, time_machine):
    time_machine.move_to(MONDAY_8 + timedelta(minutes=1), tick=False)
    return WeeklyReport.objects.create(
        agency=world.a.agency, week=MONDAY, language="zh-hans", version=1
    )


def test_the_report_of_the_known_week_in_chinese(report, world):
    assert build_weekly_report(report.pk) is True
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.attempts == 1
    measures = from_json(report.measures)
    assert str(measures["satisfied"].value) == "0.7500"
    assert str(measures["first_response"].value) == "29600"  # 8 h 13 min 20 s
    assert str(measures["invoiced"].value) == "250.00"

    text = pdf_text(report)
    for shown in (
        "每周满意度报告",
        "2026-11-16 – 2026-11-22",
        "满意（4 分或 5 分）",
        "75.0%",
        "≥ 85.0%",
        "未达标",
        "平均首次回复时间",
        "8 小时 13 分钟",
        "80.0%",
        "66.7%",
        "250.00",
        "180.00",
        "低分及处理",
        "很满意",  # the phone survey's notes
        "王芳",
    ):
        assert shown in text, shown
    # Agency B's customer never shows up in A's report.
    assert str(world.b.agency.name) not in text


def test_the_monday_report_goes_to_the_managers_once_with_its_pdf(report, world):
    manager = world.a.user(Role.MANAGER)
    build_weekly_report(report.pk)
    assert build_weekly_report(report.pk) is False  # built already
    emails = OutboundMessage.objects.filter(agency=world.a.agency, channel=Channel.EMAIL)
    assert [m.recipient for m in emails] == [manager.email]
    assert deliver(emails.get().pk)
    sent = mail.outbox[-1]
    assert sent.subject == f"每周满意度报告 2026-W47 — {world.a.agency.name}"
    [(name, content, mimetype)] = sent.attachments
    assert name.endswith(".pdf") and mimetype == "application/pdf"
    assert content.startswith(b"%PDF")


def test_a_branch_report_is_not_emailed(week, world, time_machine):
    time_machine.move_to(MONDAY_8, tick=False)
    branch_report = WeeklyReport.objects.create(
        agency=world.a.agency, branch=world.a.branch, week=MONDAY, language="en"
    )
    assert build_weekly_report(branch_report.pk)
    branch_report.refresh_from_db()
    assert not OutboundMessage.objects.filter(channel=Channel.EMAIL).exists()
    assert "Weekly satisfaction report" in pdf_text(branch_report)


def test_a_failed_build_is_retried_with_backoff_then_shown(report, world, client_for, time_machine):
    with mock.patch.object(services, "build", side_effect=RuntimeError("fonts missing")):
        assert build_weekly_report(report.pk) is False
        report.refresh_from_db()
        assert (report.status, report.attempts) == (ReportStatus.PENDING, 1)
        assert report.next_attempt_at == MONDAY_8 + timedelta(minutes=2)
        assert report.last_error == "RuntimeError: fonts missing"
        assert not report.pdf
        # The sweep starts it again once its time has come, not before.
        assert sweep_weekly_reports()["started"] == 0
        time_machine.move_to(report.next_attempt_at, tick=False)
        assert sweep_weekly_reports()["started"] == 1
        for _ in range(services.MAX_ATTEMPTS - 1):
            build_weekly_report(report.pk)
    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.FAILED, services.MAX_ATTEMPTS)
    page = client_for(world.a.user(Role.MANAGER)).get(reverse("weekly_reports"))
    assert "RuntimeError: fonts missing" in page.content.decode()
    assert not OutboundMessage.objects.exists()


def test_a_manager_regenerates_and_the_earlier_version_stays(report, world, client_for):
    build_weekly_report(report.pk)
    first_pdf = report.__class__.objects.get(pk=report.pk).pdf.name
    client = client_for(world.a.user(Role.MANAGER))
    response = client.post(reverse("weekly_report_regenerate", args=[report.pk]))
    assert response.status_code == 302
    second = WeeklyReport.objects.get(version=2)
    assert second.status == ReportStatus.PENDING
    assert second.requested_by == world.a.user(Role.MANAGER)
    # Asked again while it is being prepared: refused, nothing written.
    client.post(reverse("weekly_report_regenerate", args=[report.pk]))
    assert WeeklyReport.objects.count() == 2

    assert build_weekly_report(second.pk)
    second.refresh_from_db()
    assert second.pdf.name != first_pdf
    assert WeeklyReport.objects.get(pk=report.pk).pdf.name == first_pdf
    # A regeneration is for the person who asked: no second email to the managers.
    assert OutboundMessage.objects.filter(channel=Channel.EMAIL).count() == 1

    page = client.get(reverse("weekly_reports")).content.decode()
    assert reverse("weekly_report_pdf", args=[report.pk]) in page
    assert reverse("weekly_report_pdf", args=[second.pk]) in page
    download = client.get(reverse("weekly_report_pdf", args=[second.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.MANAGER, 200), (Role.SUPERVISOR, 403), (Role.DISPATCHER, 403), (Role.FINANCE, 403)],
)
def test_the_reports_page_is_the_managers(world, client_for, role, status):
    assert client_for(world.a.user(role)).get(reverse("weekly_reports")).status_code == status


def test_another_agencys_report_is_not_found(report, world, client_for):
    build_weekly_report(report.pk)
    client = client_for(world.b.user(Role.MANAGER))
    assert client.get(reverse("weekly_report_pdf", args=[report.pk])).status_code == 404
    assert client.post(reverse("weekly_report_regenerate", args=[report.pk])).status_code == 404
    assert WeeklyReport.objects.count() == 1


def test_the_reports_page_runs_the_same_queries_for_more_weeks(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.a.user(Role.MANAGER))

    def add_week(n):
        WeeklyReport.objects.create(
            agency=world.a.agency, week=MONDAY - timedelta(weeks=n), language="en"
        )
        WeeklyReport.objects.create(
            agency=world.a.agency,
            branch=world.a.branch,
            week=MONDAY - timedelta(weeks=n),
            language="en",
        )

    add_week(0)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("weekly_reports"))
    for n in range(1, 6):
        add_week(n)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("weekly_reports"))


def test_the_dashboard_shows_the_stored_weeks_as_trends(report, world, client_for, time_machine):
    build_weekly_report(report.pk)
    time_machine.move_to(sh(25, 9), tick=False)
    html = client_for(world.a.user(Role.SUPERVISOR)).get(reverse("dashboard")).content.decode()
    assert html.count('<figure class="report-chart"><svg') >= 15
    assert 'aria-label="Satisfied (score 4 or 5), the last 12 weeks"' in html
