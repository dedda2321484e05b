"""The tables behind the KPIs: which rows each lists, its CSV, who may open it, its queries.

The period is the ISO week of Monday 2026-11-16 in Asia/Shanghai, read on the
Tuesday after (as in test_dashboard.py). Agency A has two branches: A1 (the
fixture's branch) and A2 ("North"). Each test puts rows inside the week, just
outside it, in the other branch and in agency B, and checks which ones show.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agency.models import Role
from complaints.models import Category, DeadlineKind, Severity, Tier
from feedback.models import FeedbackResponse
from orders.models import (
    InvoiceKind,
    InvoiceStatus,
    Order,
    OrderEvent,
    OrderStatus,
    PaymentMethod,
    RefundStatus,
)
from reports.exports import TABLES
from staff.models import EmploymentStatus
from tests.factories import (
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
    StaffMemberFactory,
    TrainingFactory,
    UserFactory,
)
from tests.reports.conftest import WEEK, sh


@pytest.fixture(autouse=True)
def _read_on_tuesday_after():
    with time_machine.travel(sh(24, 9), tick=False):
        yield


@pytest.fixture
def manager(world, client_for):
    return client_for(world.a.user(Role.MANAGER))


def page_rows(client, table: str, **query) -> list[list[str]]:
    """The cells of the rows page's table (first page)."""
    response = client.get(reverse("report_rows", args=[table]), {**WEEK, **query})
    assert response.status_code == 200
    return [[str(cell) for cell in cells] for cells in response.context["rows"]]


def csv_rows(client, table: str, **query) -> list[list[str]]:
    """The CSV's lines, header first, after checking the BOM."""
    response = client.get(reverse("report_rows_csv", args=[table]), {**WEEK, **query})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# --- data --------------------------------------------------------------------------------


def order(branch, *, created, number, status=OrderStatus.QUOTED):
    o = OrderFactory(
        agency=branch.agency,
        branch=branch,
        number=number,
        status=status,
        needs_form__customer=CustomerFactory(agency=branch.agency, name=f"Customer {number}"),
    )
    Order.objects.filter(pk=o.pk).update(created_at=created)
    return o


def moved(o, to, at, actor=None):
    event = OrderEvent.objects.create(agency=o.agency, order=o, to_status=to, actor=actor)
    OrderEvent.objects.filter(pk=event.pk).update(created_at=at)
    return event


def issued_invoice(branch, number, at, *, kind=InvoiceKind.INVOICE, total="150.00", **extra):
    return InvoiceFactory(
        **extra,
        agency=branch.agency,
        branch=branch,
        number=number,
        kind=kind,
        status=InvoiceStatus.ISSUED,
        issued_at=at,
        total=Decimal(total),
        customer=CustomerFactory(agency=branch.agency, name=f"Customer {number}"),
    )


# --- which rows --------------------------------------------------------------------------


def test_orders_taken_in_the_week_and_branch(world, a2, manager):
    a1 = world.a.branch
    order(a1, created=sh(16, 0), number="A-1")
    order(a2, created=sh(22, 23, 59), number="A-2")
    order(a1, created=sh(15, 23, 59), number="A-before")
    order(a1, created=sh(23, 0), number="A-after")
    order(world.b.branch, created=sh(17, 9), number="B-1")

    assert [r[0] for r in page_rows(manager, "orders_taken")] == ["A-1", "A-2"]
    assert [r[0] for r in page_rows(manager, "orders_taken", branch=a2.pk)] == ["A-2"]
    assert csv_rows(manager, "orders_taken") == [
        ["Order", "Created", "Customer", "Service", "Branch", "Status"],
        ["A-1", "2026-11-16 00:00", "Customer A-1", "Home cleaning", a1.name, "Quoted"],
        ["A-2", "2026-11-22 23:59", "Customer A-2", "Home cleaning", "North", "Quoted"],
    ]


