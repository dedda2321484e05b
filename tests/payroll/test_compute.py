"""The pay computation (`payroll.compute.period_compute`, issue 21): each rate kind and which
rate applies, overtime, statutory holidays, the travel allowance, placement wages pro rata,
a missing rate or check-out named, rewards and penalties settled once, late jobs, what a
recomputation replaces, the rounding, and a query count that does not grow with the rows.

Times are Asia/Shanghai (the agencies' zone); the autouse pin is 2026-12-09 10:00, and
November 2026 is the factories' period."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from agency.audit import Actor
from agency.models import Role
from complaints.models import Holiday
from orders.models import AssignmentStatus, OrderStatus
from payroll import compute
from payroll.compute import period_compute
from payroll.models import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentStatus,
    LineKind,
    PayAdjustment,
    PayLine,
    PayPolicy,
    PayStatement,
    StatementStatus,
)
from payroll.statements import statement_approve, statement_pay
from placements.models import PlacementStatus, WagePayer
from tests.factories import (
    AssignmentFactory,
    LevelFactory,
    PayPeriodFactory,
    PayRateFactory,
    PlacementFactory,
    ServiceTypeFactory,
    StaffMemberFactory,
    placement_order,
    served_job,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0, *, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def finance_of(tenant) -> Actor:
    return Actor(user=tenant.user(Role.FINANCE))


def statement_of(period, staff) -> PayStatement:
    return PayStatement.objects.get(period=period, staff=staff)


def lines_of(statement: PayStatement) -> list[tuple[str, Decimal]]:
    return [(line.kind, line.amount) for line in statement.lines.order_by("position")]


def hourly_job(staff, rate: Decimal, *, starts_at: datetime, hours: float):
    job = served_job(staff, starts_at=starts_at, hours=hours)
    PayRateFactory(
        agency=staff.agency, service_type=job.order.service_type, kind="hourly", amount=rate
    )
    return job


def stay(agency, staff, first: date, last: date, *, payer=WagePayer.AGENCY, wage="12000.00"):
    """A started live-in placement from `first` to `last` (08:00–20:00), its wage paid by
    `payer`, and `staff` confirmed on it for all of it."""
    order = placement_order(agency, assign=False)
    placement = PlacementFactory(
        agency=agency,
        order=order,
        status=PlacementStatus.ACTIVE,
        starts_on=first,
        ends_on=last,
        wage=Decimal(wage),
        wage_paid_by=payer,
    )
    assignment = AssignmentFactory(
        agency=agency,
        order=order,
        staff=staff,
        status=AssignmentStatus.CONFIRMED,
        period=DateTimeTZRange(
            datetime.combine(first, time(8), tzinfo=SHANGHAI),
            datetime.combine(last, time(20), tzinfo=SHANGHAI),
            "[)",
        ),
    )
    return placement, assignment


def adjustment(staff, kind: str, amount: str, **fields) -> PayAdjustment:
    reason = {
        AdjustmentKind.REWARD: AdjustmentReason.FIVE_STAR,
        AdjustmentKind.PENALTY: AdjustmentReason.COMPLAINT,
    }.get(kind, AdjustmentReason.OTHER)
    return PayAdjustment.objects.create(
        agency=staff.agency,
        staff=staff,
        kind=kind,
        reason=reason,
        amount=Decimal(amount),
        note=fields.pop("note", "客户五星好评"),
        status=fields.pop("status", AdjustmentStatus.APPROVED),
        **fields,
    )


# --- rate kinds and which rate applies ------------------------------------------------


def test_a_piece_rate_pays_each_job_once_whatever_its_hours(world):
    agency = world.a.agency
    staff = StaffMemberFactory(agency=agency)
    long_job = served_job(staff, starts_at=at(3, 9), hours=6)
    PayRateFactory(agency=agency, service_type=long_job.order.service_type, amount=Decimal("150"))
    period = PayPeriodFactory(agency=agency)

    period_compute(period=period, actor=finance_of(world.a))

    statement = statement_of(period, staff)
    (line,) = statement.lines.all()
    assert (line.kind, line.quantity, line.rate, line.amount) == (
        LineKind.PIECE,
        Decimal("1.00"),
        Decimal("150.00"),
        Decimal("150.00"),
    )
    assert line.assignment == long_job and line.day == date(2026, 11, 3)
    assert long_job.order.number in line.description
    assert statement.status == StatementStatus.DRAFT
    assert (statement.earnings, statement.deductions, statement.net) == (
        Decimal("150.00"),
        Decimal("0.00"),
        Decimal("150.00"),
    )


def test_an_hourly_rate_pays_from_the_check_in_to_the_check_out_not_the_booking(world):
    agency = world.a.agency
    staff = StaffMemberFactory(agency=agency)
    job = hourly_job(staff, Decimal("40"), starts_at=at(4, 9), hours=3)
    # Booked 09:00–12:00; checked in 09:15 and out 12:45: 3.5 hours.
    job.arrived_at, job.left_at = at(4, 9, 15), at(4, 12, 45)
    job.save(update_fields=["arrived_at", "left_at"])
    period = PayPeriodFactory(agency=agency)

    period_compute(period=period, actor=finance_of(world.a))

    (line,) = statement_of(period, staff).lines.all()
    assert (line.kind, line.quantity, line.rate, line.amount) == (
        LineKind.HOURLY,
        Decimal("3.50"),
        Decimal("40.00"),
        Decimal("140.00"),
    )


def test_the_staff_members_own_rate_beats_their_levels_which_beats_any_levels(world):
    agency = world.a.agency
    senior, junior = LevelFactory(agency=agency, name="高级"), LevelFactory(agency=agency)
    service = ServiceTypeFactory(agency=agency)
    PayRateFactory(agency=agency, service_type=service, amount=Decimal("100"))
    PayRateFactory(agency=agency, service_type=service, level=senior, amount=Decimal("120"))
    own = StaffMemberFactory(agency=agency, level=senior)
    PayRateFactory(agency=agency, service_type=service, staff=own, amount=Decimal("150"))
    by_level = StaffMemberFactory(agency=agency, level=senior)
    other_level = StaffMemberFactory(agency=agency, level=junior)
    no_level = StaffMemberFactory(agency=agency)
    for person in (own, by_level, other_level, no_level):
        job = served_job(person, starts_at=at(5, 9))
        job.order.service_type = service
        job.order.save(update_fields=["service_type"])
    period = PayPeriodFactory(agency=agency)

    assert period_compute(period=period, actor=finance_of(world.a)) == 4

    paid = {
        person: statement_of(period, person).lines.get().amount
        for person in (own, by_level, other_level, no_level)
    }
    assert paid == {
        own: Decimal("150.00"),
        by_level: Decimal("120.00"),
        other_level: Decimal("100.00"),
        no_level: Decimal("100.00"),
    }


# --- overtime, holidays, travel -------------------------------------------------------


def test_only_the_hours_past_the_daily_limit_get_the_overtime_supplement(world):
    agency = world.a.agency
    staff = StaffMemberFactory(agency=agency)
    morning = hourly_job(staff, Decimal("40"), starts_at=at(6, 8), hours=5)
    afternoon = served_job(staff, starts_at=at(6, 14), hours=4)
    afternoon.order.service_type = morning.order.service_type
    afternoon.order.save(update_fields=["service_type"])
    period = PayPeriodFactory(agency=agency)

    period_compute(period=period, actor=finance_of(world.a))

    statement = statement_of(period, staff)
    assert lines_of(statement) == [
        (LineKind.HOURLY, Decimal("200.00")),
        (LineKind.HOURLY, Decimal("160.00")),
        # 9 hours on the day, 8 the limit: 1 hour × 40 × (1.5 − 1).
        (LineKind.OVERTIME, Decimal("20.00")),
    ]
    overtime = statement.lines.get(kind=LineKind.OVERTIME)
    assert overtime.quantity == Decimal("1.00") and overtime.assignment == afternoon
    assert statement.net == Decimal("380.00")


def test_the_agencys_policy_sets_the_daily_limit_and_the_overtime_rate(world):
    agency = world.a.agency
    PayPolicy.objects.create(
        agency=agency, overtime_after_hours=Decimal(6), overtime_multiplier=Decimal(2)
    )
    staff = StaffMemberFactory(agency=agency)
    morning = hourly_job(staff, Decimal("40"), starts_at=at(6, 8), hours=5)
    afternoon = served_job(staff, starts_at=at(6, 14), hours=4)
    afternoon.order.service_type = morning.order.service_type
    afternoon.order.save(update_fields=["service_type"])
    # Another day under the limit: no overtime there.
    other_day = served_job(staff, starts_at=at(7, 8), hours=5)
    other_day.order.service_type = morning.order.service_type
    other_day.order.save(update_fields=["service_type"])
    period = PayPeriodFactory(agency=agency)

    period_compute(period=period, actor=finance_of(world.a))

    (overtime,) = statement_of(period, staff).lines.filter(kind=LineKind.OVERTIME)
    # 9 hours, 6 the limit: 3 hours × 40 × (2 − 1).
    assert (overtime.quantity, overtime.amount) == (Decimal("3.00"), Decimal("120.00"))
    assert overtime.day == date(2026, 11, 6)


def test_a_job_on_a_statutory_holiday_gets_the_holiday_supplement_named(world):
    agency = world.a.agency
    Holiday.objects.create(agency=agency, day=date(2026, 11, 11), name="公司周年假")
    staff = StaffMemberFactory(agency=agency)
    piece = served_job(staff, starts_at=at(11, 9))
    PayRateFactory(agency=agency, service_type=piece.order.service_type, amount=Decimal("150"))
    hourly_job(staff, Decimal("40"), starts_at=at(11, 14), hours=3)
    ordinary = served_job(staff, starts_at=at(12, 9))
    ordinary.order.service_type = piece.order.service_type
    ordinary.order.save(update_fields=["service_type"])
    period = PayPeriodFactory(agency=agency)

    period_compute(period=period, actor=finance_of(world.a))

    statement = statement_of(period, staff)
    assert lines_of(statement) == [
        (LineKind.PIECE, Decimal("150.00")),
        # 150 × (3 − 1)
        (LineKind.HOLIDAY, Decimal("300.00")),
        (LineKind.HOURLY, Decimal("120.00")),
        # 3 h × 40 × (3 − 1)
        (LineKind.HOLIDAY, Decimal("240.00")),
        (LineKind.PIECE, Decimal("150.00")),
    ]
    holidays = statement.lines.filter(kind=LineKind.HOLIDAY)
    assert all("公司周年假" in line.description for line in holidays)
    assert {line.day for line in holidays} == {date(2026, 11, 11)}


def test_the_travel_allowance_is_paid_per_paid_job(world):
    agency = world.a.agency
    PayPolicy.objects.create(agency=agency, travel_allowance=Decimal("15.00"))
    staff = StaffMemberFactory(agency=agency)
    first = served_job(staff, starts_at=at(3, 9))
    PayRateFactory(agency=agency, service_type=first.order.service_type, amount=Decimal("100"))
    second = served_job(staff, starts_at=at(4, 9))
    second.order.service_type = first.order.service_type
    second.order.save(update_fields=["service_type"])
    # A job without a rate is not paid, so no travel for it either.
    unrated = served_job(staff, starts_at=at(5, 9))
    unrated.order.service_type = ServiceTypeFactory(agency=agency, name_zh="家电清洗")
    unrated.order.save(update_fields=["service_type"])
    period = PayPeriodFactory(agency=agency)

    period_compute(period=period, actor=finance_of(world.a))

    travel = statement_of(period, staff).lines.get(kind=LineKind.TRAVEL)
    assert (travel.quantity, travel.rate, travel.amount) == (
        Decimal("2.00"),
        Decimal("15.00"),
        Decimal("30.00"),
    )


# --- placement wages ------------------------------------------------------------------


def test_a_placement_wage_is_paid_pro_rata_for_the_days_of_the_month(world):
    agency = world.a.agency
    staff = StaffMemberFactory(agency=agency, accepts_live_in=True)
    placement, assignment = stay(agency, staff, date(2026, 11, 20), date(2026, 11, 30))
    period = PayPeriodFactory(agency=agency)

    period_compute(period=period, actor=finance_of(world.a))

    (line,) = statement_of(period, staff).lines.all()
    # 20–30 November: 11 of the month's 30 days of 12,000.
    assert (line.kind, line.quantity, line.rate, line.amount) == (
        LineKind.WAGE,
        Decimal("11.00"),
        Decimal("12000.00"),
        Decimal("4400.00"),
    )
    assert line.placement == placement and line.assignment == assignment
    assert "2026-11-20" in line.description and "2026-11-30" in line.description


def test_a_placement_across_a_month_boundary_is_paid_each_months_share(world):
    agency = world.a.agency
    staff = StaffMemberFactory(agency=agency, accepts_live_in=True)
    stay(agency, staff, date(2026, 12, 20), date(2027, 1, 9))
    period = PayPeriodFactory(
        agency=agency, starts_on=date(2026, 12, 16), ends_on=date(2027, 1, 15)
    )

    period_compute(period=period, actor=finance_of(world.a))

    (line,) = statement_of(period, staff).lines.all()
    # 12 of December's 31 days and 9 of January's 31, rounded once: 12,000 × 21 / 31.
    assert line.quantity == Decimal("21.00")
    assert line.amount == Decimal("8129.03")


def test_the_day_of_a_replacement_is_the_newcomers(world):
    agency = world.a.agency
    leaving = StaffMemberFactory(agency=agency, accepts_live_in=True)
    newcomer = StaffMemberFactory(agency=agency, accepts_live_in=True)
    placement, old = stay(agency, leaving, date(2026, 11, 20), date(2026, 11, 30))
    # As `assignment_replace` leaves them when the service has begun: the old period ends
    # at the replacement, the new one starts then.
    replaced_at = at(25, 14)
    new = AssignmentFactory(
        agency=agency,
        order=placement.order,
        staff=newcomer,
        status=AssignmentStatus.CONFIRMED,
        period=DateTimeTZRange(replaced_at, old.period.upper, "[)"),
    )
    old.status, old.released_at, old.replaced_by = AssignmentStatus.RELEASED, replaced_at, new
    old.period = DateTimeTZRange(old.period.lower, replaced_at, "[)")
    old.save()
    period = PayPeriodFactory(agency=agency)

    period_compute(period=period, actor=finance_of(world.a))

    left = statement_of(period, leaving).lines.get()
    came = statement_of(period, newcomer).lines.get()
    # 20–24 November (5 days), then 25–30 (6 days): the 25th once, the newcomer's.
    assert (left.quantity, left.amount) == (Decimal("5.00"), Decimal("2000.00"))
    assert (came.quantity, came.amount) == (Decimal("6.00"), Decimal("2400.00"))


def test_a_staff_member_replaced_before_the_placement_began_is_paid_no_day_of_it(world):
    agency = world.a.agency
    leaving = StaffMemberFactory(agency=agency, accepts_live_in=True)
    newcomer = StaffMemberFactory(agency=agency, accepts_live_in=True)
    placement, old = stay(agency, leaving, date(2026, 11, 20), date(2026, 11, 30))
    # As `assignment_replace` leaves them before the service began (18 November): the old
    # period is not cut, the new one is the whole placement.
    new = AssignmentFactory(
        agency=agency,
        order=placement.order,
        staff=newcomer,
        status=AssignmentStatus.CONFIRMED,
        period=old.period,
    )
    old.status, old.released_at, old.replaced_by = AssignmentStatus.RELEASED, at(18, 10), new
    old.save()
    period = PayPeriodFactory(agency=agency)

    assert period_compute(period=period, actor=finance_of(world.a)) == 1

    assert not PayStatement.objects.filter(period=period, staff=leaving).exists()
    assert statement_of(period, newcomer).lines.get().amount == Decimal("4400.00")


def test_a_wage_the_customer_pays_directly_is_not_on_the_statement(world):
    agency = world.a.agency
    staff = StaffMemberFactory(agency=agency, accepts_live_in=True)
    stay(agency, staff, date(2026, 11, 20), date(2026, 11, 30), payer=WagePayer.CUSTOMER)
    period = PayPeriodFactory(agency=agency)

    assert period_compute(period=period, actor=finance_of(world.a)) == 0

    assert not PayStatement.objects.filter(period=period).exists()


# --- what cannot be computed is named ---------------------------------------------------


def test_a_missing_rate_names_the_service_pays_nothing_and_needs_attention(world):
    agency = world.a.agency
    staff = StaffMemberFactory(agency=agency, level=LevelFactory(agency=agency))
    job = served_job(staff, starts_at=at(5, 9))
    job.order.service_type = ServiceTypeFactory(agency=agency, name_zh="家电清洗")
    job.order.save(update_fields=["service_type"])
    period = PayPeriodFactory(agency=agency)

    period_compute(period=period, actor=finance_of(world.a))

    statement = statement_of(period, staff)
    (line,) = statement.lines.all()
    assert line.amount == Decimal("0.00") and line.assignment == job
    assert "家电清洗" in line.problem
    assert statement.status == StatementStatus.ATTENTION and statement.net == Decimal("0.00")


def test_an_hourly_job_without_a_check_out_needs_attention(world):
    agency = world.a.agency
    staff = StaffMemberFactory(agency=agency)
    job = served_job(staff, starts_at=at(5, 9), checked=False)
    job.arrived_at = at(5, 9)
    job.save(update_fields=["arrived_at"])
    PayRateFactory(
        agency=agency, service_type=job.order.service_type, kind="hourly", amount=Decimal("40")
    )
    period = PayPeriodFactory(agency=agency)

    period_compute(period=period, actor=finance_of(world.a))

    statement = statement_of(period, staff)
    (line,) = statement.lines.all()
    assert (line.kind, line.amount, line.rate) == (
        LineKind.HOURLY,
        Decimal("0.00"),
        Decimal("40.00"),
    )
    assert line.problem and line.assignment == job
    assert statement.status == StatementStatus.ATTENTION


# --- rewards and penalties --------------------------------------------------------------


def test_approved_rewards_and_penalties_are_lines_and_approval_settles_them_once(world):
    agency = world.a.agency
    finance = finance_of(world.a)
    staff = StaffMemberFactory(agency=agency)
    job = served_job(staff, starts_at=at(3, 9))
    PayRateFactory(agency=agency, service_type=job.order.service_type, amount=Decimal("150"))
    reward = adjustment(staff, AdjustmentKind.REWARD, "50.00")
    penalty = adjustment(staff, AdjustmentKind.PENALTY, "-30.00", note="投诉成立")
    adjustment(staff, AdjustmentKind.REWARD, "80.00", status=AdjustmentStatus.PROPOSED)
    adjustment(staff, AdjustmentKind.REWARD, "90.00", status=AdjustmentStatus.REJECTED)
    november = PayPeriodFactory(agency=agency)

    period_compute(period=november, actor=finance)

    statement = statement_of(november, staff)
    assert sorted(lines_of(statement)) == sorted(
        [
            (LineKind.PIECE, Decimal("150.00")),
            (LineKind.REWARD, Decimal("50.00")),
            (LineKind.PENALTY, Decimal("-30.00")),
        ]
    )
    assert statement.lines.get(adjustment=penalty).description.endswith("投诉成立")
    assert (statement.earnings, statement.deductions, statement.net) == (
        Decimal("200.00"),
        Decimal("30.00"),
        Decimal("170.00"),
    )

    statement_approve(statement=statement, actor=finance)

    reward.refresh_from_db()
    penalty.refresh_from_db()
    assert reward.settled_in == statement and penalty.settled_in == statement
    december = PayPeriodFactory(
        agency=agency, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31)
    )
    period_compute(period=december, actor=finance)
    assert not PayLine.objects.filter(statement__period=december).exists()


def test_an_adjustment_on_an_open_statement_is_not_taken_by_another_period(world):
    agency = world.a.agency
    finance = finance_of(world.a)
    staff = StaffMemberFactory(agency=agency)
    reward = adjustment(staff, AdjustmentKind.REWARD, "50.00")
    november = PayPeriodFactory(agency=agency)
    december = PayPeriodFactory(
        agency=agency, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31)
    )
    december_job = served_job(staff, starts_at=at(2, 9, month=12))
    PayRateFactory(
        agency=agency, service_type=december_job.order.service_type, amount=Decimal("100")
    )

    period_compute(period=november, actor=finance)
    period_compute(period=december, actor=finance)

    assert PayLine.objects.filter(adjustment=reward).count() == 1
    assert statement_of(november, staff).lines.get().adjustment == reward
    assert lines_of(statement_of(december, staff)) == [(LineKind.PIECE, Decimal("100.00"))]
    # Both periods approve without a conflict, and the reward is settled once, in November.
    statement_approve(statement=statement_of(december, staff), actor=finance)
    statement_approve(statement=statement_of(november, staff), actor=finance)
    reward.refresh_from_db()
    assert reward.settled_in == statement_of(november, staff)


# --- late jobs and recomputation ----------------------------------------------------------


def test_a_job_accepted_after_its_statement_was_approved_is_paid_in_the_next_period(world):
    agency = world.a.agency
    finance = finance_of(world.a)
    staff = StaffMemberFactory(agency=agency)
    first = served_job(staff, starts_at=at(3, 9))
    PayRateFactory(agency=agency, service_type=first.order.service_type, amount=Decimal("150"))
    november = PayPeriodFactory(agency=agency)
    period_compute(period=november, actor=finance)
    approved = statement_approve(statement=statement_of(november, staff), actor=finance)

    late = served_job(staff, starts_at=at(28, 9))
    late.order.service_type = first.order.service_type
    late.order.save(update_fields=["service_type"])
    period_compute(period=november, actor=finance)
    december = PayPeriodFactory(
        agency=agency, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31)
    )
    period_compute(period=december, actor=finance)

    approved.refresh_from_db()
    assert approved.status == StatementStatus.APPROVED and approved.net == Decimal("150.00")
    assert list(approved.lines.values_list("assignment", flat=True)) == [first.pk]
    line = statement_of(december, staff).lines.get()
    assert (line.assignment, line.day, line.amount) == (late, date(2026, 11, 28), Decimal("150"))
    # Computing December again does not pay it twice, nor November's first job.
    period_compute(period=december, actor=finance)
    assert PayLine.objects.filter(assignment=late).count() == 1
    assert PayLine.objects.filter(assignment=first).count() == 1


def test_recomputing_an_open_statement_replaces_its_lines(world):
    agency = world.a.agency
    finance = finance_of(world.a)
    staff = StaffMemberFactory(agency=agency)
    job = served_job(staff, starts_at=at(3, 9))
    rate = PayRateFactory(agency=agency, service_type=job.order.service_type, amount=Decimal("150"))
    period = PayPeriodFactory(agency=agency)
    period_compute(period=period, actor=finance)
    statement = statement_of(period, staff)
    first_lines = list(statement.lines.values_list("pk", flat=True))

    rate.amount = Decimal("180")
    rate.save(update_fields=["amount"])
    second = served_job(staff, starts_at=at(4, 9))
    second.order.service_type = job.order.service_type
    second.order.save(update_fields=["service_type"])
    period_compute(period=period, actor=finance)

    again = statement_of(period, staff)
    assert again.pk == statement.pk
    assert lines_of(again) == [(LineKind.PIECE, Decimal("180.00"))] * 2
    assert not PayLine.objects.filter(pk__in=first_lines).exists()
    assert list(again.lines.values_list("position", flat=True)) == [1, 2]
    assert again.net == Decimal("360.00")


def test_an_open_statement_left_with_nothing_to_pay_is_removed(world):
    agency = world.a.agency
    finance = finance_of(world.a)
    staff = StaffMemberFactory(agency=agency)
    job = served_job(staff, starts_at=at(3, 9))
    PayRateFactory(agency=agency, service_type=job.order.service_type, amount=Decimal("150"))
    period = PayPeriodFactory(agency=agency)
    assert period_compute(period=period, actor=finance) == 1

    job.order.status = OrderStatus.CANCELLED
    job.order.save(update_fields=["status"])

    assert period_compute(period=period, actor=finance) == 0
    assert not PayStatement.objects.filter(period=period).exists()


def test_approved_and_paid_statements_are_never_recomputed(world):
    agency = world.a.agency
    finance = finance_of(world.a)
    approved_staff, paid_staff = (
        StaffMemberFactory(agency=agency),
        StaffMemberFactory(agency=agency),
    )
    service = ServiceTypeFactory(agency=agency)
    rate = PayRateFactory(agency=agency, service_type=service, amount=Decimal("150"))
    for person in (approved_staff, paid_staff):
        job = served_job(person, starts_at=at(3, 9))
        job.order.service_type = service
        job.order.save(update_fields=["service_type"])
    period = PayPeriodFactory(agency=agency)
    period_compute(period=period, actor=finance)
    approved = statement_approve(statement=statement_of(period, approved_staff), actor=finance)
    paid = statement_approve(statement=statement_of(period, paid_staff), actor=finance)
    paid = statement_pay(statement=paid, actor=finance)
    kept = {
        s.pk: (s.computed_at, list(s.lines.values_list("pk", flat=True))) for s in (approved, paid)
    }

    rate.amount = Decimal("999")
    rate.save(update_fields=["amount"])
    period_compute(period=period, actor=finance)

    for statement in (approved, paid):
        statement.refresh_from_db()
        assert statement.net == Decimal("150.00")
        assert (statement.computed_at, list(statement.lines.values_list("pk", flat=True))) == kept[
            statement.pk
        ]
    assert approved.status == StatementStatus.APPROVED and paid.status == StatementStatus.PAID


def test_another_agencys_jobs_are_never_on_a_statement(world):
    mine = StaffMemberFactory(agency=world.a.agency)
    theirs = StaffMemberFactory(agency=world.b.agency)
    for person in (mine, theirs):
        job = served_job(person, starts_at=at(3, 9))
        PayRateFactory(agency=person.agency, service_type=job.order.service_type)
    adjustment(theirs, AdjustmentKind.REWARD, "50.00")
    period = PayPeriodFactory(agency=world.a.agency)

    assert period_compute(period=period, actor=finance_of(world.a)) == 1

    assert list(PayStatement.objects.values_list("staff", flat=True)) == [mine.pk]
    assert not PayLine.objects.exclude(agency=world.a.agency).exists()


# --- money and queries ----------------------------------------------------------------


def test_money_is_rounded_once_per_line(world):
    agency = world.a.agency
    staff = StaffMemberFactory(agency=agency)
    job = hourly_job(staff, Decimal("37.00"), starts_at=at(4, 9), hours=2)
    job.left_at = job.arrived_at + timedelta(hours=2, minutes=20)
    job.save(update_fields=["left_at"])
    period = PayPeriodFactory(agency=agency)

    period_compute(period=period, actor=finance_of(world.a))

    line = statement_of(period, staff).lines.get()
    # 37 × 7/3 = 86.333…, not 37 × 2.33 (the rounded quantity) = 86.21.
    assert (line.quantity, line.amount) == (Decimal("2.33"), Decimal("86.33"))


def paid_staff(tenant, count: int) -> None:
    """`count` staff with a piece-rate job, an hourly one and a reward in November, and a
    placement stay for the first of them."""
    agency = tenant.agency
    piece, hourly = ServiceTypeFactory(agency=agency), ServiceTypeFactory(agency=agency)
    PayRateFactory(agency=agency, service_type=piece, amount=Decimal("150"))
    PayRateFactory(agency=agency, service_type=hourly, kind="hourly", amount=Decimal("40"))
    for n in range(count):
        person = StaffMemberFactory(agency=agency, accepts_live_in=True)
        for day, service in ((3, piece), (4, hourly)):
            job = served_job(person, starts_at=at(day, 9))
            job.order.service_type = service
            job.order.save(update_fields=["service_type"])
        adjustment(person, AdjustmentKind.REWARD, "50.00")
        if n == 0:
            stay(agency, person, date(2026, 11, 20), date(2026, 11, 30))


#: One computation, in its savepoint (2): the membership check, the agency locked, the
#: period read again, the first period, holidays, policy, rates, services (8: the rules); the staff
#: to pay (5: jobs, placement stays, adjustments, open and closed statements); then per
#: batch (7): statements locked, jobs, stays, adjustments, staff, statements created,
#: lines created; then the period saved, the statements counted, the audit entry (3).
COMPUTE_QUERIES = 25


def test_the_computation_costs_the_same_queries_for_2_or_6_staff(world, django_assert_num_queries):
    paid_staff(world.a, 2)
    paid_staff(world.b, 6)
    few = PayPeriodFactory(agency=world.a.agency)
    many = PayPeriodFactory(agency=world.b.agency)
    # Caches (content types, translations) are warm for both counts.
    period_compute(
        period=PayPeriodFactory(
            agency=world.a.agency, starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 31)
        ),
        actor=finance_of(world.a),
    )

    with django_assert_num_queries(COMPUTE_QUERIES):
        assert period_compute(period=few, actor=finance_of(world.a)) == 2
    with django_assert_num_queries(COMPUTE_QUERIES):
        assert period_compute(period=many, actor=finance_of(world.b)) == 6
    assert PayLine.objects.filter(statement__period=many).count() == 6 * 3 + 1


def test_the_query_count_grows_with_the_batches_not_the_rows(
    world, django_assert_num_queries, monkeypatch
):
    paid_staff(world.a, 6)
    period = PayPeriodFactory(agency=world.a.agency)
    period_compute(
        period=PayPeriodFactory(
            agency=world.a.agency, starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 31)
        ),
        actor=finance_of(world.a),
    )
    monkeypatch.setattr(compute, "BATCH", 2)

    # Three batches of two: two more batches of 7 queries than one batch.
    with django_assert_num_queries(COMPUTE_QUERIES + 2 * 7):
        assert period_compute(period=period, actor=finance_of(world.a)) == 6
