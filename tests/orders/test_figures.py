"""Order, acceptance, utilisation and revenue figures on a known week with exact values.

The period is the week of Monday 2026-11-02 in Shanghai, `[start, end)`.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from psycopg.types.range import Range

from orders import figures
from orders.billing.figures import revenue
from orders.billing.models import InvoiceKind, InvoiceStatus, RefundStatus
from orders.intake.models import CancellationStatus
from orders.models import OrderEvent, OrderStatus
from orders.service.models import RoundOutcome
from orders.staffing.models import AssignmentStatus
from tests.factories import (
    AcceptanceRoundFactory,
    AgencyFactory,
    AssignmentFactory,
    BranchFactory,
    CancellationFactory,
    InvoiceFactory,
    OrderFactory,
    PaymentFactory,
    RefundFactory,
    StaffMemberFactory,
    UserFactory,
    WorkingHoursFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 2, tzinfo=SHANGHAI)
END = START + timedelta(days=7)
IN_WEEK = START + timedelta(days=2, hours=10)
BEFORE = START - timedelta(days=1)


@pytest.fixture
def agency():
    return AgencyFactory()


@pytest.fixture
def branch(agency):
    return BranchFactory(agency=agency)


def _event(order, to_status, when, time_machine):
    time_machine.move_to(when, tick=False)
    OrderEvent.objects.create(agency=order.agency, order=order, to_status=to_status)


def test_order_counts_and_fees(agency, branch, time_machine, django_assert_max_num_queries):
    other = BranchFactory(agency=agency)
    time_machine.move_to(IN_WEEK, tick=False)
    a, b = OrderFactory(agency=agency, branch=branch), OrderFactory(agency=agency, branch=branch)
    c = OrderFactory(agency=agency, branch=other)
    time_machine.move_to(BEFORE, tick=False)
    old = OrderFactory(agency=agency, branch=branch)
    _event(old, OrderStatus.CONFIRMED, BEFORE, time_machine)
    _event(a, OrderStatus.CONFIRMED, IN_WEEK, time_machine)
    _event(a, OrderStatus.CONFIRMED, IN_WEEK + timedelta(hours=1), time_machine)  # once
    _event(b, OrderStatus.CONFIRMED, IN_WEEK, time_machine)
    _event(old, OrderStatus.ACCEPTED, IN_WEEK, time_machine)
    _event(c, OrderStatus.CANCELLED, IN_WEEK, time_machine)
    _event(b, OrderStatus.CANCELLED, END, time_machine)  # next week
    CancellationFactory(
        agency=agency, order=c, status=CancellationStatus.APPROVED, decided_at=IN_WEEK
    )
    CancellationFactory(
        agency=agency,
        order=b,
        status=CancellationStatus.APPROVED,
        decided_at=IN_WEEK,
        fee=Decimal("20.00"),
    )
    CancellationFactory(
        agency=agency, order=a, status=CancellationStatus.REJECTED, decided_at=IN_WEEK
    )

    with django_assert_max_num_queries(2):
        counts = figures.order_counts(agency=agency, start=START, end=END)
    assert counts == {"taken": 3, "confirmed": 2, "completed": 1, "cancelled": 1}
    assert figures.order_counts(agency=agency, start=START, end=END, branch=branch) == {
        "taken": 2,
        "confirmed": 2,
        "completed": 1,
        "cancelled": 0,
    }
    with django_assert_max_num_queries(1):
        fees = figures.cancellation_fees(agency=agency, start=START, end=END)
    assert fees == Decimal("35.00")
    assert figures.cancellation_fees(agency=agency, start=START, end=END, branch=branch) == (
        Decimal("20.00")
    )


def test_acceptance_rates(agency, django_assert_max_num_queries):
    def closed(order, number, outcome, when):
        return AcceptanceRoundFactory(
            agency=agency,
            order=order,
            number=number,
            outcome=outcome,
            next_stage=None,
            closed_at=when,
        )

    first, second, third = (OrderFactory(agency=agency) for _ in range(3))
    closed(first, 1, RoundOutcome.PASSED, IN_WEEK)
    closed(second, 1, RoundOutcome.FAILED, IN_WEEK)
    closed(second, 2, RoundOutcome.PASSED, IN_WEEK)
    closed(third, 1, RoundOutcome.FAILED, BEFORE)
    closed(third, 2, RoundOutcome.FAILED, IN_WEEK)
    AcceptanceRoundFactory(agency=agency, order=third, number=3)  # open

    with django_assert_max_num_queries(1):
        rates = figures.acceptance_rates(agency=agency, start=START, end=END)
    assert rates["first_pass"].value == Decimal("0.5000")
    assert rates["first_pass"].measured == 2
    assert rates["first_pass"].target is None
    assert rates["rework"].value == Decimal("0.5000")
    assert rates["rework"].measured == 4


def test_utilisation(agency, branch, django_assert_max_num_queries):
    busy = StaffMemberFactory(agency=agency, home_branch=branch)
    idle = StaffMemberFactory(agency=agency, home_branch=branch)
    # busy: Mon and Wed 8–18 (20 h in the week); idle: Tue 9–13 (4 h). 24 h available.
    WorkingHoursFactory(agency=agency, staff=busy, weekday=0)
    WorkingHoursFactory(agency=agency, staff=busy, weekday=2)
    WorkingHoursFactory(agency=agency, staff=idle, weekday=1, starts=time(9), ends=time(13))
    order = OrderFactory(agency=agency, branch=branch)
    # 3 h inside the week, 2 h of another one straddling the start (1 h inside).
    AssignmentFactory(
        agency=agency,
        order=order,
        staff=busy,
        status=AssignmentStatus.CONFIRMED,
        period=Range(IN_WEEK, IN_WEEK + timedelta(hours=3)),
    )
    AssignmentFactory(
        agency=agency,
        order=order,
        staff=busy,
        status=AssignmentStatus.CONFIRMED,
        period=Range(START - timedelta(hours=1), START + timedelta(hours=1)),
    )
    AssignmentFactory(  # proposed only: not booked
        agency=agency,
        order=order,
        staff=idle,
        period=Range(IN_WEEK, IN_WEEK + timedelta(hours=3)),
    )

    with django_assert_max_num_queries(2):
        figure = figures.utilisation(agency=agency, start=START, end=END)
    assert figure.value == Decimal("0.1667")  # 4 / 24
    assert figure.measured == 1
    assert figure.target is None


def test_revenue(agency, branch, django_assert_max_num_queries):
    invoice = InvoiceFactory(
        agency=agency,
        branch=branch,
        status=InvoiceStatus.ISSUED,
        number="2026-000001",
        issued_at=IN_WEEK,
        total=Decimal("300.00"),
    )
    InvoiceFactory(
        agency=agency,
        branch=branch,
        status=InvoiceStatus.ISSUED,
        number="2026-000002",
        issued_at=BEFORE,
        total=Decimal("999.00"),
    )
    InvoiceFactory(agency=agency, branch=branch, total=Decimal("50.00"))  # draft
    InvoiceFactory(
        agency=agency,
        branch=branch,
        kind=InvoiceKind.CREDIT_NOTE,
        credits=invoice,
        status=InvoiceStatus.ISSUED,
        number="2026-C00001",
        issued_at=IN_WEEK,
        total=Decimal("40.00"),
    )
    PaymentFactory(agency=agency, invoice=invoice, amount=Decimal("200.00"), received_at=IN_WEEK)
    PaymentFactory(agency=agency, invoice=invoice, amount=Decimal("60.00"), received_at=BEFORE)
    manager = UserFactory()
    RefundFactory(
        agency=agency,
        invoice=invoice,
        amount=Decimal("30.00"),
        status=RefundStatus.PAID_BACK,
        decided_by=manager,
        paid_back_by=manager,
        paid_back_at=IN_WEEK,
    )
    RefundFactory(agency=agency, invoice=invoice, amount=Decimal("10.00"))  # requested

    with django_assert_max_num_queries(3):
        figures_ = revenue(agency=agency, start=START, end=END)
    assert figures_ == {"invoiced": Decimal("260.00"), "collected": Decimal("170.00")}
    assert revenue(agency=agency, start=START, end=END, branch=BranchFactory(agency=agency)) == {
        "invoiced": Decimal("0.00"),
        "collected": Decimal("0.00"),
    }