def test_order_moves_to_one_status_or_all_three(world, a2, manager):
    a1 = world.a.branch
    o1 = order(a1, created=sh(10, 9), number="A-1")
    o2 = order(a2, created=sh(10, 9), number="A-2")
    dispatcher = world.a.user(Role.DISPATCHER)
    dispatcher.first_name, dispatcher.last_name = "Fang", "Wang"
    dispatcher.save()
    moved(o1, OrderStatus.CONFIRMED, sh(16, 10), actor=dispatcher)
    moved(o1, OrderStatus.ASSIGNED, sh(16, 11))  # not a move the dashboard counts
    moved(o2, OrderStatus.CANCELLED, sh(18, 12))
    moved(o1, OrderStatus.ACCEPTED, sh(23, 1))  # after the week
    moved(order(world.b.branch, created=sh(10, 9), number="B-1"), OrderStatus.CANCELLED, sh(17, 9))

    assert page_rows(manager, "order_moves") == [
        ["A-1", "Confirmed", "2026-11-16 10:00", "Fang Wang"],
        ["A-2", "Cancelled", "2026-11-18 12:00", ""],
    ]
    assert page_rows(manager, "order_moves", to="cancelled") == [
        ["A-2", "Cancelled", "2026-11-18 12:00", ""]
    ]
    assert page_rows(manager, "order_moves", to="confirmed", branch=a2.pk) == []


def test_participation_says_who_answered(world, a2, manager):
    answered = order(world.a.branch, created=sh(1, 9), number="A-1", status=OrderStatus.ACCEPTED)
    silent = order(a2, created=sh(1, 9), number="A-2", status=OrderStatus.ACCEPTED)
    earlier = order(a2, created=sh(1, 9), number="A-0", status=OrderStatus.ACCEPTED)
    moved(answered, OrderStatus.ACCEPTED, sh(17, 12))
    moved(silent, OrderStatus.ACCEPTED, sh(18, 12))
    moved(earlier, OrderStatus.ACCEPTED, sh(14, 12))
    request = FeedbackRequestFactory(agency=answered.agency, order=answered)
    response = FeedbackResponseFactory(agency=answered.agency, request=request, overall=2)
    FeedbackResponse.objects.filter(pk=response.pk).update(submitted_at=sh(25, 8))

    assert [(r[0], r[3], r[4]) for r in page_rows(manager, "participation")] == [
        ("A-1", "2026-11-17 12:00", "yes"),
        ("A-2", "2026-11-18 12:00", "no"),
    ]
    # Submitted after the week: a participation, not a response of the week.
    assert page_rows(manager, "feedback") == []


def test_complaints_received_with_their_first_response(world, a2, manager):
    a1 = world.a.branch
    c1 = ComplaintFactory(
        agency=a1.agency,
        branch=a1,
        number="C-1",
        tier=Tier.HARD,
        category=Category.DAMAGE,
        severity=Severity.MAJOR,
        received_at=sh(16, 10),
    )
    DeadlineFactory(
        agency=a1.agency, complaint=c1, kind=DeadlineKind.FIRST_RESPONSE, due_at=sh(16, 11),
        met_at=sh(16, 10, 30), next_escalation_at=None,
    )  # fmt: skip
    ComplaintFactory(agency=a1.agency, branch=a2, number="C-2", received_at=sh(20, 17))
    ComplaintFactory(agency=a1.agency, branch=a1, number="C-old", received_at=sh(13, 17))
    ComplaintFactory(agency=world.b.agency, branch=world.b.branch, received_at=sh(18, 9))

    lines = csv_rows(manager, "complaints")
    assert lines[0] == [
        "Number", "Received", "Branch", "Tier", "Category", "Severity", "Status",
        "First response",
    ]  # fmt: skip
    assert lines[1] == [
        "C-1", "2026-11-16 10:00", a1.name, "Hard (damage, a tangible fault)",
        "Damage to property", "Major: report to the department head at once", "Open",
        "2026-11-16 10:30",
    ]  # fmt: skip
    assert [line[0] for line in lines[1:]] == ["C-1", "C-2"]
    assert [r[0] for r in page_rows(manager, "complaints", branch=a2.pk)] == ["C-2"]


def test_open_breaches_as_the_figure_counts_them(world, manager):
    a1 = world.a.branch
    c = ComplaintFactory(agency=a1.agency, branch=a1, number="C-1", received_at=sh(20, 17))
    DeadlineFactory(
        agency=a1.agency, complaint=c, due_at=sh(20, 17, 15), breached_at=sh(20, 17, 15)
    )
    DeadlineFactory(
        agency=a1.agency, complaint=c, kind=DeadlineKind.VERIFICATION, due_at=sh(20, 18),
        met_at=sh(20, 17, 50), next_escalation_at=None,
    )  # fmt: skip
    b = ComplaintFactory(agency=world.b.agency, branch=world.b.branch, received_at=sh(18, 9))
    DeadlineFactory(agency=b.agency, complaint=b, due_at=sh(18, 10))

    assert page_rows(manager, "breaches") == [
        ["C-1", a1.name, "First response", "2026-11-20 17:15", "2026-11-20 17:15"]
    ]


