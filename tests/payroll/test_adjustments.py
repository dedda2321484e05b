"""Rewards, penalties, deductions and corrections: proposed with a reason, approved by a
manager, signed by kind, paid once by the next statement; Hearth's own proposals."""

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agency.audit import Actor
from agency.errors import StateConflict
from agency.idempotency import RepeatedSubmission
from agency.models import AuditLog, Role
from orders.models import AssignmentStatus
from orders.staffing.models import Punctuality
from payroll.adjustments import (
    adjustment_approve,
    adjustment_propose,
    adjustment_reject,
    adjustments_propose_due,
)
from payroll.adjustments_demo import seed_adjustments
from payroll.compute import period_compute
from payroll.models import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentStatus,
    LineKind,
    PayAdjustment,
    PayPolicy,
    PayStatement,
    StatementStatus,
)
from payroll.statements import statement_approve, statement_pay
from tests.factories import (
    AssignmentFactory,
    FeedbackResponseFactory,
    PayPeriodFactory,
    PayStatementFactory,
    PenaltyFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _propose(world, role=Role.SUPERVISOR, **overrides):
    staff = overrides.pop("staff", None) or StaffMemberFactory(agency=world.a.agency)
    fields = {
        "agency": world.a.agency,
        "actor": Actor(user=world.a.user(role)),
        "staff": staff,
        "kind": AdjustmentKind.REWARD,
        "reason": AdjustmentReason.PRAISE,
        "amount": Decimal("80"),
        "note": "顾客来信表扬",
    }
    return adjustment_propose(**{**fields, **overrides})


# --- proposing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "reason", "signed"),
    [
        (AdjustmentKind.REWARD, AdjustmentReason.REFERRAL, Decimal("80.00")),
        (AdjustmentKind.PENALTY, AdjustmentReason.UNDER_COLLECTED, Decimal("-80.00")),
        (AdjustmentKind.DEDUCTION, AdjustmentReason.OTHER, Decimal("-80.00")),
    ],
)
def test_the_amount_given_positive_is_signed_by_its_kind(world, kind, reason, signed):
    adjustment = _propose(world, kind=kind, reason=reason)
    adjustment.refresh_from_db()
    assert adjustment.amount == signed
    assert adjustment.status == AdjustmentStatus.PROPOSED
    assert adjustment.proposed_by == world.a.user(Role.SUPERVISOR)
    assert AuditLog.objects.filter(
        action="payroll.adjustment.propose", object_id=str(adjustment.pk)
    ).exists()


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.FINANCE, Role.STAFF])
def test_only_a_supervisor_or_a_manager_proposes(world, role):
    with pytest.raises(PermissionDenied):
        _propose(world, role=role)
    assert not PayAdjustment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": Decimal("-5")}, "amount"),
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("100000.01")}, "amount"),
        ({"note": "   "}, "note"),
        ({"note": "长" * 5001}, "note"),
        ({"kind": AdjustmentKind.REWARD, "reason": AdjustmentReason.COMPLAINT}, "reason"),
        ({"kind": "bonus"}, "kind"),
    ],
)
def test_bad_input_is_refused_by_field(world, overrides, field):
    with pytest.raises(ValidationError) as refused:
        _propose(world, **overrides)
    assert field in refused.value.message_dict
    assert not PayAdjustment.objects.exists()


def test_another_agencys_staff_member_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        _propose(world, staff=StaffMemberFactory(agency=world.b.agency))
    assert "staff" in refused.value.message_dict


def test_a_repeated_submission_key_writes_once(world):
    key = uuid.uuid4()
    staff = StaffMemberFactory(agency=world.a.agency)
    first = _propose(world, staff=staff, submission_key=key)
    with pytest.raises(RepeatedSubmission) as repeat:
        _propose(world, staff=staff, submission_key=key)
    assert repeat.value.earlier == first
    assert PayAdjustment.objects.count() == 1


def test_a_source_seen_before_answers_the_first_row(world):
    staff = StaffMemberFactory(agency=world.a.agency)
    first = _propose(world, staff=staff, source="praise:7")
    again = _propose(world, staff=staff, source="praise:7", amount=Decimal("500"))
    assert again.pk == first.pk and again.amount == Decimal("80.00")
    assert PayAdjustment.objects.count() == 1


# --- corrections ------------------------------------------------------------------------


