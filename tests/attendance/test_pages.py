"""The attendance pages: the clock card, the manager's report and CSV, a member's month
with corrections, the policy and days off."""

import csv
import io
from datetime import date

import time_machine
from django.urls import reverse

from agency.models import AuditLog, Role
from attendance.models import AttendanceDay, AttendancePolicy, OfficeDayOff
from tests.attendance.conftest import at
from tests.factories import MembershipFactory


def test_every_office_role_clocks_in_from_the_card(world, client_for):
    for role in (Role.MANAGER, Role.SUPERVISOR, Role.DISPATCHER, Role.FINANCE):
        client = client_for(world.a.user(role))
        card = client.get(reverse("attendance")).content.decode()
        assert reverse("attendance_clock_in") in card and "签到" in card
        response = client.post(reverse("attendance_clock_in"), follow=True)
        assert response.status_code == 200
        assert reverse("attendance_clock_out") in response.content.decode()
    assert AttendanceDay.objects.filter(agency=world.a.agency).count() == 4


def test_field_staff_have_no_clock(world, client_for):
    client = client_for(world.a.user(Role.STAFF))
    assert client.get(reverse("attendance")).status_code == 403
    assert client.post(reverse("attendance_clock_in")).status_code == 403
    assert not AttendanceDay.objects.exists()


def test_second_clock_out_is_refused_with_a_message(world, client_for):
    client = client_for(world.a.user(Role.FINANCE))
    client.post(reverse("attendance_clock_in"))
    client.post(reverse("attendance_clock_out"))
    response = client.post(reverse("attendance_clock_out"), follow=True)
    assert "您今天已于" in response.content.decode()  # "you clocked out … already today"


def test_only_the_manager_reads_the_report(world, client_for):
    for role in (Role.SUPERVISOR, Role.DISPATCHER, Role.FINANCE, Role.STAFF):
        client = client_for(world.a.user(role))
        assert client.get(reverse("attendance_report")).status_code == 403
        assert client.get(reverse("attendance_report_csv")).status_code == 403
    manager = client_for(world.a.user(Role.MANAGER))
    response = manager.get(reverse("attendance_report"), {"month": "2026-12"})
    assert response.status_code == 200
    assert world.a.user(Role.FINANCE).username in response.content.decode()
    assert world.b.user(Role.FINANCE).username not in response.content.decode()


def test_a_month_not_named_yyyy_mm_is_a_bad_request(world, client_for):
    manager = client_for(world.a.user(Role.MANAGER))
    assert manager.get(reverse("attendance_report"), {"month": "12/2026"}).status_code == 400


