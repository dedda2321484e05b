"""A staff member's own pay on the phone and in the API: approved and paid statements only,
the latest first, their own only; a statement's lines and its PDF; the office roles kept
out; and the demo's two pay periods, read by the demo's staff member."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from agency.models import Role, User
from payroll import demo
from payroll.models import LineKind, PayLine, PayPeriod, PayStatement, StatementStatus
from tests.factories import PayStatementFactory, StaffMemberFactory
from tests.payroll.test_pdf import pdf_text

pytestmark = pytest.mark.django_db
OFFICE_ROLES = [role for role in Role if role != Role.STAFF]


def month(agency, first: date) -> PayPeriod:
    return PayPeriod.objects.get_or_create(
        agency=agency,
        starts_on=first,
        defaults={"ends_on": first.replace(day=28)},
    )[0]


@pytest.fixture
def me(world):
    """The world's staff login and its staff record."""
    user = world.a.user(Role.STAFF)
    return StaffMemberFactory(agency=world.a.agency, user=user, staff_number=7)


def statement(staff, first: date, status: str, net: str = "300.00") -> PayStatement:
    made = PayStatementFactory(
        agency=staff.agency,
        period=month(staff.agency, first),
        staff=staff,
        status=status,
        net=Decimal(net),
        earnings=Decimal(net),
        paid_at=timezone.now() if status == StatementStatus.PAID else None,
    )
    PayLine.objects.create(
        agency=staff.agency,
        statement=made,
        position=1,
        kind=LineKind.PIECE,
        day=first,
        description=f"H-{first:%m} 家庭保洁",
        quantity=1,
        rate=Decimal(net),
        amount=Decimal(net),
    )
    return made


def test_staff_see_their_approved_and_paid_statements_newest_first_never_drafts(
    world, client_for, me
):
    paid = statement(me, date(2026, 10, 1), StatementStatus.PAID, "784.08")
    approved = statement(me, date(2026, 11, 1), StatementStatus.APPROVED, "912.58")
    draft = statement(me, date(2026, 9, 1), StatementStatus.DRAFT, "111.11")
    attention = statement(me, date(2026, 8, 1), StatementStatus.ATTENTION, "222.22")
    someone_else = statement(
        StaffMemberFactory(agency=world.a.agency), date(2026, 11, 1), StatementStatus.APPROVED
    )
    client = client_for(me.user)

    page = client.get(reverse("my_pay")).content.decode()
    assert page.index("912.58") < page.index("784.08")
    assert "111.11" not in page and "222.22" not in page
    assert reverse("my_pay_statement", args=[someone_else.pk]) not in page
    assert reverse("my_pay") in page  # the navigation's "My pay"

    detail = client.get(reverse("my_pay_statement", args=[approved.pk]))
    assert detail.status_code == 200
    assert "H-11 家庭保洁" in detail.content.decode() and "0007" in detail.content.decode()
    assert client.get(reverse("my_pay_statement", args=[paid.pk])).status_code == 200
    for hidden in (draft, attention, someone_else):
        for name in ("my_pay_statement", "my_pay_statement_pdf"):
            assert client.get(reverse(name, args=[hidden.pk])).status_code == 404


def test_a_login_without_a_staff_record_sees_no_statement(world, client_for):
    response = client_for(world.a.user(Role.STAFF)).get(reverse("my_pay"))
    assert response.status_code == 200
    with translation.override("zh-hans"):
        unlinked = gettext(
            "Your account is not linked to a staff record yet. Ask the office to link it."
        )
    assert unlinked in response.content.decode()
    assert "job-card" not in response.content.decode()


@pytest.mark.parametrize("role", OFFICE_ROLES)
def test_office_roles_cannot_open_my_pay(world, client_for, role):
    client = client_for(world.a.user(role))
    assert client.get(reverse("my_pay")).status_code == 403
    assert client.get(reverse("mypaystatement-list")).status_code == 403


def test_the_staff_list_costs_the_same_for_two_statements_or_five(
    world, client_for, me, django_assert_num_queries
):
    client = client_for(me.user)
    for count in (2, 5):
        for first in [date(2026, 11 - n, 1) for n in range(count)]:
            if not PayStatement.objects.filter(staff=me, period__starts_on=first).exists():
                statement(me, first, StatementStatus.PAID)
        # session, user, membership, the staff record, the statements with their periods,
        # the unread notifications' badge
        with django_assert_num_queries(6):
            page = client.get(reverse("my_pay"))
        assert page.content.decode().count('class="panel job-card"') == count
        # session, user, membership, the staff record, the count, the page of statements
        with django_assert_num_queries(6):
            listed = client.get(reverse("mypaystatement-list")).json()
        assert listed["count"] == count


def test_the_api_lists_and_opens_only_ones_own_statements(world, client_for, me):
    approved = statement(me, date(2026, 11, 1), StatementStatus.APPROVED, "912.58")
    statement(me, date(2026, 10, 1), StatementStatus.PAID, "784.08")
    draft = statement(me, date(2026, 9, 1), StatementStatus.DRAFT)
    theirs = statement(
        StaffMemberFactory(agency=world.a.agency), date(2026, 11, 1), StatementStatus.APPROVED
    )
    client = client_for(me.user)

    listed = client.get(reverse("mypaystatement-list")).json()
    rows = listed["results"]
    assert [(row["period"]["starts_on"], row["net"]) for row in rows] == [
        ("2026-11-01", "912.58"),
        ("2026-10-01", "784.08"),
    ]
    one = client.get(reverse("mypaystatement-detail", args=[approved.pk])).json()
    assert one["status"] == "approved"
    assert [(line["kind"], line["description"], line["amount"]) for line in one["lines"]] == [
        ("piece", "H-11 家庭保洁", "912.58")
    ]
    for hidden in (draft, theirs):
        assert client.get(reverse("mypaystatement-detail", args=[hidden.pk])).status_code == 404


@pytest.mark.slow
def test_the_staff_member_downloads_their_statement_in_chinese(world, client_for, me, documents):
    approved = statement(me, date(2026, 11, 1), StatementStatus.APPROVED, "912.58")
    url = reverse("my_pay_statement_pdf", args=[approved.pk])
    response = documents.fetch(client_for(me.user), url)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.getvalue())
    assert "工资单" in text and "0007" in text and "H-11 家庭保洁" in text and "912.58" in text
    assert "稿" not in text  # approved: no draft watermark


@pytest.mark.slow
def test_the_demo_pays_two_months_and_seeds_again_without_change(client_for):
    call_command("seed_demo", verbosity=0)
    # The twelve weeks of history (reports.demo) are seeded after payroll (the apps' order):
    # its served jobs are paid by the next run.
    demo.seed()
    periods = list(
        PayPeriod.objects.order_by("agency__slug", "starts_on").values_list(
            "agency__slug", "starts_on"
        )
    )
    assert periods == [
        ("anxin", date(2026, 10, 1)),
        ("anxin", date(2026, 11, 1)),
        ("sunrise", date(2026, 10, 1)),
        ("sunrise", date(2026, 11, 1)),
    ]
    statuses = set(PayStatement.objects.values_list("period__starts_on", "status"))
    assert statuses == {(date(2026, 10, 1), "paid"), (date(2026, 11, 1), "approved")}
    state = sorted(PayStatement.objects.values_list("pk", "status", "net"))
    demo.seed()
    assert sorted(PayStatement.objects.values_list("pk", "status", "net")) == state

    page = client_for(User.objects.get(username="anxin.staff")).get(reverse("my_pay"))
    assert page.content.decode().count('class="panel job-card"') == 2
