"""The payroll API: periods opened, computed, approved, paid and exported; statements with
their lines; refusals as 409; the rates and the policy; roles and other agencies."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from agency.audit import Actor
from agency.models import Role
from payroll.compute import period_compute
from payroll.models import PayPeriod, PayPolicy, PayRate, PayStatement, StatementStatus
from tests.factories import (
    LevelFactory,
    PayPeriodFactory,
    PayRateFactory,
    PayStatementFactory,
    ServiceTypeFactory,
    StaffMemberFactory,
    served_job,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _office_in_english(world):
    """The answers' words are read in English here (the agency's default is Chinese)."""
    for tenant in (world.a, world.b):
        for role in Role:
            user = tenant.user(role)
            user.preferred_language = "en"
            user.save(update_fields=["preferred_language"])


@pytest.fixture
def november(world):
    """November computed: 王芳 (0007) paid 150.00 for one job, 李娜's job has no rate."""
    agency = world.a.agency
    paid = StaffMemberFactory(agency=agency, name="王芳", staff_number=7)
    job = served_job(paid, starts_at=datetime(2026, 11, 3, 9, tzinfo=SHANGHAI))
    PayRateFactory(agency=agency, service_type=job.order.service_type, amount=Decimal("150"))
    unrated = StaffMemberFactory(agency=agency, name="李娜", staff_number=8)
    missing = served_job(unrated, starts_at=datetime(2026, 11, 4, 9, tzinfo=SHANGHAI))
    missing.order.service_type = ServiceTypeFactory(agency=agency)
    missing.order.save(update_fields=["service_type"])
    period = PayPeriodFactory(agency=agency)
    period_compute(period=period, actor=Actor(user=world.a.user(Role.FINANCE)))
    return period, job


def finance(world, client_for):
    return client_for(world.a.user(Role.FINANCE))


def url(name: str, pk: int | None = None) -> str:
    return reverse(name, args=[pk] if pk is not None else [])


def statement_of(period: PayPeriod, name: str) -> PayStatement:
    return PayStatement.objects.get(period=period, staff__name=name)


def test_a_period_is_opened_once_and_listed_with_its_figures(world, client_for):
    client = finance(world, client_for)
    created = client.post(url("pay-period-list"), {"year": 2026, "month": 11}, "application/json")
    assert created.status_code == 201
    body = created.json()
    assert (body["starts_on"], body["ends_on"], body["statement_count"]) == (
        "2026-11-01",
        "2026-11-30",
        0,
    )
    again = client.post(url("pay-period-list"), {"year": 2026, "month": 11}, "application/json")
    assert again.json()["id"] == body["id"]
    assert PayPeriod.objects.filter(agency=world.a.agency).count() == 1


def test_opening_a_bad_or_future_month_is_a_400_by_field(world, client_for):
    client = finance(world, client_for)
    bad = client.post(url("pay-period-list"), {"year": 2026, "month": 13}, "application/json")
    assert bad.status_code == 400 and "month" in bad.json()
    future = client.post(url("pay-period-list"), {"year": 2027, "month": 2}, "application/json")
    assert future.status_code == 400 and "month" in future.json()
    assert not PayPeriod.objects.exists()


@pytest.mark.parametrize("count", [2, 5])
def test_the_periods_list_costs_the_same_for_more_periods(
    world, client_for, django_assert_num_queries, count
):
    for month in range(1, count + 1):
        PayPeriodFactory(
            agency=world.a.agency, starts_on=date(2026, month, 1), ends_on=date(2026, month, 28)
        )
    client = finance(world, client_for)
    # session, user, memberships; count; a page of periods with their figures
    with django_assert_num_queries(5):
        response = client.get(url("pay-period-list"))
    assert len(response.json()["results"]) == count


def test_compute_then_statements_by_period_and_status(world, client_for, november):
    period, _job = november
    client = finance(world, client_for)
    computed = client.post(url("pay-period-compute", period.pk))
    assert computed.status_code == 200 and computed.json() == {"count": 2}

    listed = client.get(url("pay-statement-list"), {"period": period.pk}).json()["results"]
    assert {(row["staff_name"], row["staff_number"], row["net"]) for row in listed} == {
        ("王芳", "0007", "150.00"),
        ("李娜", "0008", "0.00"),
    }
    attention = client.get(url("pay-statement-list"), {"status": "attention"}).json()
    assert [row["staff_name"] for row in attention["results"]] == ["李娜"]
    other_period = PayPeriodFactory(agency=world.b.agency)
    assert (
        client.get(url("pay-statement-list"), {"period": other_period.pk}).json()["results"] == []
    )