def test_the_csv_reads_back(world, client_for, joined_in_november):
    agency = world.a.agency
    policy = AttendancePolicy.objects.create(agency=agency, late_deduction="15.50")
    assert policy.pk
    AttendanceDay.objects.create(
        agency=agency,
        user=world.a.user(Role.FINANCE),
        day=date(2026, 11, 3),
        clocked_in_at=at("2026-11-03", "08:50"),
        clocked_out_at=at("2026-11-03", "17:35"),
    )
    manager = client_for(world.a.user(Role.MANAGER))
    response = manager.get(reverse("attendance_report_csv"), {"month": "2026-11"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="attendance-2026-11.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(header) == 7 and header[0] == "成员" and header[-1] == "扣款（CNY）"
    by_name = {row[0]: row[2:] for row in rows}
    assert len(by_name) == 4  # the office roles; the field staff member does not clock in
    # November 2026 has 21 weekdays: one worked (late), twenty absent. Columns: worked,
    # late, early leaves, absent, deductions.
    assert by_name[world.a.user(Role.FINANCE).username] == ["1", "1", "0", "20", "15.50"]
    assert by_name[world.a.user(Role.MANAGER).username] == ["0", "0", "0", "21", "0.00"]


def test_manager_corrects_a_members_day(world, client_for, joined_in_november):
    member = world.a.members[Role.DISPATCHER]
    manager = client_for(world.a.user(Role.MANAGER))
    url = reverse("attendance_member", kwargs={"pk": member.pk})
    assert manager.get(url, {"month": "2026-12"}).status_code == 200
    response = manager.post(
        url, {"day": "2026-12-08", "clocked_in": "08:40", "clocked_out": "", "reason": "Forgot"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?month=2026-12")
    record = AttendanceDay.objects.get(user=member.user, day=date(2026, 12, 8))
    assert record.clocked_in_at == at("2026-12-08", "08:40")
    assert AuditLog.objects.filter(action="attendance.correct", agency=world.a.agency).exists()
    page = manager.get(url, {"month": "2026-12"}).content.decode()
    assert "已更正" in page  # corrected


def test_a_correction_without_reason_keeps_the_form(world, client_for):
    member = world.a.members[Role.DISPATCHER]
    manager = client_for(world.a.user(Role.MANAGER))
    url = reverse("attendance_member", kwargs={"pk": member.pk})
    response = manager.post(url, {"day": "2026-12-08", "clocked_in": "08:40", "reason": ""})
    assert response.status_code == 400
    assert not AttendanceDay.objects.exists()


def test_another_agencys_member_is_not_found(world, client_for):
    manager = client_for(world.a.user(Role.MANAGER))
    theirs = world.b.members[Role.DISPATCHER]
    url = reverse("attendance_member", kwargs={"pk": theirs.pk})
    assert manager.get(url).status_code == 404
    response = manager.post(url, {"day": "2026-12-08", "clocked_in": "08:40", "reason": "x"})
    assert response.status_code == 404
    assert not AttendanceDay.objects.exists()
    # Nor is one's own field staff member an office member with days to correct.
    staff = world.a.members[Role.STAFF]
    assert manager.get(reverse("attendance_member", kwargs={"pk": staff.pk})).status_code == 404


def test_policy_and_days_off_pages(world, client_for):
    manager = client_for(world.a.user(Role.MANAGER))
    assert manager.get(reverse("attendance_policy")).status_code == 200
    response = manager.post(
        reverse("attendance_policy"),
        {
            "starts_at": "09:00",
            "ends_at": "18:00",
            "grace_minutes": "10",
            "working_weekdays": ["0", "1", "2", "3", "4", "5"],
            "late_deduction": "10",
            "absence_deduction": "50",
        },
    )
    assert response.status_code == 302
    policy = AttendancePolicy.objects.get(agency=world.a.agency)
    assert policy.working_weekdays == [0, 1, 2, 3, 4, 5]
    assert policy.grace_minutes == 10
    bad = manager.post(reverse("attendance_policy"), {"starts_at": "09:00", "grace_minutes": "90"})
    assert bad.status_code == 400

    manager.post(reverse("attendance_day_off_add"), {"day": "2026-12-25", "name": "Christmas"})
    assert OfficeDayOff.objects.filter(agency=world.a.agency, name="Christmas").exists()
    again = manager.post(reverse("attendance_day_off_add"), {"day": "2026-12-25", "name": "X"})
    assert again.status_code == 400
    manager.post(reverse("attendance_day_off_remove"), {"day": "2026-12-25"})
    assert not OfficeDayOff.objects.exists()


def test_report_page_costs_the_same_for_a_larger_office(
    world, client_for, django_assert_num_queries
):
    manager = client_for(world.a.user(Role.MANAGER))
    url = reverse("attendance_report")
    manager.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        manager.get(url)
    for _ in range(6):
        MembershipFactory(agency=world.a.agency, role=Role.DISPATCHER)
    with CaptureQueriesContext(connection) as large:
        assert manager.get(url).status_code == 200
    assert len(large) == len(small)


def test_nav_links_the_clock(world, client_for):
    with time_machine.travel(at("2026-12-09", "10:00")):
        page = client_for(world.a.user(Role.FINANCE)).get(reverse("home")).content.decode()
    assert reverse("attendance") in page
