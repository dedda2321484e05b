"""The pay statement as a PDF, read back: in the staff member's language, with their staff
number, every line, the totals and the net; a draft watermarked; finance downloads it."""

import subprocess
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from agency.audit import Actor
from agency.models import Role
from payroll.compute import period_compute
from payroll.models import PayStatement
from payroll.pdf import render_statement_pdf
from payroll.selectors import statement_with_lines
from payroll.statements import statement_approve
from tests.factories import (
    LevelFactory,
    PayPeriodFactory,
    PayRateFactory,
    StaffMemberFactory,
    UserFactory,
    served_job,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def computed_statement(world, *, language: str) -> PayStatement:
    """November: a piece-rate job (150) and an hourly one (2.5 h at 40), computed."""
    agency = world.a.agency
    staff = StaffMemberFactory(
        agency=agency,
        name="李秀英" if language == "zh-hans" else "Mary Li",
        staff_number=7,
        level=LevelFactory(agency=agency, name="高级" if language == "zh-hans" else "Senior"),
        user=UserFactory(preferred_language=language),
    )
    piece = served_job(staff, starts_at=datetime(2026, 11, 3, 9, tzinfo=SHANGHAI))
    PayRateFactory(agency=agency, service_type=piece.order.service_type, amount=Decimal("150"))
    hourly = served_job(staff, starts_at=datetime(2026, 11, 4, 9, tzinfo=SHANGHAI), hours=2.5)
    PayRateFactory(
        agency=agency, service_type=hourly.order.service_type, kind="hourly", amount=Decimal("40")
    )
    period = PayPeriodFactory(agency=agency)
    period_compute(period=period, actor=Actor(user=world.a.user(Role.FINANCE)))
    return statement_with_lines(agency=agency).get(period=period, staff=staff)


@pytest.mark.slow
def test_a_chinese_statement_reads_back_with_the_staff_number_lines_and_net(world):
    statement = computed_statement(world, language="zh-hans")
    jobs = [line.assignment.order.number for line in statement.lines.all()]
    text = pdf_text(render_statement_pdf(statement))
    assert "工资单" in text and "2026年11月" in text
    assert "李秀英" in text and "0007" in text and "高级" in text
    assert world.a.branch.name in text or statement.staff.home_branch.name in text
    for number in jobs:
        assert number in text
    assert "服务（计件）" in text and "服务（计时）" in text
    assert "2026年11月3日" in text
    assert "150.00" in text and "100.00" in text and "2.5" in text and "40.00" in text
    assert "实发工资" in text and "250.00" in text
    # Not yet approved: the status says so, and the page carries the watermark too (its
    # rotated characters come out of pdftotext one by one).
    assert "状态 草稿" in " ".join(text.split()) and text.count("稿") == 2
    assert "Pay statement" not in text and "Net pay" not in text


@pytest.mark.slow
def test_an_approved_statement_has_no_watermark_and_an_english_one_reads_in_english(world):
    statement = computed_statement(world, language="en")
    statement_approve(statement=statement, actor=Actor(user=world.a.user(Role.FINANCE)))
    statement = statement_with_lines(agency=world.a.agency).get(pk=statement.pk)
    text = pdf_text(render_statement_pdf(statement))
    assert "Pay statement" in text and "Mary Li" in text and "0007" in text
    assert "Job (piece rate)" in text and "Net pay" in text and "250.00" in text
    assert "Approved" in text
    assert "Draft" not in text and "工资单" not in text


@pytest.mark.slow
def test_finance_downloads_any_statement_pdf_and_the_dispatcher_may_not(
    world, client_for, documents
):
    statement = computed_statement(world, language="zh-hans")
    url = reverse("payroll_statement_pdf", kwargs={"pk": statement.pk})
    assert client_for(world.a.user(Role.DISPATCHER)).get(url).status_code == 403
    response = documents.fetch(client_for(world.a.user(Role.FINANCE)), url)
    assert response["Content-Type"] == "application/pdf"
    assert "pay-2026-11-0007.pdf" in response["Content-Disposition"]
    text = pdf_text(response.getvalue())
    assert "0007" in text and "250.00" in text and "草稿" in text
