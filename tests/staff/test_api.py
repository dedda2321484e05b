"""The staff API: records with uploads, patterns, skills, time off decisions, fixed query counts."""

from datetime import date, datetime

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.test.client import encode_multipart
from django.urls import reverse

from agency.models import AuditLog, Role
from staff.models import Certificate, StaffMember, TimeOff, TimeOffStatus, Training
from tests.factories import (
    CertificateFactory,
    StaffMemberFactory,
    StaffSkillFactory,
    TimeOffFactory,
    TrainingFactory,
    WorkingHoursFactory,
)
from tests.staff.conftest import SHANGHAI
from tests.uploads import pdf, photo, text_as

JSON = "application/json"
BOUNDARY = "hearth-staff-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


@pytest.fixture
def api(world, client_for):
    return client_for(world.a.user(Role.DISPATCHER))


def _new_staff(world, **overrides):
    return {
        "name": "李桂芳",
        "gender": "female",
        "home_branch": world.a.branch.pk,
        "phone": "159 1000 0001",
        "started_on": "2026-03-01",
        "languages": ["普通话", "粤语"],
        "districts": ["朝阳区"],
        "years_experience": 8,
        **overrides,
    }


# --- staff --------------------------------------------------------------------------------


def test_the_office_creates_a_staff_member_and_reads_the_phone(world, api):
    response = api.post(reverse("staff-list"), _new_staff(world), content_type=JSON)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["phone"], body["status"], body["home_branch"]) == (
        "15910000001",
        "active",
        world.a.branch.pk,
    )
    assert body["trainings_this_year"] == 0 and body["working_hours"] == []
    assert AuditLog.objects.filter(action="staff.create").exists()


def test_a_staff_member_with_a_photo_is_created_as_multipart(world, api, media):
    data = {**_new_staff(world), "photo": photo("li.png")}
    data["languages"] = ["普通话"]
    response = api.post(
        reverse("staff-list"), encode_multipart(BOUNDARY, data), content_type=MULTIPART
    )
    assert response.status_code == 201, response.json()
    # A signed link (agency.media), never the bare path.
    assert f"/media/agency-{world.a.agency.pk}/staff/photos/" in response.json()["photo"]
    assert ".png?sig=" in response.json()["photo"]
    assert response.json()["languages"] == ["普通话"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"home_branch": "foreign"}, "home_branch"),
        ({"user": "foreign-staff"}, "user"),
        ({"user": "dispatcher"}, "user"),
        ({"phone": "12"}, "phone"),
        ({"status": "left"}, "left_on"),
        ({"status": "retired"}, "status"),
    ],
)
def test_bad_staff_input_is_a_400_on_its_field(world, api, overrides, field):
    resolved = {
        "foreign": world.b.branch.pk,
        "foreign-staff": world.b.user(Role.STAFF).pk,
        "dispatcher": world.a.user(Role.DISPATCHER).pk,
    }
    payload = _new_staff(world, **{k: resolved.get(v, v) for k, v in overrides.items()})
    response = api.post(reverse("staff-list"), payload, content_type=JSON)
    assert response.status_code == 400
    assert field in response.json()
    assert not StaffMember.objects.exists()


def test_a_patch_changes_only_what_is_sent(world, api, staff):
    response = api.patch(
        reverse("staff-detail", kwargs={"pk": staff.pk}),
        {"years_experience": 10, "user": world.a.user(Role.STAFF).pk},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    staff.refresh_from_db()
    assert (staff.years_experience, staff.user, staff.name) == (
        10,
        world.a.user(Role.STAFF),
        "王秀兰",
    )


def test_the_staff_list_filters_and_runs_a_fixed_number_of_queries(
    world, api, django_assert_num_queries
):
    for index in range(12):
        person = StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch)
        StaffSkillFactory(agency=world.a.agency, staff=person, code="cleaning")
        if index % 3 == 0:
            StaffSkillFactory(agency=world.a.agency, staff=person, code="postpartum", level=5)
        TrainingFactory(agency=world.a.agency, staff=person, held_on=date(2026, 1, 10))
        CertificateFactory(agency=world.a.agency, staff=person, expires_on=date(2026, 7, 1))
    StaffMemberFactory.create_batch(3, agency=world.b.agency)
    # session, user, memberships with agency and branch, count,
    # page of rows with branch and the two counts, skills of the page
    with django_assert_num_queries(6):
        response = api.get(reverse("staff-list"))
    rows = response.json()["results"]
    assert len(rows) == 12
    assert {(r["trainings_this_year"], r["certificates_expiring"]) for r in rows} == {(1, 1)}
    assert all(r["phone"] and r["skills"] for r in rows)
    response = api.get(reverse("staff-list"), {"skill": "postpartum"})
    assert response.json()["count"] == 4


