"""A pay period's lifecycle (issue 21): opened for a month, computed (`payroll.compute`),
each statement approved by finance — it settles the rewards and penalties on it —, then
paid; a paid statement never changes (a correction is an adjustment, paid in a later
period)."""

import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.models import Agency
from agency.permissions import Area, require
from payroll.models import PayAdjustment, PayLine, PayPeriod, PayStatement, StatementStatus


def _require_finance(actor: Actor, agency_id: int) -> None:
    require(actor, Area.PAYROLL, agency_id=agency_id, message=_("Finance handles pay."))


@transaction.atomic
def pay_period_open(*, agency: Agency, year: int, month: int, actor: Actor) -> PayPeriod:
    """The calendar month's period (opening it twice answers the first)."""
    _require_finance(actor, agency.pk)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValidationError({"month": _("Choose a month.")})
    starts_on = date(year, month, 1)
    ends_on = date(year, month, calendar.monthrange(year, month)[1])
    if starts_on > agency.today():
        raise ValidationError({"month": _("A period opens once its month has begun.")})
    existing = PayPeriod.objects.filter(agency=agency, starts_on=starts_on).first()
    if existing is not None:
        return existing
    period = PayPeriod(agency=agency, starts_on=starts_on, ends_on=ends_on)
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError:  # two clicks at once
        return PayPeriod.objects.get(agency=agency, starts_on=starts_on)
    audit_record(agency=agency, actor=actor, action="payroll.period", target=period, changes={})
    return period


@transaction.atomic
def statement_approve(*, statement: PayStatement, actor: Actor) -> PayStatement:
    """Finance approves a draft statement: it settles the adjustments on its lines, once.
    Refused: one that needs attention, or approved already."""
    _require_finance(actor, statement.agency_id)
    statement = PayStatement.objects.select_for_update().get(pk=statement.pk)
    if statement.status == StatementStatus.ATTENTION:
        raise StateConflict(_("This statement needs attention first: see the lines marked."))
    if statement.status != StatementStatus.DRAFT:
        raise StateConflict(
            _("This statement is %(status)s already.")
            % {"status": StatementStatus(statement.status).label}
        )
    adjustment_ids = list(
        PayLine.objects.filter(statement=statement, adjustment__isnull=False).values_list(
            "adjustment_id", flat=True
        )
    )
    settled = PayAdjustment.objects.filter(pk__in=adjustment_ids, settled_in__isnull=True).update(
        settled_in=statement
    )
    if settled != len(adjustment_ids):
        raise StateConflict(
            _("A reward or penalty on it was settled elsewhere: compute the period again.")
        )
    statement.status = StatementStatus.APPROVED
    statement.approved_by = actor.user
    statement.approved_at = timezone.now()
    statement.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(
        agency=statement.agency,
        actor=actor,
        action="payroll.approve",
        target=statement,
        changes={"net": str(statement.net)},
    )
    return statement


@transaction.atomic
def statement_pay(*, statement: PayStatement, actor: Actor) -> PayStatement:
    """Finance records an approved statement paid; from then on it never changes."""
    _require_finance(actor, statement.agency_id)
    statement = PayStatement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != StatementStatus.APPROVED:
        raise StateConflict(_("Only an approved statement is paid."))
    statement.status = StatementStatus.PAID
    statement.paid_by = actor.user
    statement.paid_at = timezone.now()
    statement.save(update_fields=["status", "paid_by", "paid_at"])
    audit_record(
        agency=statement.agency,
        actor=actor,
        action="payroll.paid",
        target=statement,
        changes={"net": str(statement.net)},
    )
    return statement


@transaction.atomic
def period_approve(*, period: PayPeriod, actor: Actor) -> int:
    """Approve every draft statement of the period; those needing attention wait. How many."""
    _require_finance(actor, period.agency_id)
    drafts = list(PayStatement.objects.filter(period=period, status=StatementStatus.DRAFT))
    for statement in drafts:
        statement_approve(statement=statement, actor=actor)
    return len(drafts)


@transaction.atomic
def period_pay(*, period: PayPeriod, actor: Actor) -> int:
    """Record every approved statement of the period paid (the bank file was sent). How many."""
    _require_finance(actor, period.agency_id)
    approved = list(PayStatement.objects.filter(period=period, status=StatementStatus.APPROVED))
    for statement in approved:
        statement_pay(statement=statement, actor=actor)
    return len(approved)
