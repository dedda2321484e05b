"""The period's pay for the bank or the payroll system (issue 21): one CSV row per statement,
approved or paid, in the active language's headings."""

import csv
import io

from django.utils.translation import gettext as _

from agency.models import Agency
from payroll.models import PayPeriod, StatementStatus
from payroll.selectors import statements_of

#: A cell starting so is a formula to a spreadsheet: a name typed "=HYPERLINK(…)" is shown
#: as text, not run (CSV injection), as in the other exports.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def period_csv(*, agency: Agency, period: PayPeriod) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Staff number"),
            _("Name"),
            _("ID number"),
            _("Branch"),
            _("Earnings"),
            _("Deductions"),
            _("Net pay"),
            _("Status"),
        ]
    )
    statements = statements_of(agency=agency, period=period).filter(
        status__in=[StatementStatus.APPROVED, StatementStatus.PAID]
    )
    for statement in statements:
        staff = statement.staff
        writer.writerow(
            [
                f"{staff.staff_number:04d}" if staff.staff_number else "",
                _text(staff.name),
                _text(staff.id_number),
                _text(staff.home_branch.name),
                f"{statement.earnings:.2f}",
                f"{statement.deductions:.2f}",
                f"{statement.net:.2f}",
                StatementStatus(statement.status).label,
            ]
        )
    return out.getvalue()