def test_field_staff_and_finance_cannot_read_staff_phones(world, client_for, staff):
    for role in (Role.STAFF, Role.FINANCE):
        response = client_for(world.a.user(role)).get(reverse("staff-list"))
        assert response.status_code == 403


def test_the_working_pattern_is_replaced_through_its_action(world, api, staff):
    WorkingHoursFactory(agency=world.a.agency, staff=staff, weekday=6)
    url = reverse("staff-working-hours", kwargs={"pk": staff.pk})
    blocks = [{"weekday": day, "starts": "08:00", "ends": "18:00"} for day in range(6)]
    response = api.post(url, {"blocks": blocks}, content_type=JSON)
    assert response.status_code == 200, response.json()
    assert [b["weekday"] for b in response.json()["working_hours"]] == list(range(6))
    overlapping = [
        {"weekday": 0, "starts": "08:00", "ends": "12:00"},
        {"weekday": 0, "starts": "11:00", "ends": "18:00"},
    ]
    response = api.post(url, {"blocks": overlapping}, content_type=JSON)
    assert response.status_code == 400
    [message] = response.json()["blocks"]
    assert message.startswith("星期一") and "08:00–12:00" in message and "11:00–18:00" in message
    assert staff.working_hours.count() == 6


def test_skills_are_set_through_their_action(world, api, staff):
    url = reverse("staff-skills", kwargs={"pk": staff.pk})
    response = api.post(url, {"skills": [{"code": "cleaning", "level": 4}]}, content_type=JSON)
    assert response.json()["skills"] == [{"code": "cleaning", "level": 4}]
    response = api.post(url, {"skills": [{"code": "cleaning", "level": 9}]}, content_type=JSON)
    assert response.status_code == 400
    assert staff.skills.get().level == 4


# --- time off ---------------------------------------------------------------------------------


def _ask(api, staff, first=20, last=22):
    return api.post(
        reverse("staff-time-off", kwargs={"pk": staff.pk}),
        {
            "starts": datetime(2026, 6, first, tzinfo=SHANGHAI).isoformat(),
            "ends": datetime(2026, 6, last, tzinfo=SHANGHAI).isoformat(),
            "reason": "回老家",
        },
        content_type=JSON,
    )


def test_time_off_is_requested_by_the_office_and_decided_by_a_supervisor(
    world, api, client_for, staff
):
    response = _ask(api, staff)
    assert response.status_code == 201, response.json()
    time_off_id = response.json()["id"]
    assert response.json()["status"] == "requested"
    approve = reverse("timeoff-approve", kwargs={"pk": time_off_id})

    assert api.post(approve, content_type=JSON).status_code == 403  # a dispatcher
    supervisor = client_for(world.a.user(Role.SUPERVISOR))
    response = supervisor.post(approve, content_type=JSON)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decided_by"]) == (
        "approved",
        world.a.user(Role.SUPERVISOR).username,
    )
    # Already decided: a conflict.
    assert supervisor.post(approve, content_type=JSON).status_code == 409


def test_an_overlapping_request_or_approval_is_a_400(world, api, client_for, staff):
    assert _ask(api, staff).status_code == 201
    response = _ask(api, staff, first=21, last=23)
    assert response.status_code == 400 and "starts" in response.json()
    TimeOff.objects.update(status=TimeOffStatus.APPROVED)
    clash = TimeOffFactory(
        agency=world.a.agency,
        staff=staff,
        period=DateTimeTZRange(
            datetime(2026, 6, 21, tzinfo=SHANGHAI), datetime(2026, 6, 23, tzinfo=SHANGHAI)
        ),
    )
    response = client_for(world.a.user(Role.MANAGER)).post(
        reverse("timeoff-approve", kwargs={"pk": clash.pk}), content_type=JSON
    )
    assert response.status_code == 400
    assert "period" in response.json()


def test_a_rejection_carries_its_note_into_the_audit_log(world, client_for, staff):
    time_off = TimeOffFactory(agency=world.a.agency, staff=staff)
    response = client_for(world.a.user(Role.MANAGER)).post(
        reverse("timeoff-reject", kwargs={"pk": time_off.pk}),
        {"note": "旺季"},
        content_type=JSON,
    )
    assert response.json()["status"] == "rejected"
    assert AuditLog.objects.get(action="time_off.reject").changes["note"] == "旺季"


