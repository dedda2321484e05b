"""The payroll pages: finance opens a month, computes it, approves and pays it, downloads
the CSV; the statement's lines lead to their orders; the pay rules page."""

import csv
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from agency.audit import Actor
from agency.models import AuditLog, Role
from payroll.compute import period_compute
from payroll.models import PayPeriod, PayPolicy, PayRate, PayStatement, StatementStatus
from payroll.rules import policy_fields
from staff.models import StaffMember
from tests.factories import (
    LevelFactory,
    PayPeriodFactory,
    PayRateFactory,
    ServiceTypeFactory,
    StaffMemberFactory,
    served_job,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _office_in_english(world):
    """The pages' words are read in English here (the agency's default is Chinese)."""
    for tenant in (world.a, world.b):
        for role in Role:
            user = tenant.user(role)
            user.preferred_language = "en"
            user.save(update_fields=["preferred_language"])


def paid_staff(agency, *, count: int, first_number: int = 100) -> list[StaffMember]:
    """`count` staff members, each with one November job at a 150.00 piece rate."""
    service = ServiceTypeFactory(agency=agency)
    PayRateFactory(agency=agency, service_type=service, amount=Decimal("150"))
    staff = []
    for i in range(count):
        member = StaffMemberFactory(agency=agency, staff_number=first_number + i)
        job = served_job(member, starts_at=datetime(2026, 11, 3 + i, 9, tzinfo=SHANGHAI))
        job.order.service_type = service
        job.order.save(update_fields=["service_type"])
        staff.append(member)
    return staff


@pytest.fixture
def november(world):
    """November computed: 王芳 (0007) paid 150.00, 李娜 with a job whose rate is missing."""
    agency = world.a.agency
    paid = StaffMemberFactory(agency=agency, name="王芳", staff_number=7)
    job = served_job(paid, starts_at=datetime(2026, 11, 3, 9, tzinfo=SHANGHAI))
    PayRateFactory(agency=agency, service_type=job.order.service_type, amount=Decimal("150"))
    unrated = StaffMemberFactory(agency=agency, name="李娜", staff_number=8)
    missing = served_job(unrated, starts_at=datetime(2026, 11, 4, 9, tzinfo=SHANGHAI))
    missing.order.service_type = ServiceTypeFactory(agency=agency, name_zh="家电清洗")
    missing.order.save(update_fields=["service_type"])
    period = PayPeriodFactory(agency=agency)
    period_compute(period=period, actor=Actor(user=world.a.user(Role.FINANCE)))
    return period, job, missing


def statement_of(period: PayPeriod, name: str) -> PayStatement:
    return PayStatement.objects.get(period=period, staff__name=name)


def test_finance_opens_a_month_and_lands_on_its_page(world, client_for):
    client = client_for(world.a.user(Role.FINANCE))
    response = client.post(reverse("payroll_periods"), {"year": 2026, "month": 11})
    period = PayPeriod.objects.get(agency=world.a.agency)
    assert response.status_code == 302
    assert response["Location"] == reverse("payroll_period", args=[period.pk])
    assert (period.starts_on.isoformat(), period.ends_on.isoformat()) == (
        "2026-11-01",
        "2026-11-30",
    )
    again = client.post(reverse("payroll_periods"), {"year": 2026, "month": 11})
    assert again["Location"] == response["Location"]
    assert PayPeriod.objects.filter(agency=world.a.agency).count() == 1


def test_a_month_not_begun_is_refused_on_the_form(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    response = client.post(reverse("payroll_periods"), {"year": 2027, "month": 1})
    assert response.status_code == 400
    assert "A period opens once its month has begun." in response.content.decode()
    assert not PayPeriod.objects.filter(agency=world.a.agency).exists()


def test_the_periods_list_shows_the_figures(world, client_for, november):
    response = client_for(world.a.user(Role.FINANCE)).get(reverse("payroll_periods"))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("payroll_period", args=[november[0].pk]) in page
    assert "150.00" in page  # the net total
    assert '<span class="badge badge-danger">1</span>' in page  # one needs attention


def test_the_period_page_shows_each_statement_and_highlights_attention(world, client_for, november):
    period, _job, _missing = november
    page = client_for(world.a.user(Role.FINANCE)).get(reverse("payroll_period", args=[period.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "0007" in text and "王芳" in text and "李娜" in text
    # One row highlighted, 李娜's, with its badge.
    rows = [row for row in text.split("<tr") if 'class="is-overdue"' in row.split(">")[0]]
    assert len(rows) == 1
    assert "李娜" in rows[0] and "pay-status-attention" in rows[0]


@pytest.mark.parametrize("count", [2, 5])
def test_the_period_page_costs_the_same_for_more_statements(
    world, client_for, django_assert_num_queries, count
):
    agency = world.a.agency
    paid_staff(agency, count=count)
    period = PayPeriodFactory(agency=agency)
    period_compute(period=period, actor=Actor(user=world.a.user(Role.FINANCE)))
    client = client_for(world.a.user(Role.FINANCE))
    # session, user, memberships; the period with its figures; the statements counted
    # (paginator); the bell's unread notices; a page of statements with staff, branch, level
    with django_assert_num_queries(7):
        response = client.get(reverse("payroll_period", args=[period.pk]))
    assert len(response.context["statements"]) == count


@pytest.mark.parametrize("count", [2, 5])
def test_the_periods_list_costs_the_same_for_more_periods(
    world, client_for, django_assert_num_queries, count
):
    for month in range(1, count + 1):
        PayPeriodFactory(
            agency=world.a.agency,
            starts_on=datetime(2026, month, 1).date(),
            ends_on=datetime(2026, month, 28).date(),
        )
    client = client_for(world.a.user(Role.FINANCE))
    # session, user, memberships; the periods counted; the bell's unread notices; a page
    # of periods with their figures
    with django_assert_num_queries(6):
        response = client.get(reverse("payroll_periods"))
    assert len(response.context["periods"]) == count


def test_finance_computes_approves_and_pays_with_the_buttons(world, client_for, november):
    period, job, _missing = november
    client = client_for(world.a.user(Role.FINANCE))
    page = reverse("payroll_period", args=[period.pk])
    assert client.post(reverse("payroll_period_compute", args=[period.pk]))["Location"] == page

    response = client.post(reverse("payroll_period_approve", args=[period.pk]), follow=True)
    assert "Statements approved: 1." in response.content.decode()
    assert statement_of(period, "王芳").status == StatementStatus.APPROVED
    assert statement_of(period, "李娜").status == StatementStatus.ATTENTION

    response = client.post(reverse("payroll_period_pay", args=[period.pk]), follow=True)
    assert "Statements recorded paid: 1." in response.content.decode()
    paid = statement_of(period, "王芳")
    assert paid.status == StatementStatus.PAID and paid.net == Decimal("150.00")

    # A paid statement is never changed by a new computation, even with another rate.
    PayRate.objects.filter(service_type=job.order.service_type).update(amount=Decimal("999"))
    client.post(reverse("payroll_period_compute", args=[period.pk]))
    paid.refresh_from_db()
    assert paid.status == StatementStatus.PAID and paid.net == Decimal("150.00")


def test_the_statement_page_traces_each_line_and_names_the_problem(world, client_for, november):
    period, job, missing = november
    client = client_for(world.a.user(Role.FINANCE))
    good = client.get(reverse("payroll_statement", args=[statement_of(period, "王芳").pk]))
    text = good.content.decode()
    assert reverse("order_detail", args=[job.order_id]) in text
    assert "150.00" in text and "0007" in text
    assert reverse("payroll_statement_approve", args=[statement_of(period, "王芳").pk]) in text

    bad = client.get(reverse("payroll_statement", args=[statement_of(period, "李娜").pk]))
    text = bad.content.decode()
    assert reverse("order_detail", args=[missing.order_id]) in text
    problem = text[text.index('class="overdue-date pay-problem"') :]
    assert "家电清洗" in problem.split("</strong>")[0]
    assert "payroll_statement_approve" not in text


def test_approving_a_statement_twice_is_refused_with_a_message(world, client_for, november):
    period, _job, _missing = november
    statement = statement_of(period, "王芳")
    client = client_for(world.a.user(Role.FINANCE))
    approve = reverse("payroll_statement_approve", args=[statement.pk])
    first = client.post(approve, follow=True)
    assert "Statement approved." in first.content.decode()
    second = client.post(approve, follow=True)
    assert "This statement is Approved already." in second.content.decode()
    pay = client.post(reverse("payroll_statement_pay", args=[statement.pk]), follow=True)
    assert "Statement recorded paid." in pay.content.decode()
    statement.refresh_from_db()
    assert statement.status == StatementStatus.PAID


def test_the_csv_reads_back_with_the_staff_number_and_net(world, client_for, november):
    period, _job, _missing = november
    client = client_for(world.a.user(Role.FINANCE))
    client.post(reverse("payroll_period_approve", args=[period.pk]))
    response = client.get(reverse("payroll_period_csv", args=[period.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="payroll-2026-11.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Staff number" and rows[0][6] == "Net pay"
    # Only what was approved goes to the bank: 李娜's statement needs attention.
    assert [(row[0], row[1], row[6]) for row in rows[1:]] == [("0007", "王芳", "150.00")]


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.STAFF, Role.SUPERVISOR])
def test_other_roles_are_refused_the_payroll_pages(world, client_for, november, role):
    period, _job, _missing = november
    client = client_for(world.a.user(role))
    assert client.get(reverse("payroll_periods")).status_code == 403
    assert client.get(reverse("payroll_period_csv", args=[period.pk])).status_code == 403
    assert client.post(reverse("payroll_period_approve", args=[period.pk])).status_code == 403
    assert not PayStatement.objects.filter(status=StatementStatus.APPROVED).exists()


def test_another_agencys_period_and_statement_are_not_found(world, client_for, november):
    period, _job, _missing = november
    client = client_for(world.b.user(Role.FINANCE))
    assert client.get(reverse("payroll_period", args=[period.pk])).status_code == 404
    assert client.get(reverse("payroll_period_csv", args=[period.pk])).status_code == 404
    statement = statement_of(period, "王芳")
    assert client.get(reverse("payroll_statement", args=[statement.pk])).status_code == 404
    assert client.post(reverse("payroll_statement_approve", args=[statement.pk])).status_code == 404
    statement.refresh_from_db()
    assert statement.status == StatementStatus.DRAFT


# --- the pay rules -----------------------------------------------------------------


def test_the_policy_form_has_every_field_of_the_model_and_saves_them(world, client_for):
    client = client_for(world.a.user(Role.FINANCE))
    page = client.get(reverse("payroll_rules"))
    assert list(page.context["policy_form"].fields) == policy_fields()
    values = dict.fromkeys(policy_fields(), "2")
    values.update(overtime_after_hours="9", travel_allowance="12.50")
    response = client.post(reverse("payroll_rules"), values)
    assert response.status_code == 302
    policy = PayPolicy.objects.get(agency=world.a.agency)
    assert policy.overtime_after_hours == Decimal("9")
    assert policy.travel_allowance == Decimal("12.50")
    assert policy.holiday_multiplier == Decimal("2")
    assert AuditLog.objects.filter(agency=world.a.agency, action="payroll.policy").exists()


def test_a_policy_out_of_bounds_is_shown_on_its_field(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    values = dict.fromkeys(policy_fields(), "2")
    values["overtime_multiplier"] = "0.5"
    response = client.post(reverse("payroll_rules"), values)
    assert response.status_code == 400
    assert response.context["policy_form"].errors["overtime_multiplier"]
    assert not PayPolicy.objects.filter(agency=world.a.agency).exists()


def test_rates_are_added_changed_and_removed(world, client_for):
    agency = world.a.agency
    service = ServiceTypeFactory(agency=agency, name_en="Daily cleaning")
    level = LevelFactory(agency=agency, name="高级")
    client = client_for(world.a.user(Role.FINANCE))
    response = client.post(
        reverse("payroll_rate_new"),
        {"service_type": service.pk, "level": level.pk, "kind": "hourly", "amount": "45.00"},
    )
    assert response["Location"] == reverse("payroll_rules")
    rate = PayRate.objects.get(agency=agency)
    assert (rate.level, rate.kind, rate.amount) == (level, "hourly", Decimal("45.00"))
    rules = client.get(reverse("payroll_rules")).content.decode()
    assert "Daily cleaning" in rules and "高级" in rules and "45.00" in rules

    edit = reverse("payroll_rate_edit", args=[rate.pk])
    client.post(edit, {"service_type": service.pk, "level": "", "kind": "piece", "amount": "130"})
    rate.refresh_from_db()
    assert (rate.level, rate.kind, rate.amount) == (None, "piece", Decimal("130.00"))

    client.post(reverse("payroll_rate_delete", args=[rate.pk]))
    assert not PayRate.objects.filter(agency=agency).exists()


def test_a_second_rate_for_the_same_service_and_level_is_refused_clearly(world, client_for):
    agency = world.a.agency
    existing = PayRateFactory(agency=agency)
    client = client_for(world.a.user(Role.FINANCE))
    response = client.post(
        reverse("payroll_rate_new"),
        {"service_type": existing.service_type_id, "kind": "piece", "amount": "99"},
    )
    assert response.status_code == 200  # the form again, with its error
    assert "This service has a rate for it already" in str(
        response.context["form"].errors["service_type"]
    )
    assert PayRate.objects.filter(agency=agency).count() == 1


def test_a_rate_for_a_level_and_a_staff_member_at_once_is_refused(world, client_for):
    agency = world.a.agency
    response = client_for(world.a.user(Role.FINANCE)).post(
        reverse("payroll_rate_new"),
        {
            "service_type": ServiceTypeFactory(agency=agency).pk,
            "level": LevelFactory(agency=agency).pk,
            "staff": StaffMemberFactory(agency=agency, staff_number=900).pk,
            "kind": "piece",
            "amount": "99",
        },
    )
    assert "a level or for one staff member, not both" in str(response.context["form"].errors)
    assert not PayRate.objects.filter(agency=agency).exists()


def test_a_rate_form_offers_only_the_agencys_own_services(world, client_for):
    theirs = ServiceTypeFactory(agency=world.b.agency)
    response = client_for(world.a.user(Role.FINANCE)).post(
        reverse("payroll_rate_new"), {"service_type": theirs.pk, "kind": "piece", "amount": "9"}
    )
    assert "service_type" in response.context["form"].errors
    assert not PayRate.objects.exists()


def test_a_name_typed_as_a_formula_is_text_in_the_csv(world, client_for, november):
    period, _job, _missing = november
    StaffMember.objects.filter(name="王芳").update(name='=HYPERLINK("http://x")')
    client = client_for(world.a.user(Role.FINANCE))
    client.post(reverse("payroll_period_approve", args=[period.pk]))
    response = client.get(reverse("payroll_period_csv", args=[period.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