def test_a_correction_names_a_paid_statement_of_the_same_staff_member(world):
    staff = StaffMemberFactory(agency=world.a.agency)
    paid = PayStatementFactory(
        agency=world.a.agency, staff=staff, status=StatementStatus.PAID, paid_at=timezone.now()
    )
    correction = _propose(
        world,
        role=Role.FINANCE,
        staff=staff,
        kind=AdjustmentKind.CORRECTION,
        reason=AdjustmentReason.OTHER,  # a correction's reason is always "correction"
        amount=Decimal("-30.50"),
        corrects=paid,
    )
    assert correction.amount == Decimal("-30.50") and correction.corrects == paid
    assert correction.reason == AdjustmentReason.CORRECTION
    paid.refresh_from_db()
    assert paid.status == StatementStatus.PAID  # the paid statement never changes


def test_a_correction_of_an_unpaid_or_anothers_statement_is_refused(world):
    staff = StaffMemberFactory(agency=world.a.agency)
    draft = PayStatementFactory(agency=world.a.agency, staff=staff)
    someone_elses = PayStatementFactory(
        agency=world.a.agency, status=StatementStatus.PAID, paid_at=timezone.now()
    )
    for corrects in (draft, someone_elses, None):
        with pytest.raises(ValidationError) as refused:
            _propose(
                world,
                role=Role.FINANCE,
                staff=staff,
                kind=AdjustmentKind.CORRECTION,
                reason=AdjustmentReason.CORRECTION,
                amount=Decimal("10"),
                corrects=corrects,
            )
        assert "corrects" in refused.value.message_dict
    assert not PayAdjustment.objects.exists()


def test_a_correction_is_finances_not_a_supervisors(world):
    staff = StaffMemberFactory(agency=world.a.agency)
    paid = PayStatementFactory(
        agency=world.a.agency, staff=staff, status=StatementStatus.PAID, paid_at=timezone.now()
    )
    with pytest.raises(PermissionDenied):
        _propose(
            world,
            role=Role.SUPERVISOR,
            staff=staff,
            kind=AdjustmentKind.CORRECTION,
            reason=AdjustmentReason.CORRECTION,
            corrects=paid,
        )


# --- deciding ---------------------------------------------------------------------------


def test_a_manager_approves_once(world):
    adjustment = _propose(world)
    manager = Actor(user=world.a.user(Role.MANAGER))
    approved = adjustment_approve(adjustment=adjustment, actor=manager, note="同意")
    assert approved.status == AdjustmentStatus.APPROVED
    assert approved.decided_by == world.a.user(Role.MANAGER) and approved.decided_at
    with pytest.raises(StateConflict):
        adjustment_approve(adjustment=adjustment, actor=manager)
    with pytest.raises(StateConflict):
        adjustment_reject(adjustment=adjustment, actor=manager, note="改主意")
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.APPROVED and adjustment.decision_note == "同意"
    assert AuditLog.objects.filter(action="payroll.adjustment.approved").count() == 1


def test_a_rejection_says_why(world):
    adjustment = _propose(world)
    manager = Actor(user=world.a.user(Role.MANAGER))
    with pytest.raises(ValidationError):
        adjustment_reject(adjustment=adjustment, actor=manager, note=" ")
    rejected = adjustment_reject(adjustment=adjustment, actor=manager, note="证据不足")
    assert rejected.status == AdjustmentStatus.REJECTED and rejected.decision_note == "证据不足"
    with pytest.raises(StateConflict):
        adjustment_reject(adjustment=adjustment, actor=manager, note="again")


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.FINANCE, Role.DISPATCHER])
def test_only_a_manager_decides(world, role):
    adjustment = _propose(world)
    with pytest.raises(PermissionDenied):
        adjustment_approve(adjustment=adjustment, actor=Actor(user=world.a.user(role)))
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.PROPOSED


def test_another_agencys_manager_cannot_decide(world):
    adjustment = _propose(world)
    with pytest.raises(PermissionDenied):
        adjustment_approve(adjustment=adjustment, actor=Actor(user=world.b.user(Role.MANAGER)))


# --- on the statements ------------------------------------------------------------------