def test_the_time_off_list_filters_and_runs_a_fixed_number_of_queries(
    world, api, django_assert_num_queries
):
    TimeOffFactory.create_batch(8, agency=world.a.agency)
    TimeOffFactory(agency=world.a.agency, status=TimeOffStatus.REJECTED)
    TimeOffFactory.create_batch(2, agency=world.b.agency)
    # session, user, memberships, count, page joined with staff and decider
    with django_assert_num_queries(5):
        response = api.get(reverse("timeoff-list"), {"status": "requested"})
    assert response.json()["count"] == 8


# --- certificates and trainings -------------------------------------------------------------


def test_a_certificate_is_created_with_its_scan(world, api, staff, media):
    data = {"staff": staff.pk, "kind": "health", "issued_on": "2026-01-05", "scan": pdf()}
    response = api.post(
        reverse("certificate-list"), encode_multipart(BOUNDARY, data), content_type=MULTIPART
    )
    assert response.status_code == 201, response.json()
    assert ".pdf?sig=" in response.json()["scan"]
    assert response.json()["staff_name"] == staff.name


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"issued_on": "2026-05-01", "expires_on": "2026-04-01"}, "expires_on"),
        ({"issued_on": "2026-05-01", "scan": "text"}, "scan"),
        ({"issued_on": "2026-05-01", "staff": "foreign"}, "staff"),
    ],
)
def test_a_bad_certificate_is_a_400_and_nothing_is_written(world, api, staff, media, data, field):
    foreign = StaffMemberFactory(agency=world.b.agency)
    payload = {"staff": staff.pk, "kind": "health", **data}
    if payload.get("staff") == "foreign":
        payload["staff"] = foreign.pk
    if payload.get("scan") == "text":
        payload["scan"] = text_as("scan.pdf")
    response = api.post(
        reverse("certificate-list"), encode_multipart(BOUNDARY, payload), content_type=MULTIPART
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Certificate.objects.exists()


def test_certificates_expiring_within_days_and_a_fixed_query_count(
    world, api, django_assert_num_queries
):
    due = [
        CertificateFactory(agency=world.a.agency, expires_on=date(2026, 6, 15 + day))
        for day in range(10)
    ]
    CertificateFactory.create_batch(5, agency=world.a.agency, expires_on=date(2027, 1, 1))
    CertificateFactory(agency=world.b.agency, expires_on=date(2026, 6, 20))
    # session, user, memberships, count, page joined with staff
    with django_assert_num_queries(5):
        response = api.get(reverse("certificate-list"), {"expiring_within_days": 30})
    assert [row["id"] for row in response.json()["results"]] == [c.pk for c in due]
    assert api.get(reverse("certificate-list")).json()["count"] == 15
    response = api.get(reverse("certificate-list"), {"expiring_within_days": -1})
    assert response.status_code == 400


def test_a_certificate_is_corrected_with_a_patch(world, api):
    certificate = CertificateFactory(agency=world.a.agency)
    url = reverse("certificate-detail", kwargs={"pk": certificate.pk})
    response = api.patch(url, {"expires_on": "2031-01-01"}, content_type=JSON)
    assert response.status_code == 200, response.json()
    certificate.refresh_from_db()
    assert certificate.expires_on == date(2031, 1, 1)
    response = api.patch(url, {"expires_on": "2020-01-01"}, content_type=JSON)
    assert response.status_code == 400 and "expires_on" in response.json()


def test_trainings_are_recorded_and_counted_by_year(world, api, staff, django_assert_num_queries):
    response = api.post(
        reverse("training-list"),
        {
            "staff": staff.pk,
            "kind": "assessment",
            "course": "育儿嫂考核",
            "held_on": "2026-06-01",
            "score": "88.0",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    TrainingFactory.create_batch(6, agency=world.a.agency, held_on=date(2026, 3, 1))
    TrainingFactory(agency=world.a.agency, held_on=date(2025, 3, 1))
    # session, user, memberships, count, page joined with staff
    with django_assert_num_queries(5):
        response = api.get(reverse("training-list"), {"year": 2026})
    assert response.json()["count"] == 7
    future = api.post(
        reverse("training-list"),
        {"staff": staff.pk, "kind": "training", "course": "x", "held_on": "2026-07-01"},
        content_type=JSON,
    )
    assert future.status_code == 400 and "held_on" in future.json()
    assert Training.objects.count() == 8
