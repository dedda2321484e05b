"""Reads of pay for the active agency: periods with their figures, a period's statements, a
statement's lines, a staff member's own statements; each a fixed number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from agency.models import Agency, User
from payroll.models import PayLine, PayPeriod, PayRate, PayStatement, StatementStatus
from staff.models import StaffMember


def periods_for(*, agency: Agency) -> QuerySet[PayPeriod]:
    """The agency's periods, the latest first, with their statements counted and summed."""
    return (
        PayPeriod.objects.filter(agency=agency)
        .annotate(
            statement_count=Count("statements"),
            attention_count=Count(
                "statements", filter=Q(statements__status=StatementStatus.ATTENTION)
            ),
            paid_count=Count("statements", filter=Q(statements__status=StatementStatus.PAID)),
            net_total=Sum("statements__net"),
        )
        .order_by("-starts_on")
    )


def pay_rates_for(*, agency: Agency) -> QuerySet[PayRate]:
    """The agency's rates with what each is for, by service, then level, then person."""
    return (
        PayRate.objects.filter(agency=agency)
        .select_related("service_type", "level", "staff")
        .order_by("service_type__code", "level__rank", "staff__name", "pk")
    )


def statements_of(*, agency: Agency, period: PayPeriod) -> QuerySet[PayStatement]:
    return (
        PayStatement.objects.filter(agency=agency, period=period)
        .select_related("staff__home_branch", "staff__level")
        .order_by("staff__staff_number", "staff__name", "pk")
    )


def statement_with_lines(*, agency: Agency) -> QuerySet[PayStatement]:
    """Statements with their period, staff member and lines (for a page or a PDF)."""
    return (
        PayStatement.objects.filter(agency=agency)
        .select_related("period", "staff__home_branch", "staff__level", "approved_by", "paid_by")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=PayLine.objects.select_related("assignment__order", "adjustment").order_by(
                    "position"
                ),
            )
        )
    )


def statements_of_staff(*, staff: StaffMember) -> QuerySet[PayStatement]:
    """What a staff member sees of their pay: approved and paid statements, the latest first."""
    return (
        PayStatement.objects.filter(agency_id=staff.agency_id, staff=staff)
        .filter(status__in=[StatementStatus.APPROVED, StatementStatus.PAID])
        .select_related("period")
        .order_by("-period__starts_on")
    )


def own_statements(*, agency: Agency, user: User) -> QuerySet[PayStatement]:
    """What the login's staff member may see of their pay (statements_of_staff); none when
    the login has no staff record."""
    staff = StaffMember.objects.filter(agency=agency, user=user).first()
    if staff is None:
        return PayStatement.objects.none()
    return statements_of_staff(staff=staff)
