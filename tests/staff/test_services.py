"""The staff services: validation by field, audit entries, roles, overlaps, ratings."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from agency.audit import Actor
from agency.models import AuditLog, Role
from staff.models import (
    Certificate,
    StaffMember,
    StaffSkill,
    TimeOff,
    TimeOffStatus,
    Training,
    WorkingHours,
)
from staff.services.qualifications import certificate_add, certificate_update, training_add
from staff.services.records import staff_create, staff_record_rating, staff_skills_set, staff_update
from staff.services.time_off import (
    TimeOffStateConflict,
    period_text,
    time_off_approve,
    time_off_reject,
    time_off_request,
)
from staff.services.working_hours import WorkingBlock, working_hours_set
from tests.factories import (
    BranchFactory,
    MembershipFactory,
    StaffMemberFactory,
    TimeOffFactory,
    WorkingHoursFactory,
)
from tests.staff.conftest import SHANGHAI, actor_for


def _new_staff(world, actor, **overrides):
    values = {
        "agency": world.a.agency,
        "actor": actor,
        "home_branch": world.a.branch,
        "name": " 李桂芳 ",
        "gender": "female",
        "phone": "159 1000-0001",
        "started_on": date(2026, 3, 1),
        "languages": ["普通话", " 粤语", "普通话", ""],
        "districts": ["朝阳区"],
    }
    return staff_create(**{**values, **overrides})


def _field_errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- staff records ---------------------------------------------------------------


def test_a_new_staff_member_is_saved_clean_and_audited_with_the_phone_masked(world, dispatcher):
    staff = _new_staff(world, dispatcher)
    assert (staff.name, staff.phone) == ("李桂芳", "15910000001")
    assert staff.languages == ["普通话", "粤语"]
    entry = AuditLog.objects.get(action="staff.create")
    assert entry.object_id == str(staff.pk) and entry.actor == dispatcher.user
    assert entry.changes["phone"] == [None, "***"]
    assert "15910000001" not in str(entry.changes)


def test_a_foreign_branch_and_a_login_that_is_not_field_staff_are_refused_by_field(
    world, dispatcher
):
    with pytest.raises(ValidationError) as excinfo:
        _new_staff(
            world,
            dispatcher,
            home_branch=world.b.branch,
            user=world.a.user(Role.DISPATCHER),
        )
    assert {"home_branch", "user"} <= set(_field_errors(excinfo))
    with pytest.raises(ValidationError) as excinfo:
        _new_staff(world, dispatcher, user=world.b.user(Role.STAFF))
    assert "user" in _field_errors(excinfo)
    assert not StaffMember.objects.exists()
    assert not AuditLog.objects.filter(action="staff.create").exists()


def test_the_login_of_the_agencys_field_staff_links(world, dispatcher):
    staff = _new_staff(world, dispatcher, user=world.a.user(Role.STAFF))
    assert staff.user == world.a.user(Role.STAFF)


def test_two_staff_members_cannot_share_a_phone(world, dispatcher):
    _new_staff(world, dispatcher)
    with pytest.raises(ValidationError) as excinfo:
        _new_staff(world, dispatcher, name="另一位", phone="15910000001")
    assert "李桂芳" in _field_errors(excinfo)["phone"][0]
    # Another agency may have a staff member with the same number.
    _new_staff(world, dispatcher, agency=world.b.agency, home_branch=world.b.branch)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone": "12-34"}, "phone"),
        ({"status": "left"}, "left_on"),
        ({"status": "left", "left_on": date(2026, 2, 1)}, "left_on"),
        ({"birth_year": 2015}, "birth_year"),
        ({"name": ""}, "name"),
        ({"gender": "robot"}, "gender"),
    ],
)
def test_bad_staff_input_is_refused_on_its_field(world, dispatcher, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        _new_staff(world, dispatcher, **overrides)
    assert field in _field_errors(excinfo)
    assert not StaffMember.objects.exists()


def test_an_update_saves_and_audits_only_what_changed(world, dispatcher, staff):
    staff_update(
        staff=staff, actor=dispatcher, name=staff.name, years_experience=9, phone=staff.phone
    )
    staff.refresh_from_db()
    assert staff.years_experience == 9
    entry = AuditLog.objects.get(action="staff.update")
    assert entry.changes == {"years_experience": [3, 9]}
    staff_update(staff=staff, actor=dispatcher, years_experience=9)
    assert AuditLog.objects.filter(action="staff.update").count() == 1


def test_leaving_needs_a_date_after_starting(world, dispatcher, staff):
    with pytest.raises(ValidationError) as excinfo:
        staff_update(staff=staff, actor=dispatcher, status="left")
    assert "left_on" in _field_errors(excinfo)
    staff_update(staff=staff, actor=dispatcher, status="left", left_on=date(2026, 6, 1))
    staff.refresh_from_db()
    assert (staff.status, staff.left_on) == ("left", date(2026, 6, 1))


def test_moving_to_a_branch_of_another_agency_is_refused(world, dispatcher, staff):
    with pytest.raises(ValidationError) as excinfo:
        staff_update(staff=staff, actor=dispatcher, home_branch=world.b.branch)
    assert "home_branch" in _field_errors(excinfo)
    staff.refresh_from_db()
    assert staff.home_branch == world.a.branch


# --- skills ---------------------------------------------------------------------------


def test_the_skill_set_adds_updates_and_removes_in_one_audited_change(world, dispatcher, staff):
    staff_skills_set(staff=staff, actor=dispatcher, skills={"cleaning": 3, "childcare": 2})
    staff_skills_set(staff=staff, actor=dispatcher, skills={"cleaning": 5, "elderly-care": 4})
    assert dict(staff.skills.values_list("code", "level")) == {"cleaning": 5, "elderly-care": 4}
    last = AuditLog.objects.filter(action="staff.skills").first()
    assert last.changes == {
        "cleaning": [3, 5],
        "childcare": [2, None],
        "elderly-care": [None, 4],
    }


@pytest.mark.parametrize("skills", [{"cleaning": 6}, {"cleaning": 0}, {"Deep Clean!": 3}])
def test_a_bad_skill_or_level_changes_nothing(world, dispatcher, staff, skills):
    staff_skills_set(staff=staff, actor=dispatcher, skills={"cleaning": 3})
    with pytest.raises(ValidationError) as excinfo:
        staff_skills_set(staff=staff, actor=dispatcher, skills=skills)
    assert "skills" in _field_errors(excinfo)
    assert list(StaffSkill.objects.values_list("code", "level")) == [("cleaning", 3)]


# --- certificates and trainings --------------------------------------------------------


def test_a_certificate_expiring_before_it_was_issued_is_refused(world, dispatcher, staff):
    with pytest.raises(ValidationError) as excinfo:
        certificate_add(
            staff=staff,
            actor=dispatcher,
            kind="health",
            issued_on=date(2026, 5, 1),
            expires_on=date(2026, 4, 1),
        )
    assert _field_errors(excinfo) == {
        "expires_on": ["The expiry date must be after the issue date."]
    }
    assert not Certificate.objects.exists()


def test_a_certificate_cannot_be_issued_in_the_future(world, dispatcher, staff):
    with pytest.raises(ValidationError) as excinfo:
        certificate_add(staff=staff, actor=dispatcher, kind="health", issued_on=date(2026, 6, 16))
    assert "issued_on" in _field_errors(excinfo)


def test_a_certificate_is_added_and_corrected_with_audit_entries(world, dispatcher, staff):
    certificate = certificate_add(
        staff=staff,
        actor=dispatcher,
        kind="maternity-nurse",
        number=" MN-001 ",
        issued_on=date(2025, 1, 1),
        expires_on=date(2028, 1, 1),
    )
    assert certificate.number == "MN-001"
    certificate_update(certificate=certificate, actor=dispatcher, expires_on=date(2029, 1, 1))
    certificate.refresh_from_db()
    assert certificate.expires_on == date(2029, 1, 1)
    entry = AuditLog.objects.get(action="certificate.update")
    assert entry.changes["expires_on"] == ["2028-01-01", "2029-01-01"]
    assert entry.object_id == str(staff.pk)
    with pytest.raises(ValidationError):
        certificate_update(certificate=certificate, actor=dispatcher, expires_on=date(2024, 1, 1))
    certificate.refresh_from_db()
    assert certificate.expires_on == date(2029, 1, 1)


def test_a_training_is_recorded_once_it_has_taken_place(world, dispatcher, staff):
    training = training_add(
        staff=staff,
        actor=dispatcher,
        kind="assessment",
        course="母婴护理考核",
        held_on=date(2026, 6, 15),
        hours=Decimal("4.0"),
        score=Decimal("92.5"),
    )
    assert AuditLog.objects.get(action="training.add").changes["course"] == [None, "母婴护理考核"]
    assert training.score == Decimal("92.5")
    for bad, field in (
        ({"held_on": date(2026, 6, 16)}, "held_on"),
        ({"score": Decimal("101")}, "score"),
        ({"hours": Decimal("-1")}, "hours"),
        ({"course": "  "}, "course"),
    ):
        values = {"kind": "training", "course": "保洁规范", "held_on": date(2026, 6, 1), **bad}
        with pytest.raises(ValidationError) as excinfo:
            training_add(staff=staff, actor=dispatcher, **values)
        assert field in _field_errors(excinfo), bad
    assert Training.objects.count() == 1


# --- working pattern --------------------------------------------------------------------


def test_the_working_pattern_is_replaced_as_a_whole(world, dispatcher, staff):
    WorkingHoursFactory(agency=world.a.agency, staff=staff, weekday=6)
    blocks = [
        WorkingBlock(0, time(8), time(12)),
        WorkingBlock(0, time(13), time(18)),
        WorkingBlock(2, time(8), time(18)),
    ]
    working_hours_set(staff=staff, actor=dispatcher, blocks=blocks)
    pattern = list(
        staff.working_hours.order_by("weekday", "starts").values_list("weekday", "starts", "ends")
    )
    assert pattern == [(0, time(8), time(12)), (0, time(13), time(18)), (2, time(8), time(18))]
    entry = AuditLog.objects.get(action="staff.working_hours")
    assert entry.changes["pattern"][0] == "Sunday 08:00–18:00"


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        (
            [WorkingBlock(1, time(8), time(12)), WorkingBlock(1, time(11), time(18))],
            "Tuesday: 08:00–12:00 overlaps 11:00–18:00.",
        ),
        ([WorkingBlock(3, time(18), time(8))], "Thursday: the end must be after the start"),
        ([WorkingBlock(7, time(8), time(9))], "A weekday is from 0"),
    ],
)
def test_a_bad_working_pattern_keeps_the_old_one(world, dispatcher, staff, blocks, message):
    WorkingHoursFactory(agency=world.a.agency, staff=staff, weekday=0)
    with pytest.raises(ValidationError) as excinfo:
        working_hours_set(staff=staff, actor=dispatcher, blocks=blocks)
    assert message in _field_errors(excinfo)["blocks"][0]
    assert list(WorkingHours.objects.values_list("weekday", flat=True)) == [0]


def test_an_empty_pattern_is_allowed(world, dispatcher, staff):
    WorkingHoursFactory(agency=world.a.agency, staff=staff)
    working_hours_set(staff=staff, actor=dispatcher, blocks=[])
    assert not WorkingHours.objects.exists()


# --- time off --------------------------------------------------------------------------


def _at(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, tzinfo=SHANGHAI)


def _request(staff, actor, first=20, last=22, reason="回老家"):
    return time_off_request(
        staff=staff, actor=actor, starts=_at(first), ends=_at(last), reason=reason
    )


def test_the_office_requests_time_off_and_a_supervisor_approves_it(
    world, dispatcher, supervisor, staff
):
    time_off = _request(staff, dispatcher)
    assert time_off.status == TimeOffStatus.REQUESTED
    time_off_approve(time_off=time_off, actor=supervisor)
    time_off.refresh_from_db()
    assert time_off.status == TimeOffStatus.APPROVED
    assert time_off.decided_by == supervisor.user
    assert time_off.decided_at is not None
    actions = list(AuditLog.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["time_off.request", "time_off.approve"]


def test_a_staff_member_requests_their_own_time_off_but_not_a_colleagues(world, staff):
    own_user = world.a.user(Role.STAFF)
    staff.user = own_user
    staff.save()
    _request(staff, Actor(user=own_user))
    colleague = StaffMemberFactory(agency=world.a.agency)
    with pytest.raises(PermissionDenied):
        _request(colleague, Actor(user=own_user))
    with pytest.raises(PermissionDenied):
        _request(staff, actor_for(world, Role.FINANCE), first=25, last=26)
    assert TimeOff.objects.count() == 1


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.FINANCE, Role.STAFF])
def test_only_a_supervisor_or_manager_decides_on_time_off(world, dispatcher, staff, role):
    time_off = _request(staff, dispatcher)
    with pytest.raises(PermissionDenied):
        time_off_approve(time_off=time_off, actor=actor_for(world, role))
    with pytest.raises(PermissionDenied):
        time_off_reject(time_off=time_off, actor=actor_for(world, role))
    # A supervisor of another agency is nobody here.
    with pytest.raises(PermissionDenied):
        time_off_approve(time_off=time_off, actor=Actor(user=world.b.user(Role.SUPERVISOR)))
    time_off.refresh_from_db()
    assert time_off.status == TimeOffStatus.REQUESTED


def test_a_manager_rejects_with_a_note_and_a_decision_is_final(world, dispatcher, staff):
    manager = actor_for(world, Role.MANAGER)
    time_off = _request(staff, dispatcher)
    time_off_reject(time_off=time_off, actor=manager, note="旺季人手不足")
    time_off.refresh_from_db()
    assert time_off.status == TimeOffStatus.REJECTED
    assert AuditLog.objects.get(action="time_off.reject").changes["note"] == "旺季人手不足"
    with pytest.raises(TimeOffStateConflict):
        time_off_approve(time_off=time_off, actor=manager)


def test_time_off_ending_before_it_starts_is_refused(world, dispatcher, staff):
    with pytest.raises(ValidationError) as excinfo:
        _request(staff, dispatcher, first=22, last=20)
    assert "ends" in _field_errors(excinfo)
    assert not TimeOff.objects.exists()


def test_a_request_overlapping_requested_or_approved_time_off_is_refused(world, dispatcher, staff):
    _request(staff, dispatcher, first=20, last=22)
    with pytest.raises(ValidationError) as excinfo:
        _request(staff, dispatcher, first=21, last=23)
    assert "already requested" in _field_errors(excinfo)["starts"][0]
    # Back to back is no overlap: the period ends where the next begins.
    _request(staff, dispatcher, first=22, last=23)
    # Another person's time off does not matter.
    _request(StaffMemberFactory(agency=world.a.agency), dispatcher, first=20, last=22)


def test_approving_time_off_that_overlaps_approved_time_off_is_refused(world, supervisor, staff):
    approved = TimeOffFactory(
        agency=world.a.agency,
        staff=staff,
        period=DateTimeTZRange(_at(20), _at(22)),
        status=TimeOffStatus.APPROVED,
    )
    # Recorded before the rule existed (or imported): overlaps the approved one.
    clash = TimeOffFactory(
        agency=world.a.agency, staff=staff, period=DateTimeTZRange(_at(21), _at(24))
    )
    with pytest.raises(ValidationError) as excinfo:
        time_off_approve(time_off=clash, actor=supervisor)
    message = _field_errors(excinfo)["period"][0]
    assert "overlaps approved time off" in message and "2026-06-20 00:00" in message
    clash.refresh_from_db()
    assert clash.status == TimeOffStatus.REQUESTED
    assert approved.pk != clash.pk


def test_the_exclusion_constraint_backs_the_overlap_check(world, supervisor, staff, monkeypatch):
    """A concurrent approval the check could not see still fails, with the same kind of error."""
    TimeOffFactory(
        agency=world.a.agency,
        staff=staff,
        period=DateTimeTZRange(_at(20), _at(22)),
        status=TimeOffStatus.APPROVED,
    )
    clash = TimeOffFactory(
        agency=world.a.agency, staff=staff, period=DateTimeTZRange(_at(21), _at(24))
    )
    monkeypatch.setattr("staff.services.time_off._overlapping", lambda *args, **kwargs: None)
    with pytest.raises(ValidationError) as excinfo:
        time_off_approve(time_off=clash, actor=supervisor)
    assert "period" in _field_errors(excinfo)
    clash.refresh_from_db()
    assert clash.status == TimeOffStatus.REQUESTED


def test_a_new_branch_does_not_change_who_decides(world, dispatcher, staff):
    """A supervisor with a home branch still decides for staff of any branch of the agency."""
    other_branch = BranchFactory(agency=world.a.agency)
    branch_supervisor = MembershipFactory(
        agency=world.a.agency, role=Role.SUPERVISOR, branch=other_branch
    ).user
    time_off = _request(staff, dispatcher)
    time_off_approve(time_off=time_off, actor=Actor(user=branch_supervisor))
    time_off.refresh_from_db()
    assert time_off.status == TimeOffStatus.APPROVED


# --- rating ------------------------------------------------------------------------------


def test_ratings_fold_into_a_mean_with_a_count(world, staff):
    staff_record_rating(staff=staff, score=5)
    staff_record_rating(staff=staff, score=4)
    updated = staff_record_rating(staff=staff, score=Decimal("4"))
    staff.refresh_from_db()
    assert (staff.rating, staff.rating_count) == (Decimal("4.33"), 3)
    assert updated.rating == staff.rating
    entries = AuditLog.objects.filter(action="staff.rating").order_by("id")
    assert entries.count() == 3
    assert entries.last().changes == {"rating": ["4.50", "4.33"], "rating_count": [2, 3]}
    assert entries.last().actor is None  # the system, on the customer's feedback


@pytest.mark.parametrize("score", [0, 6, Decimal("5.5"), "abc"])
def test_a_score_outside_one_to_five_is_refused(world, staff, score):
    with pytest.raises(ValidationError) as excinfo:
        staff_record_rating(staff=staff, score=score)
    assert "score" in _field_errors(excinfo)
    staff.refresh_from_db()
    assert (staff.rating, staff.rating_count) == (None, 0)


def test_the_service_windows_are_in_the_agencys_time_zone(world, dispatcher, staff):
    time_off = _request(staff, dispatcher)
    assert period_text(time_off) == "2026-06-20 00:00 – 2026-06-22 00:00"
    assert time_off.period.lower == _at(20) and time_off.period.upper - time_off.period.lower == (
        timedelta(days=2)
    )