def test_staff_active_and_left_in_the_week(world, a2, manager):
    a1 = world.a.branch
    active = StaffMemberFactory(agency=a1.agency, home_branch=a1, name="Active")
    TrainingFactory(agency=a1.agency, staff=active, held_on=date(2026, 3, 1))
    TrainingFactory(agency=a1.agency, staff=active, held_on=date(2025, 3, 1))
    StaffMemberFactory(
        agency=a1.agency, home_branch=a2, name="Left in week",
        status=EmploymentStatus.LEFT, left_on=date(2026, 11, 20),
    )  # fmt: skip
    StaffMemberFactory(
        agency=a1.agency, home_branch=a1, name="Left before",
        status=EmploymentStatus.LEFT, left_on=date(2026, 11, 1),
    )  # fmt: skip
    StaffMemberFactory(agency=world.b.agency, home_branch=world.b.branch, name="Other agency")

    assert page_rows(manager, "staff") == [
        ["Active", a1.name, "Active", "2024-03-01", "1", ""],
        ["Left in week", "North", "Left", "2024-03-01", "0", "2026-11-20"],
    ]
    assert [r[0] for r in page_rows(manager, "staff", branch=a1.pk)] == ["Active"]


def test_certificates_of_active_staff_expiring_in_30_days(world, manager):
    a1 = world.a.branch
    active = StaffMemberFactory(agency=a1.agency, home_branch=a1, name="Active")
    gone = StaffMemberFactory(
        agency=a1.agency, home_branch=a1, status=EmploymentStatus.LEFT, left_on=date(2026, 11, 1)
    )
    CertificateFactory(agency=a1.agency, staff=active, number="SOON", expires_on=date(2026, 12, 24))
    CertificateFactory(
        agency=a1.agency, staff=active, number="LATER", expires_on=date(2026, 12, 25)
    )
    CertificateFactory(agency=a1.agency, staff=gone, number="GONE", expires_on=date(2026, 12, 1))

    assert page_rows(manager, "certificates") == [
        ["Active", a1.name, "Health certificate", "SOON", "2026-12-24"]
    ]


def test_invoices_and_credit_notes_issued(world, a2, manager):
    a1 = world.a.branch
    invoice = issued_invoice(a1, "INV-1", sh(17, 9))
    issued_invoice(
        a2, "CN-1", sh(19, 9), kind=InvoiceKind.CREDIT_NOTE, total="40.00", credits=invoice
    )
    issued_invoice(a1, "INV-0", sh(15, 9))
    InvoiceFactory(agency=a1.agency, branch=a1)  # a draft: never issued
    issued_invoice(world.b.branch, "B-INV", sh(17, 9))

    assert csv_rows(manager, "invoices")[1:] == [
        ["INV-1", "Invoice", "2026-11-17 09:00", "Customer INV-1", a1.name, "", "150.00"],
        ["CN-1", "Credit note", "2026-11-19 09:00", "Customer CN-1", "North", "INV-1", "40.00"],
    ]


def test_payments_and_refunds_paid_back(world, a2, manager):
    a1 = world.a.branch
    invoice = issued_invoice(a1, "INV-1", sh(10, 9))
    other = issued_invoice(a2, "INV-2", sh(10, 9))
    PaymentFactory(
        agency=a1.agency, invoice=invoice, amount=Decimal("75.00"), received_at=sh(17, 10)
    )
    PaymentFactory(agency=a1.agency, invoice=other, received_at=sh(15, 10))  # before the week
    approver = UserFactory()
    RefundFactory(
        agency=a1.agency, invoice=invoice, amount=Decimal("50.00"),
        status=RefundStatus.PAID_BACK, decided_by=approver, paid_back_by=approver,
        paid_back_at=sh(18, 11), method=PaymentMethod.BANK_TRANSFER,
    )  # fmt: skip
    RefundFactory(
        agency=a1.agency, invoice=other, status=RefundStatus.APPROVED, decided_by=approver
    )  # approved, not paid back yet
    PaymentFactory(agency=world.b.agency, received_at=sh(17, 10))

    assert csv_rows(manager, "payments") == [
        ["Kind", "At", "Invoice", "Amount", "Method"],
        ["Payment", "2026-11-17 10:00", "INV-1", "75.00", "WeChat Pay"],
        ["Refund", "2026-11-18 11:00", "INV-1", "-50.00", "Bank transfer"],
    ]
    assert page_rows(manager, "payments", branch=a2.pk) == []


