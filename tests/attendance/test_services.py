"""Clocking in and out, corrections and the monthly report's rules (DESIGN.md: office hours
8:30–17:30; office staff sign in, with deductions)."""

from datetime import date, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from agency.audit import Actor
from agency.models import AuditLog, Role
from attendance.models import AttendanceDay, AttendancePolicy, OfficeDayOff
from attendance.selectors import member_month, month_report
from attendance.services import (
    attendance_correct,
    attendance_policy_save,
    clock_in,
    clock_out,
    office_day_off_add,
    office_day_off_remove,
)
from tests.attendance.conftest import at

DECEMBER = date(2026, 12, 1)


def actor(world, role: Role = Role.DISPATCHER) -> Actor:
    return Actor(user=world.a.user(role))


def row_of(report, user):
    return next(row for row in report.rows if row.membership.user_id == user.pk)


def test_second_clock_in_answers_the_first(world):
    with time_machine.travel(at("2026-12-09", "08:29"), tick=False):
        first = clock_in(agency=world.a.agency, actor=actor(world))
    with time_machine.travel(at("2026-12-09", "09:15"), tick=False):
        second = clock_in(agency=world.a.agency, actor=actor(world))
    assert first.created and not second.created
    assert second.day.pk == first.day.pk
    assert second.day.clocked_in_at == at("2026-12-09", "08:29")
    assert AttendanceDay.objects.count() == 1
    assert AuditLog.objects.filter(action="attendance.clock_in").count() == 1


def test_the_day_is_the_agencys_local_day(world):
    agency = world.a.agency
    agency.time_zone = "America/New_York"
    agency.save()
    new_york = ZoneInfo("America/New_York")
    # 23:30 on 8 December in New York is already 9 December in UTC and in Shanghai.
    with time_machine.travel(at("2026-12-08", "23:30", new_york), tick=False):
        result = clock_in(agency=agency, actor=actor(world))
    assert result.day.day == date(2026, 12, 8)


def test_clock_out_needs_a_clock_in_and_happens_once(world):
    agency = world.a.agency
    with pytest.raises(ValidationError, match="Clock in first"):
        clock_out(agency=agency, actor=actor(world))
    with time_machine.travel(at("2026-12-09", "08:20"), tick=False):
        clock_in(agency=agency, actor=actor(world))
    with time_machine.travel(at("2026-12-09", "17:40"), tick=False):
        record = clock_out(agency=agency, actor=actor(world))
    assert record.clocked_out_at == at("2026-12-09", "17:40")
    with (
        time_machine.travel(at("2026-12-09", "18:10"), tick=False),
        pytest.raises(ValidationError, match=r"clocked out at 5:40 p\.m\. already"),
    ):
        clock_out(agency=agency, actor=actor(world))
    record.refresh_from_db()
    assert record.clocked_out_at == at("2026-12-09", "17:40")


def test_field_staff_do_not_clock_in_at_the_office(world):
    with pytest.raises(PermissionDenied):
        clock_in(agency=world.a.agency, actor=actor(world, Role.STAFF))
    # Nor may a member of one agency clock in at the other.
    with pytest.raises(PermissionDenied):
        clock_in(agency=world.b.agency, actor=actor(world))
    assert not AttendanceDay.objects.exists()


def test_late_and_early_in_the_agencys_zone(world):
    """Grace 5 minutes: 08:35 local is on time, 08:36 late; 17:29 is an early leave."""
    agency = world.a.agency
    agency.time_zone = "America/New_York"
    agency.save()
    new_york = ZoneInfo("America/New_York")
    members = world.a.members
    members[Role.DISPATCHER].created_at = at("2026-12-01", "09:00", new_york)
    members[Role.DISPATCHER].save()
    for day, arrive, leave in (
        ("2026-12-01", "08:35", "17:30"),  # on time, full day
        ("2026-12-02", "08:36", "17:45"),  # late
        ("2026-12-03", "08:10", "17:29"),  # early leave
    ):
        with time_machine.travel(at(day, arrive, new_york), tick=False):
            clock_in(agency=agency, actor=actor(world))
        with time_machine.travel(at(day, leave, new_york), tick=False):
            clock_out(agency=agency, actor=actor(world))
    with time_machine.travel(at("2026-12-03", "18:00", new_york), tick=False):
        month = member_month(agency=agency, membership=members[Role.DISPATCHER], month=DECEMBER)
    assert month.days_worked == 3
    assert [line.day.day for line in month.lines if line.late] == [2]
    assert [line.day.day for line in month.lines if line.left_early] == [3]
    assert month.absent_days == 0


def test_absent_days_skip_days_off_weekends_and_days_before_joining(world):
    """Joined Wednesday 9 December; the 10th is an office day off; the 12th and 13th are a
    weekend. By Monday the 14th after closing: absent the 11th and the 14th."""
    agency = world.a.agency
    manager = actor(world, Role.MANAGER)
    attendance_policy_save(
        agency=agency,
        actor=manager,
        starts_at=time(8, 30),
        ends_at=time(17, 30),
        grace_minutes=5,
        working_weekdays=[0, 1, 2, 3, 4],
        late_deduction=Decimal("20.00"),
        absence_deduction=Decimal("100.00"),
    )
    office_day_off_add(agency=agency, actor=manager, day=date(2026, 12, 10), name="Company day")
    with time_machine.travel(at("2026-12-09", "10:00"), tick=False):  # the join day; late
        clock_in(agency=agency, actor=actor(world))

    with time_machine.travel(at("2026-12-14", "12:00"), tick=False):
        before_closing = row_of(
            month_report(agency=agency, month=DECEMBER), world.a.user(Role.DISPATCHER)
        )
    assert before_closing.absent_days == 1  # today still open: only the 11th

    with time_machine.travel(at("2026-12-14", "17:30"), tick=False):
        row = row_of(month_report(agency=agency, month=DECEMBER), world.a.user(Role.DISPATCHER))
    assert (row.days_worked, row.late_days, row.absent_days) == (1, 1, 2)
    assert row.deductions == Decimal("220.00")  # 1 × 20 + 2 × 100
    absent = [line.day.day for line in row.lines if line.absent]
    assert absent == [11, 14]


