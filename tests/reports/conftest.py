"""A known week for the reports: the ISO week of Monday 2026-11-16 in Asia/Shanghai.

Agency A has two branches (A1 = the fixture's branch, A2 "North"). Every KPI
has an exact expected value (tests/reports/test_weekly.py lists them).

    order  branch  created     confirmed   moved on              acceptance       feedback
    o1     A1      Mon 09:00   Mon 10:00   accepted Wed 12:00    fail Tue, pass   5
    o2     A1      Mon 09:00   Mon 10:00   accepted Wed 12:00    pass (1st)       4
    o3     A1      Mon 09:00   Mon 10:00   accepted Wed 12:00    pass (1st)       2
    o4     A2      Mon 09:00   Mon 10:00   accepted Wed 12:00    pass (1st)       —
    o5     A2      Mon 09:00   Mon 10:00   accepted Wed 12:00    pass (1st)       5
    o6     A1      Tue 09:00   —           cancelled Thu, fee 50.00
    o7     A1      Fri 13th    Mon 11:00   (taken the week before)

    complaint  branch  tier/category   received    first response   completing deadline
    c1         A1      hard damage     Mon 10:00   Mon 10:30        resolution in time (Tue)
    c2         A1      hard fault      Tue 09:00   Wed 09:00 (late) resolution late (Wed)
    c3         A2      soft attitude   Wed 14:00   Wed 14:10        verification in time (Wed)
    c6         A1      soft attitude   Fri 17:10   none             — (breached, open)

Revisits due in the week: one done (a phone survey scoring 4), one open, one
dropped. Staff of A1: s1 (two trainings this year, Mon 08–18, booked 3 h on
Wed, a certificate expiring 2026-12-10), s2 (one training, Tue 09–13), s3
(left on Wed 18th). Billing in A1: invoice 300.00 issued Thu, a credit note
of 50.00 on Fri; 200.00 received Thu, 20.00 paid back Fri.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from psycopg.types.range import Range

from agency.models import Role
from complaints.models import Category, DeadlineKind, Tier
from feedback.models import FeedbackResponse, RevisitStatus
from feedback.policy import policy_for
from orders.billing.models import InvoiceKind, InvoiceStatus, RefundStatus
from orders.intake.models import CancellationStatus
from orders.models import Order, OrderEvent, OrderStatus
from orders.service.models import RoundOutcome
from orders.staffing.models import AssignmentStatus
from staff.models import EmploymentStatus
from tests.factories import (
    AcceptanceRoundFactory,
    AssignmentFactory,
    BranchFactory,
    CancellationFactory,
    CertificateFactory,
    ComplaintFactory,
    CustomerFactory,
    DeadlineFactory,
    FeedbackRequestFactory,
    FeedbackResponseFactory,
    InvoiceFactory,
    OrderFactory,
    PaymentFactory,
    RefundFactory,
    RevisitFactory,
    StaffMemberFactory,
    TrainingFactory,
    WorkingHoursFactory,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
FR, VER, RES = DeadlineKind.FIRST_RESPONSE, DeadlineKind.VERIFICATION, DeadlineKind.RESOLUTION
WEEK = {"period": "custom", "start": "2026-11-16", "end": "2026-11-22"}
MONDAY = date(2026, 11, 16)


def sh(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _english(world):
    for tenant in (world.a, world.b):
        tenant.agency.default_language = "en"
        tenant.agency.save(update_fields=["default_language"])
        policy_for(tenant.agency)


@pytest.fixture
def a2(world):
    return BranchFactory(agency=world.a.agency, name="North")


def complaint(branch, tier, category, received):
    return ComplaintFactory(
        agency=branch.agency, branch=branch, tier=tier, category=category, received_at=received
    )


def deadline(c, kind, due, *, met=None, late=False):
    DeadlineFactory(
        agency=c.agency,
        complaint=c,
        kind=kind,
        due_at=due,
        met_at=met,
        breached_at=due if late else None,
        next_escalation_at=None if met else due,
    )


def moved(order, status, when):
    event = OrderEvent.objects.create(agency=order.agency, order=order, to_status=status)
    OrderEvent.objects.filter(pk=event.pk).update(created_at=when)


def taken(branch, when, **fields):
    order = OrderFactory(
        agency=branch.agency,
        branch=branch,
        needs_form__customer=CustomerFactory(agency=branch.agency),
        **fields,
    )
    Order.objects.filter(pk=order.pk).update(created_at=when)
    return order


def served(branch, *, overall: int | None, day: int = 18):
    """An order taken and confirmed on Monday, accepted on `day`, answered that evening."""
    order = taken(branch, sh(16, 9), status=OrderStatus.ACCEPTED)
    moved(order, OrderStatus.CONFIRMED, sh(16, 10))
    moved(order, OrderStatus.ACCEPTED, sh(day, 12))
    if overall is not None:
        request = FeedbackRequestFactory(agency=branch.agency, order=order)
        response = FeedbackResponseFactory(agency=branch.agency, request=request, overall=overall)
        FeedbackResponse.objects.filter(pk=response.pk).update(submitted_at=sh(day, 20))
    return order


def closed_round(order, number, outcome, when):
    AcceptanceRoundFactory(
        agency=order.agency,
        order=order,
        number=number,
        outcome=outcome,
        next_stage=None,
        closed_at=when,
    )


@pytest.fixture
def week(world, a2):
    a1, agency = world.a.branch, world.a.agency
    c1 = complaint(a1, Tier.HARD, Category.DAMAGE, sh(16, 10))
    deadline(c1, FR, sh(16, 11), met=sh(16, 10, 30))
    deadline(c1, RES, sh(17, 18), met=sh(17, 17))
    c2 = complaint(a1, Tier.HARD, Category.FAULT, sh(17, 9))
    deadline(c2, FR, sh(17, 10), met=sh(18, 9), late=True)
    deadline(c2, RES, sh(18, 8), met=sh(18, 15), late=True)
    c3 = complaint(a2, Tier.SOFT, Category.ATTITUDE, sh(18, 14))
    deadline(c3, FR, sh(18, 14, 15), met=sh(18, 14, 10))
    deadline(c3, VER, sh(18, 14, 30), met=sh(18, 14, 25))
    c6 = complaint(a1, Tier.SOFT, Category.ATTITUDE, sh(20, 17, 10))
    deadline(c6, FR, sh(20, 17, 25), late=True)

    o1, o2, o3 = (served(a1, overall=overall) for overall in (5, 4, 2))
    o4, o5 = served(a2, overall=None), served(a2, overall=5)
    closed_round(o1, 1, RoundOutcome.FAILED, sh(17, 15))
    for order in (o1, o2, o3, o4, o5):
        closed_round(order, 2 if order == o1 else 1, RoundOutcome.PASSED, sh(18, 11))
    o6 = taken(a1, sh(17, 9), status=OrderStatus.CANCELLED)
    moved(o6, OrderStatus.CANCELLED, sh(19, 10))
    CancellationFactory(
        agency=agency,
        order=o6,
        status=CancellationStatus.APPROVED,
        decided_at=sh(19, 10),
        fee=Decimal("50.00"),
    )
    o7 = taken(a1, sh(13, 9), status=OrderStatus.CONFIRMED)
    moved(o7, OrderStatus.CONFIRMED, sh(16, 11))

    RevisitFactory(
        agency=agency,
        order=o2,
        due_at=sh(17, 10),
        status=RevisitStatus.DONE,
        outcome="reached",
        satisfaction=4,
        notes="很满意",
        done_at=sh(17, 11),
        done_by=world.a.user(Role.DISPATCHER),
    )
    RevisitFactory(agency=agency, order=o3, due_at=sh(19, 10))
    RevisitFactory(agency=agency, order=o6, due_at=sh(19, 10), status=RevisitStatus.DROPPED)

    s1 = StaffMemberFactory(agency=agency, home_branch=a1, name="王芳", started_on=date(2025, 1, 1))
    s2 = StaffMemberFactory(agency=agency, home_branch=a1, name="李静", started_on=date(2025, 1, 1))
    StaffMemberFactory(
        agency=agency,
        home_branch=a1,
        status=EmploymentStatus.LEFT,
        started_on=date(2024, 1, 1),
        left_on=date(2026, 11, 18),
    )
    TrainingFactory(agency=agency, staff=s1, held_on=date(2026, 3, 1))
    TrainingFactory(agency=agency, staff=s1, held_on=date(2026, 9, 1))
    TrainingFactory(agency=agency, staff=s2, held_on=date(2026, 3, 1))
    CertificateFactory(agency=agency, staff=s1, expires_on=date(2026, 12, 10))
    WorkingHoursFactory(agency=agency, staff=s1, weekday=0)  # 08–18
    WorkingHoursFactory(agency=agency, staff=s2, weekday=1, starts="09:00", ends="13:00")
    AssignmentFactory(
        agency=agency,
        order=o1,
        staff=s1,
        status=AssignmentStatus.CONFIRMED,
        period=Range(sh(18, 9), sh(18, 12)),
    )

    invoice = InvoiceFactory(
        agency=agency,
        branch=a1,
        customer=o1.customer,
        status=InvoiceStatus.ISSUED,
        number="2026-000001",
        issued_at=sh(19, 9),
        total=Decimal("300.00"),
    )
    InvoiceFactory(
        agency=agency,
        branch=a1,
        customer=o1.customer,
        kind=InvoiceKind.CREDIT_NOTE,
        credits=invoice,
        status=InvoiceStatus.ISSUED,
        number="2026-C00001",
        issued_at=sh(20, 9),
        total=Decimal("50.00"),
    )
    PaymentFactory(agency=agency, invoice=invoice, amount=Decimal("200.00"), received_at=sh(19, 10))
    manager = world.a.user(Role.MANAGER)
    RefundFactory(
        agency=agency,
        invoice=invoice,
        amount=Decimal("20.00"),
        status=RefundStatus.PAID_BACK,
        decided_by=manager,
        paid_back_by=manager,
        paid_back_at=sh(20, 15),
    )

    # Agency B's week: nothing of it counts for A.
    b = complaint(world.b.branch, Tier.SOFT, Category.OTHER, sh(18, 10))
    deadline(b, FR, sh(18, 10, 15), late=True)
    served(world.b.branch, overall=1)
    return agency