# --- the pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_answers_with_its_file(table, manager):
    page = manager.get(reverse("report_rows", args=[table]), WEEK)
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("report_rows_csv", args=[table]) + "?period=custom" in html
    assert reverse("dashboard") + "?period=custom&amp;start=2026-11-16" in html
    response = manager.get(reverse("report_rows_csv", args=[table]), WEEK)
    assert response["Content-Disposition"] == (
        f'attachment; filename="{table}-2026-11-16-2026-11-22.csv"'
    )
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode()[1:])))
    with translation.override("en"):  # the request deactivated the test's language
        assert lines == [TABLES[table].headers()]


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.MANAGER, 200), (Role.SUPERVISOR, 200), (Role.DISPATCHER, 403), (Role.FINANCE, 403)],
)
def test_managers_and_supervisors_only(world, client_for, role, status):
    client = client_for(world.a.user(role))
    assert client.get(reverse("report_rows", args=["orders_taken"])).status_code == status
    assert client.get(reverse("report_rows_csv", args=["orders_taken"])).status_code == status


def test_an_unknown_table_is_not_found(manager):
    assert manager.get(reverse("report_rows", args=["salaries"])).status_code == 404
    assert manager.get(reverse("report_rows_csv", args=["salaries"])).status_code == 404


def test_another_agencys_branch_falls_back_to_this_week(world, manager):
    order(world.a.branch, created=sh(17, 9), number="A-last-week")
    order(world.a.branch, created=sh(24, 8), number="A-this-week")
    order(world.b.branch, created=sh(24, 8), number="B-this-week")
    rows = page_rows(manager, "orders_taken", branch=world.b.branch.pk)
    assert [r[0] for r in rows] == ["A-this-week"]


def test_a_page_holds_100_rows(world, manager):
    for n in range(101):
        order(world.a.branch, created=sh(17, 9), number=f"A-{n:03d}")
    first = manager.get(reverse("report_rows", args=["orders_taken"]), WEEK)
    assert len(first.context["rows"]) == 100
    second = manager.get(reverse("report_rows", args=["orders_taken"]), {**WEEK, "page": 2})
    assert [r[0] for r in second.context["rows"]] == ["A-100"]
    assert len(csv_rows(manager, "orders_taken")) == 102


# --- bounded queries ---------------------------------------------------------------------


def _add_rows(world, n: int, start: int) -> None:
    """n rows in each table the test below reads: orders, moves, payments and refunds."""
    a1 = world.a.branch
    approver = UserFactory()
    for i in range(start, start + n):
        o = order(a1, created=sh(17, 9), number=f"A-{i}", status=OrderStatus.ACCEPTED)
        moved(o, OrderStatus.ACCEPTED, sh(18, 9), actor=approver)
        invoice = issued_invoice(a1, f"INV-{i}", sh(17, 9))
        PaymentFactory(agency=a1.agency, invoice=invoice, received_at=sh(17, 10))
        RefundFactory(
            agency=a1.agency, invoice=invoice, status=RefundStatus.PAID_BACK,
            decided_by=approver, paid_back_by=approver, paid_back_at=sh(18, 11),
        )  # fmt: skip
        ComplaintFactory(agency=a1.agency, branch=a1, received_at=sh(18, 9))
        StaffMemberFactory(agency=a1.agency, home_branch=a1)


def _queries(client, name: str, table: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name, args=[table]), WEEK)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured)


@pytest.mark.parametrize("name", ["report_rows", "report_rows_csv"])
@pytest.mark.parametrize(
    "table", ["orders_taken", "order_moves", "participation", "payments", "complaints", "staff"]
)
def test_queries_do_not_grow_with_the_rows(world, manager, name, table):
    _add_rows(world, 1, start=0)
    one = _queries(manager, name, table)
    _add_rows(world, 4, start=1)
    five = _queries(manager, name, table)
    assert five == one