def test_a_statement_comes_with_its_lines_traceable_to_the_order(world, client_for, november):
    period, job = november
    statement = statement_of(period, "王芳")
    body = finance(world, client_for).get(url("pay-statement-detail", statement.pk)).json()
    assert body["net"] == "150.00" and body["staff_number"] == "0007"
    [line] = body["lines"]
    assert (line["kind"], line["amount"], line["order"], line["assignment"]) == (
        "piece",
        "150.00",
        job.order_id,
        job.pk,
    )
    unrated = finance(world, client_for).get(
        url("pay-statement-detail", statement_of(period, "李娜").pk)
    )
    assert unrated.json()["lines"][0]["problem"]


@pytest.mark.parametrize("count", [2, 5])
def test_the_statements_list_costs_the_same_for_more_rows(
    world, client_for, django_assert_num_queries, count
):
    agency = world.a.agency
    for month in range(1, count + 1):
        PayStatementFactory(
            agency=agency,
            period=PayPeriodFactory(
                agency=agency, starts_on=date(2026, month, 1), ends_on=date(2026, month, 28)
            ),
            staff__staff_number=500 + month,
            staff__level=LevelFactory(agency=agency),
        )
    client = finance(world, client_for)
    # session, user, memberships; count; a page with period, staff, branch, level
    with django_assert_num_queries(5):
        response = client.get(url("pay-statement-list"))
    assert len(response.json()["results"]) == count


def test_approving_twice_or_paying_a_draft_is_a_409(world, client_for, november):
    period, _job = november
    statement = statement_of(period, "王芳")
    client = finance(world, client_for)
    assert client.post(url("pay-statement-pay", statement.pk)).status_code == 409
    first = client.post(url("pay-statement-approve", statement.pk))
    assert first.status_code == 200 and first.json()["status"] == "approved"
    second = client.post(url("pay-statement-approve", statement.pk))
    assert second.status_code == 409 and "already" in second.json()["detail"]
    attention = client.post(url("pay-statement-approve", statement_of(period, "李娜").pk))
    assert attention.status_code == 409
    paid = client.post(url("pay-statement-pay", statement.pk))
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    assert client.post(url("pay-statement-pay", statement.pk)).status_code == 409


def test_a_paid_statement_is_not_changed_by_compute(world, client_for, november):
    period, job = november
    client = finance(world, client_for)
    assert client.post(url("pay-period-approve", period.pk)).json() == {"count": 1}
    assert client.post(url("pay-period-pay", period.pk)).json() == {"count": 1}
    PayRate.objects.filter(service_type=job.order.service_type).update(amount=Decimal("999"))
    client.post(url("pay-period-compute", period.pk))
    paid = statement_of(period, "王芳")
    assert (paid.status, paid.net) == (StatementStatus.PAID, Decimal("150.00"))
    assert paid.lines.get().amount == Decimal("150.00")


