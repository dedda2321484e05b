"""A pay statement as a PDF (issue 21), in the staff member's language: the agency, the
period, the staff member (name, staff number, branch, level), every line, the earnings,
deductions and net pay, and its status; one not yet approved is watermarked a draft.

Built only by the reports queue's worker (agency.documents; registered in payroll/apps.py)
and served from storage: finance from the statement's page, the staff member from their
phone. The document's version changes with every figure and status it shows, so a
statement computed again or approved is built anew, never served stale.
"""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from agency.documents import DocumentKey, content_version
from agency.models import Document
from agency.pdf import render_pdf
from payroll.models import PayStatement, StatementStatus
from payroll.models.statements import OPEN
from payroll.selectors import statement_with_lines

PAY_STATEMENT_DOCUMENT = "pay_statement"


def staff_number_label(number: int | None) -> str:
    """The staff number (工号) as the agency writes it: 0007; none yet, a dash."""
    return f"{number:04d}" if number else "—"


def statement_filename(statement: PayStatement) -> str:
    """pay-2026-11-0007.pdf; a staff member without a number yet, by the statement's id."""
    number = statement.staff.staff_number
    who = f"{number:04d}" if number else f"s{statement.pk}"
    return f"pay-{statement.period.starts_on:%Y-%m}-{who}.pdf"


def statement_document(statement: PayStatement) -> DocumentKey:
    """The statement's document; `statement` with its period and staff (statement_with_lines
    or statements_of_staff): no query."""
    staff = statement.staff
    return DocumentKey(
        agency_id=statement.agency_id,
        kind=PAY_STATEMENT_DOCUMENT,
        ref=statement.pk,
        version=content_version(
            statement.status,
            statement.computed_at,
            statement.earnings,
            statement.deductions,
            statement.net,
            statement.approved_at,
            statement.paid_at,
            staff.name,
            staff.staff_number,
            staff.home_branch_id,
            staff.level_id,
        ),
        language=statement.language,
        filename=statement_filename(statement),
    )


def build_statement(document: Document) -> bytes:
    """agency.documents' builder of PAY_STATEMENT_DOCUMENT (the reports queue's worker)."""
    statement = (
        statement_with_lines(agency=document.agency).select_related("agency").get(pk=document.ref)
    )
    return render_statement_pdf(statement)


def _figure(value: Decimal | None) -> str:
    """A quantity or rate without trailing zeros (3, 2.5, 37.5); none, empty."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def render_statement_pdf(statement: PayStatement) -> bytes:
    """The statement, lines included (`statement` from statement_with_lines: no query for
    its lines, staff, branch or level), in the statement's language."""
    staff = statement.staff
    with translation.override(statement.language):
        lines = [
            {
                "kind": line.get_kind_display(),
                "day": line.day,
                "description": line.description,
                "problem": line.problem,
                "quantity": _figure(line.quantity),
                "rate": _money(line.rate),
                "amount": _money(line.amount),
            }
            for line in statement.lines.all()
        ]
        status = StatementStatus(statement.status).label
        watermark = _("Draft") if statement.status in OPEN else ""
    return render_pdf(
        "payroll/pdf/statement.html",
        {
            "agency": statement.agency,
            "statement": statement,
            "period": statement.period,
            "staff": staff,
            "staff_number": staff_number_label(staff.staff_number),
            "lines": lines,
            "status": status,
            "watermark": watermark,
            "earnings": _money(statement.earnings),
            "deductions": _money(statement.deductions),
            "net": _money(statement.net),
            "currency": statement.agency.currency,
        },
        language=statement.language,
    )