def test_an_approved_adjustment_is_paid_once_by_the_next_statement(world):
    agency = world.a.agency
    finance = Actor(user=world.a.user(Role.FINANCE))
    manager = Actor(user=world.a.user(Role.MANAGER))
    staff = StaffMemberFactory(agency=agency)
    reward = _propose(world, staff=staff, amount=Decimal("100"))
    penalty = _propose(
        world,
        staff=staff,
        kind=AdjustmentKind.PENALTY,
        reason=AdjustmentReason.COMPLAINT,
        amount=Decimal("30"),
    )
    rejected = _propose(world, staff=staff, amount=Decimal("999"))
    adjustment_approve(adjustment=reward, actor=manager)
    adjustment_approve(adjustment=penalty, actor=manager)
    adjustment_reject(adjustment=rejected, actor=manager, note="不符合")

    november = PayPeriodFactory(agency=agency)
    period_compute(period=november, actor=finance)
    statement = PayStatement.objects.get(period=november, staff=staff)
    assert sorted((line.kind, line.amount) for line in statement.lines.all()) == [
        (LineKind.PENALTY, Decimal("-30.00")),
        (LineKind.REWARD, Decimal("100.00")),
    ]
    assert statement.net == Decimal("70.00") and statement.deductions == Decimal("30.00")
    reward.refresh_from_db()
    assert reward.settled_in is None  # computed, not yet approved: it may still change

    statement_approve(statement=statement, actor=finance)
    reward.refresh_from_db()
    penalty.refresh_from_db()
    assert reward.settled_in == statement and penalty.settled_in == statement

    december = PayPeriodFactory(
        agency=agency, starts_on=datetime(2026, 12, 1).date(), ends_on=datetime(2026, 12, 31).date()
    )
    period_compute(period=december, actor=finance)
    assert not PayStatement.objects.filter(period=december, staff=staff).exists()


def test_a_correction_of_a_paid_statement_is_a_line_of_the_next_period(world):
    agency = world.a.agency
    finance = Actor(user=world.a.user(Role.FINANCE))
    manager = Actor(user=world.a.user(Role.MANAGER))
    staff = StaffMemberFactory(agency=agency)
    reward = _propose(world, staff=staff, amount=Decimal("100"))
    adjustment_approve(adjustment=reward, actor=manager)
    november = PayPeriodFactory(agency=agency)
    period_compute(period=november, actor=finance)
    paid = statement_pay(
        statement=statement_approve(
            statement=PayStatement.objects.get(period=november, staff=staff), actor=finance
        ),
        actor=finance,
    )

    correction = _propose(
        world,
        role=Role.FINANCE,
        staff=staff,
        kind=AdjustmentKind.CORRECTION,
        reason=AdjustmentReason.CORRECTION,
        amount=Decimal("-20"),
        note="奖励多发了20元",
        corrects=paid,
    )
    adjustment_approve(adjustment=correction, actor=manager)
    period_compute(period=november, actor=finance)
    december = PayPeriodFactory(
        agency=agency, starts_on=datetime(2026, 12, 1).date(), ends_on=datetime(2026, 12, 31).date()
    )
    period_compute(period=december, actor=finance)

    paid.refresh_from_db()
    assert paid.status == StatementStatus.PAID and paid.net == Decimal("100.00")
    assert paid.lines.count() == 1
    following = PayStatement.objects.get(period=december, staff=staff)
    line = following.lines.get()
    assert (line.kind, line.amount, line.adjustment) == (
        LineKind.CORRECTION,
        Decimal("-20.00"),
        correction,
    )


# --- Hearth's proposals -----------------------------------------------------------------


def _policy(agency, **amounts):
    return PayPolicy.objects.create(agency=agency, **amounts)