def test_the_export_reads_back_as_csv(world, client_for, november):
    period, _job = november
    client = finance(world, client_for)
    client.post(url("pay-period-approve", period.pk))
    response = client.get(url("pay-period-export", period.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 8
    assert [(row[0], row[1], row[6]) for row in rows[1:]] == [("0007", "王芳", "150.00")]
    asked_for_csv = client.get(url("pay-period-export", period.pk), HTTP_ACCEPT="text/csv")
    assert asked_for_csv.status_code == 200 and asked_for_csv.content == response.content


# --- rates and policy ------------------------------------------------------------------


def test_rates_are_created_changed_and_deleted(world, client_for):
    agency = world.a.agency
    service = ServiceTypeFactory(agency=agency)
    level = LevelFactory(agency=agency)
    client = finance(world, client_for)
    created = client.post(
        url("pay-rate-list"),
        {"service_type": service.pk, "level": level.pk, "kind": "hourly", "amount": "45.00"},
        "application/json",
    )
    assert created.status_code == 201
    rate_id = created.json()["id"]
    assert created.json()["level"] == level.pk
    changed = client.patch(
        url("pay-rate-detail", rate_id), {"amount": "50.00"}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["amount"] == "50.00"
    rate = PayRate.objects.get(pk=rate_id)
    assert (rate.level, rate.kind, rate.amount) == (level, "hourly", Decimal("50.00"))
    assert client.delete(url("pay-rate-detail", rate_id)).status_code == 204
    assert not PayRate.objects.filter(pk=rate_id).exists()


def test_a_duplicate_rate_and_a_level_with_a_staff_member_are_400_by_field(world, client_for):
    agency = world.a.agency
    existing = PayRateFactory(agency=agency)
    client = finance(world, client_for)
    twin = client.post(
        url("pay-rate-list"),
        {"service_type": existing.service_type_id, "kind": "piece", "amount": "1"},
        "application/json",
    )
    assert twin.status_code == 400
    assert "already" in twin.json()["service_type"][0]
    both = client.post(
        url("pay-rate-list"),
        {
            "service_type": existing.service_type_id,
            "level": LevelFactory(agency=agency).pk,
            "staff": StaffMemberFactory(agency=agency, staff_number=900).pk,
            "kind": "piece",
            "amount": "1",
        },
        "application/json",
    )
    assert both.status_code == 400 and "level" in both.json()
    theirs = client.post(
        url("pay-rate-list"),
        {"service_type": ServiceTypeFactory(agency=world.b.agency).pk, "kind": "piece"},
        "application/json",
    )
    assert theirs.status_code == 400 and "service_type" in theirs.json()
    assert PayRate.objects.filter(agency=agency).count() == 1


def test_the_policy_is_read_with_its_defaults_and_set(world, client_for):
    client = finance(world, client_for)
    read = client.get(url("api_pay_policy")).json()
    assert read["overtime_multiplier"] == "1.50" and read["holiday_multiplier"] == "3.00"
    put = client.put(
        url("api_pay_policy"),
        {"travel_allowance": "15.00", "overtime_after_hours": "9.0"},
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["travel_allowance"] == "15.00"
    policy = PayPolicy.objects.get(agency=world.a.agency)
    assert (policy.travel_allowance, policy.overtime_after_hours) == (Decimal(15), Decimal(9))
    bad = client.put(
        url("api_pay_policy"), {"holiday_multiplier": "0.5"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "holiday_multiplier" in bad.json()


# --- roles and other agencies ------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.STAFF])
def test_other_roles_are_refused(world, client_for, november, role):
    period, _job = november
    client = client_for(world.a.user(role))
    assert client.get(url("pay-period-list")).status_code == 403
    assert client.get(url("pay-statement-list")).status_code == 403
    assert client.post(url("pay-period-approve", period.pk)).status_code == 403
    assert client.get(url("api_pay_policy")).status_code == 403
    assert not PayStatement.objects.filter(status=StatementStatus.APPROVED).exists()


def test_another_agencys_period_and_statement_are_404(world, client_for, november):
    period, _job = november
    client = client_for(world.b.user(Role.FINANCE))
    statement = statement_of(period, "王芳")
    assert client.get(url("pay-statement-detail", statement.pk)).status_code == 404
    assert client.post(url("pay-statement-approve", statement.pk)).status_code == 404
    assert client.get(url("pay-period-export", period.pk)).status_code == 404
    assert client.post(url("pay-period-compute", period.pk)).status_code == 404
    statement.refresh_from_db()
    assert statement.status == StatementStatus.DRAFT


def test_the_schema_documents_the_payroll_endpoints(world, client_for):
    schema = finance(world, client_for).get(url("api_schema"), {"format": "json"}).json()
    for path in (
        "/api/pay-periods/",
        "/api/pay-periods/{id}/compute/",
        "/api/pay-periods/{id}/export/",
        "/api/pay-statements/{id}/approve/",
        "/api/pay-rates/{id}/",
        "/api/pay-policy/",
    ):
        assert path in schema["paths"], path
    approve = schema["paths"]["/api/pay-statements/{id}/approve/"]["post"]
    assert "409" in approve["responses"]
