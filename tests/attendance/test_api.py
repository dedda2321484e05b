"""The attendance API under /api/office-attendance/."""

from datetime import date

import time_machine
from django.urls import reverse

from agency.models import Role
from attendance.models import AttendanceDay
from tests.attendance.conftest import at


def test_clock_in_twice_answers_the_first(world, client_for):
    client = client_for(world.a.user(Role.DISPATCHER))
    url = reverse("api_office_attendance_clock_in")
    with time_machine.travel(at("2026-12-09", "08:31"), tick=False):
        first = client.post(url, {"note": "by the front door"}, content_type="application/json")
    with time_machine.travel(at("2026-12-09", "08:50"), tick=False):
        second = client.post(url, {}, content_type="application/json")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json() == second.json()
    assert first.json()["note"] == "by the front door"
    assert AttendanceDay.objects.count() == 1


def test_clock_out_and_my_days(world, client_for):
    client = client_for(world.a.user(Role.FINANCE))
    out = reverse("api_office_attendance_clock_out")
    refused = client.post(out, {}, content_type="application/json")
    assert refused.status_code == 400
    client.post(reverse("api_office_attendance_clock_in"), {}, content_type="application/json")
    assert client.post(out, {}, content_type="application/json").status_code == 200
    assert client.post(out, {}, content_type="application/json").status_code == 400
    mine = client.get(reverse("api_office_attendance"), {"month": "2026-12"}).json()
    assert mine["month"] == "2026-12"
    assert mine["today"]["day"] == "2026-12-09"
    assert [day["day"] for day in mine["days"]] == ["2026-12-09"]
    assert client.get(reverse("api_office_attendance"), {"month": "2026-13"}).status_code == 400


def test_field_staff_are_refused(world, client_for):
    client = client_for(world.a.user(Role.STAFF))
    assert client.get(reverse("api_office_attendance")).status_code == 403
    response = client.post(
        reverse("api_office_attendance_clock_in"), {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not AttendanceDay.objects.exists()


def test_report_is_the_managers(world, client_for, joined_in_november):
    url = reverse("api_office_attendance_report")
    for role in (Role.SUPERVISOR, Role.DISPATCHER, Role.FINANCE, Role.STAFF):
        assert client_for(world.a.user(role)).get(url).status_code == 403
    AttendanceDay.objects.create(
        agency=world.a.agency,
        user=world.a.user(Role.SUPERVISOR),
        day=date(2026, 12, 1),
        clocked_in_at=at("2026-12-01", "08:30"),
        clocked_out_at=at("2026-12-01", "16:00"),
    )
    body = client_for(world.a.user(Role.MANAGER)).get(url, {"month": "2026-12"}).json()
    assert body["month"] == "2026-12" and body["currency"] == "CNY"
    supervisor = next(r for r in body["rows"] if r["user"] == world.a.user(Role.SUPERVISOR).pk)
    # 1–8 December: six weekdays before today (the 9th, still open); one worked, left early.
    assert supervisor["days_worked"] == 1
    assert supervisor["early_leaves"] == 1
    assert supervisor["absent_days"] == 5
    assert supervisor["deductions"] == "0.00"
    assert {r["user"] for r in body["rows"]}.isdisjoint({world.b.user(role).pk for role in Role})


def test_correction_by_api_names_this_agencys_members_only(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    url = reverse("api_office_attendance_corrections")
    theirs = client.post(
        url,
        {
            "member": world.b.members[Role.FINANCE].pk,
            "day": "2026-12-08",
            "clocked_in": "08:30",
            "reason": "x",
        },
        content_type="application/json",
    )
    assert theirs.status_code == 400 and "member" in theirs.json()
    ours = client.post(
        url,
        {
            "member": world.a.members[Role.FINANCE].pk,
            "day": "2026-12-08",
            "clocked_in": "08:30",
            "clocked_out": "17:30",
            "reason": "card reader broken",
        },
        content_type="application/json",
    )
    assert ours.status_code == 200, ours.content
    assert ours.json()["corrected"] is True
    assert not AttendanceDay.objects.filter(agency=world.b.agency).exists()
    supervisor = client_for(world.a.user(Role.SUPERVISOR))
    assert supervisor.post(url, {}, content_type="application/json").status_code == 403


def test_the_endpoints_are_in_the_schema(world, client_for):
    schema = client_for(world.a.user(Role.MANAGER)).get(reverse("api_schema"), {"format": "json"})
    paths = schema.json()["paths"]
    for path in ("", "clock-in/", "clock-out/", "report/", "corrections/"):
        assert f"/api/office-attendance/{path}" in paths