def test_the_sweep_proposes_each_source_once(world):
    agency = world.a.agency
    _policy(
        agency,
        five_star_reward=Decimal("20"),
        late_penalty=Decimal("10"),
        no_show_penalty=Decimal("50"),
    )
    staff, colleague = StaffMemberFactory(agency=agency), StaffMemberFactory(agency=agency)
    penalty = PenaltyFactory(agency=agency, staff=staff, amount=Decimal("200"), link="/c/1/")
    five_stars = FeedbackResponseFactory(agency=agency, overall=5)
    order = five_stars.request.order
    for member in (staff, colleague):
        AssignmentFactory(
            agency=agency,
            order=order,
            staff=member,
            status=AssignmentStatus.CONFIRMED,
            period=_window(order.starts_at + timedelta(hours=4 * (member == colleague))),
        )
    FeedbackResponseFactory(agency=agency, overall=4)  # not five stars: nothing
    late = AssignmentFactory(
        agency=agency, staff=staff, punctuality=Punctuality.LATE, period=_window(timezone.now())
    )
    no_show = AssignmentFactory(
        agency=agency,
        staff=colleague,
        punctuality=Punctuality.NO_SHOW,
        period=_window(timezone.now() - timedelta(days=2)),
    )
    AssignmentFactory(
        agency=agency,
        staff=staff,
        punctuality=Punctuality.ON_TIME,
        period=_window(timezone.now() - timedelta(days=1)),
    )

    assert adjustments_propose_due() == 5
    rows = {row.source: row for row in PayAdjustment.objects.all()}
    assert set(rows) == {
        f"penalty:{penalty.pk}",
        f"feedback:{five_stars.pk}:{staff.pk}",
        f"feedback:{five_stars.pk}:{colleague.pk}",
        f"late:{late.pk}",
        f"noshow:{no_show.pk}",
    }
    complaint = rows[f"penalty:{penalty.pk}"]
    assert (complaint.kind, complaint.reason, complaint.amount, complaint.link) == (
        AdjustmentKind.PENALTY,
        AdjustmentReason.COMPLAINT,
        Decimal("-200.00"),
        "/c/1/",
    )
    reward = rows[f"feedback:{five_stars.pk}:{staff.pk}"]
    assert (reward.kind, reward.amount, reward.staff) == (
        AdjustmentKind.REWARD,
        Decimal("20.00"),
        staff,
    )
    assert order.number in reward.note
    assert rows[f"late:{late.pk}"].amount == Decimal("-10.00")
    assert rows[f"noshow:{no_show.pk}"].reason == AdjustmentReason.NO_SHOW
    assert all(row.proposed_by is None for row in rows.values())
    assert all(row.status == AdjustmentStatus.PROPOSED for row in rows.values())

    # The next runs propose nothing again, whatever the manager decided meanwhile.
    adjustment_approve(adjustment=complaint, actor=Actor(user=world.a.user(Role.MANAGER)))
    assert adjustments_propose_due() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert adjustments_propose_due() == 0
    assert PayAdjustment.objects.count() == 5


def test_the_sweep_proposes_no_amount_the_policy_leaves_at_zero(world):
    agency = world.a.agency
    staff = StaffMemberFactory(agency=agency)
    FeedbackResponseFactory(agency=agency, overall=5)
    AssignmentFactory(
        agency=agency, staff=staff, punctuality=Punctuality.LATE, period=_window(timezone.now())
    )
    PenaltyFactory(agency=agency, staff=staff, amount=Decimal("0"))
    assert adjustments_propose_due() == 0  # no policy: the defaults propose nothing
    _policy(agency, no_show_penalty=Decimal("50"))
    assert adjustments_propose_due() == 0


def test_the_sweep_reads_only_its_horizon(world):
    agency = world.a.agency
    _policy(agency, late_penalty=Decimal("10"))
    staff = StaffMemberFactory(agency=agency)
    with time_machine.travel(timezone.now() - timedelta(days=90)):
        PenaltyFactory(agency=agency, staff=staff)
        AssignmentFactory(
            agency=agency,
            staff=staff,
            punctuality=Punctuality.LATE,
            period=_window(timezone.now()),
        )
    assert adjustments_propose_due() == 0


def test_the_sweep_costs_the_same_for_more_rows(world, django_assert_num_queries):
    agency = world.a.agency
    _policy(agency, five_star_reward=Decimal("20"), late_penalty=Decimal("10"))

    def happen(count):
        for _ in range(count):
            staff = StaffMemberFactory(agency=agency)
            PenaltyFactory(agency=agency, staff=staff)
            response = FeedbackResponseFactory(agency=agency, overall=5)
            AssignmentFactory(
                agency=agency,
                staff=staff,
                order=response.request.order,
                status=AssignmentStatus.CONFIRMED,
                punctuality=Punctuality.LATE,
            )

    happen(2)
    # The policies; penalties, five stars, lateness: each one read and one insert.
    with django_assert_num_queries(7):
        assert adjustments_propose_due() == 6
    happen(5)
    with django_assert_num_queries(7):
        assert adjustments_propose_due() == 15


def _window(starts_at):
    from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

    return DateTimeTZRange(starts_at, starts_at + timedelta(hours=3))


# --- the demo ---------------------------------------------------------------------------


def test_the_demo_seeds_its_adjustments_once(world):
    agency = world.a.agency
    StaffMemberFactory(agency=agency)
    StaffMemberFactory(agency=agency)
    seed_adjustments(agency)
    seed_adjustments(agency)
    rows = PayAdjustment.objects.filter(agency=agency)
    assert rows.count() == 3
    assert {(row.reason, row.status) for row in rows} == {
        (AdjustmentReason.FIVE_STAR, AdjustmentStatus.APPROVED),
        (AdjustmentReason.COMPLAINT, AdjustmentStatus.APPROVED),
        (AdjustmentReason.REFERRAL, AdjustmentStatus.PROPOSED),
    }