def test_report_lists_only_this_agencys_office_members(world):
    report = month_report(agency=world.a.agency, month=DECEMBER)
    users = {row.membership.user_id for row in report.rows}
    office = {world.a.user(role).pk for role in Role if role != Role.STAFF}
    assert users == office


def test_report_costs_four_queries_however_large_the_office(world, django_assert_num_queries):
    from tests.factories import MembershipFactory

    agency = world.a.agency
    with django_assert_num_queries(4):  # policy, days off, members, their days
        month_report(agency=agency, month=DECEMBER)
    for _ in range(5):
        member = MembershipFactory(agency=agency, role=Role.SUPERVISOR)
        AttendanceDay.objects.create(
            agency=agency,
            user=member.user,
            day=date(2026, 12, 9),
            clocked_in_at=at("2026-12-09", "08:00"),
        )
    with django_assert_num_queries(4):
        report = month_report(agency=agency, month=DECEMBER)
    assert sum(row.days_worked for row in report.rows) == 5


def test_manager_corrects_a_day_with_a_reason_in_the_audit_log(world, joined_in_november):
    agency = world.a.agency
    member = world.a.members[Role.FINANCE]
    record = attendance_correct(
        agency=agency,
        actor=actor(world, Role.MANAGER),
        membership=member,
        day=date(2026, 12, 7),
        clocked_in=time(8, 25),
        clocked_out=time(17, 35),
        reason="Phone flat; came in on time",
    )
    assert record.clocked_in_at == at("2026-12-07", "08:25")
    assert record.corrected_by == world.a.user(Role.MANAGER)
    entry = AuditLog.objects.get(action="attendance.correct")
    assert entry.changes["reason"] == "Phone flat; came in on time"
    assert entry.changes["clocked_in_at"][0] is None
    month = member_month(agency=agency, membership=member, month=DECEMBER)
    assert not any(line.absent for line in month.lines if line.day == date(2026, 12, 7))


@pytest.mark.parametrize(
    ("day", "clocked_in", "clocked_out", "reason", "field"),
    [
        (date(2026, 12, 7), time(8), time(17), "  ", "reason"),
        (date(2026, 12, 10), time(8), None, "ahead", "day"),
        (date(2026, 12, 7), None, time(17), "no in", "clocked_out"),
        (date(2026, 12, 7), time(17), time(8), "backwards", "clocked_out"),
    ],
)
def test_a_correction_is_refused_with_its_reason(
    world, day, clocked_in, clocked_out, reason, field
):
    with pytest.raises(ValidationError) as refused:
        attendance_correct(
            agency=world.a.agency,
            actor=actor(world, Role.MANAGER),
            membership=world.a.members[Role.FINANCE],
            day=day,
            clocked_in=clocked_in,
            clocked_out=clocked_out,
            reason=reason,
        )
    assert field in refused.value.message_dict
    assert not AttendanceDay.objects.exists()


def test_only_a_manager_corrects(world):
    with pytest.raises(PermissionDenied):
        attendance_correct(
            agency=world.a.agency,
            actor=actor(world, Role.SUPERVISOR),
            membership=world.a.members[Role.FINANCE],
            day=date(2026, 12, 7),
            clocked_in=time(8),
            clocked_out=None,
            reason="because",
        )


def test_days_off_are_added_once_and_removed(world):
    agency, manager = world.a.agency, actor(world, Role.MANAGER)
    office_day_off_add(agency=agency, actor=manager, day=date(2026, 12, 25), name="Christmas")
    with pytest.raises(ValidationError):
        office_day_off_add(agency=agency, actor=manager, day=date(2026, 12, 25), name="Again")
    office_day_off_remove(agency=agency, actor=manager, day=date(2026, 12, 25))
    assert not OfficeDayOff.objects.exists()


def test_policy_refuses_closing_before_opening(world):
    with pytest.raises(ValidationError) as refused:
        attendance_policy_save(
            agency=world.a.agency,
            actor=actor(world, Role.MANAGER),
            starts_at=time(17),
            ends_at=time(8),
            grace_minutes=5,
            working_weekdays=[0],
            late_deduction=Decimal(0),
            absence_deduction=Decimal(0),
        )
    assert "ends_at" in refused.value.message_dict
    assert not AttendancePolicy.objects.exists()


def test_demo_seed_is_idempotent_with_late_days_and_one_absence(world):
    from agency import demo as agency_demo
    from attendance import demo

    agency_demo.seed()
    demo.seed()
    count = AttendanceDay.objects.count()
    demo.seed()
    assert AttendanceDay.objects.count() == count > 0
    from agency.models import Agency

    anxin = Agency.objects.get(slug="anxin")
    november = month_report(agency=anxin, month=date(2026, 11, 1))
    assert sum(row.absent_days for row in november.rows) == 1
    assert sum(row.late_days for row in november.rows) >= 3
