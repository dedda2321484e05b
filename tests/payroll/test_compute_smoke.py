"""A first statement: a piece-rate job and an hourly one, a missing rate, approval, paid."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from agency.audit import Actor
from agency.errors import StateConflict
from agency.models import Role
from payroll.compute import period_compute
from payroll.models import LineKind, PayStatement, StatementStatus
from payroll.statements import statement_approve, statement_pay
from tests.factories import (
    PayPeriodFactory,
    PayRateFactory,
    ServiceTypeFactory,
    StaffMemberFactory,
    served_job,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_statement_pays_the_jobs_and_names_a_missing_rate(world):
    agency = world.a.agency
    finance = Actor(user=world.a.user(Role.FINANCE))
    staff = StaffMemberFactory(agency=agency)
    job = served_job(staff, starts_at=datetime(2026, 11, 3, 9, tzinfo=SHANGHAI))
    PayRateFactory(agency=agency, service_type=job.order.service_type, amount=Decimal("150"))
    hourly = served_job(staff, starts_at=datetime(2026, 11, 4, 9, tzinfo=SHANGHAI), hours=2.5)
    PayRateFactory(
        agency=agency, service_type=hourly.order.service_type, kind="hourly", amount=Decimal("40")
    )
    period = PayPeriodFactory(agency=agency)
    assert period_compute(period=period, actor=finance) == 1
    statement = PayStatement.objects.get(period=period, staff=staff)
    lines = list(statement.lines.order_by("position"))
    assert [(line.kind, line.amount) for line in lines] == [
        (LineKind.PIECE, Decimal("150.00")),
        (LineKind.HOURLY, Decimal("100.00")),
    ]
    assert statement.status == StatementStatus.DRAFT and statement.net == Decimal("250.00")

    unrated = served_job(
        staff,
        starts_at=datetime(2026, 11, 5, 9, tzinfo=SHANGHAI),
    )
    unrated.order.service_type = ServiceTypeFactory(agency=agency, name_zh="家电清洗")
    unrated.order.save(update_fields=["service_type"])
    period_compute(period=period, actor=finance)
    statement.refresh_from_db()
    assert statement.status == StatementStatus.ATTENTION
    assert statement.lines.filter(problem__contains="家电清洗").count() == 1
    with pytest.raises(StateConflict):
        statement_approve(statement=statement, actor=finance)
    approved = statement.lines.get(problem__contains="家电清洗")
    approved.delete()
    PayStatement.objects.filter(pk=statement.pk).update(status=StatementStatus.DRAFT)
    statement_approve(statement=statement, actor=finance)
    with pytest.raises(StateConflict):
        statement_approve(statement=statement, actor=finance)
    paid = statement_pay(statement=statement, actor=finance)
    assert paid.status == StatementStatus.PAID
    period_compute(period=period, actor=finance)
    paid.refresh_from_db()
    assert paid.status == StatementStatus.PAID and paid.net == Decimal("250.00")
