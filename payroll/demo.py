"""Demo pay for `manage.py seed_demo` (issue 21), through the services.

In each demo agency: pay rates for its services (per job for most, per hour for home
cleaning, and the top level's own rate for deep cleaning when the agency has levels), a
pay policy with a travel allowance per job; then two pay periods, each computed from the
served jobs of its month, and only when its month has some: the month before last
computed, approved and paid; last month computed and approved, waiting for finance to
record it paid. A period computed once is left as it is, so seeding again changes nothing.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction

from agency.audit import Actor
from agency.models import Agency, User
from orders.models import SERVED, Assignment, AssignmentStatus, ServiceType
from payroll.adjustments_demo import seed_adjustments
from payroll.compute import period_compute
from payroll.models import PayPeriod, PayPolicy, PayRate, RateKind
from payroll.statements import pay_period_open, period_approve, period_pay
from staff.models import Level

DEMO_AGENCIES = ("anxin", "sunrise")
#: service code -> how a job of it pays; any other service pays PIECE_RATE a job.
RATES = {
    "cleaning": (RateKind.HOURLY, Decimal("35.00")),
    "deep-clean": (RateKind.PIECE, Decimal("260.00")),
    "elderly": (RateKind.PIECE, Decimal("160.00")),
    "custom-repair": (RateKind.PIECE, Decimal("150.00")),
    "appliance-repair": (RateKind.PIECE, Decimal("120.00")),
}
PIECE_RATE = Decimal("120.00")
#: The top level's rate for deep cleaning (its staff are paid more for the hardest jobs).
TOP_LEVEL_DEEP_CLEAN = Decimal("300.00")
TRAVEL_ALLOWANCE = Decimal("10.00")


def seed() -> None:
    for agency in Agency.objects.filter(slug__in=DEMO_AGENCIES).order_by("slug"):
        with transaction.atomic():
            _pay_rules(agency)
            seed_adjustments(agency)
            _pay_periods(agency)


def _pay_rules(agency: Agency) -> None:
    PayPolicy.objects.get_or_create(agency=agency, defaults={"travel_allowance": TRAVEL_ALLOWANCE})
    services = ServiceType.objects.filter(agency=agency, is_placement=False).order_by("pk")
    for service in services:
        kind, amount = RATES.get(service.code, (RateKind.PIECE, PIECE_RATE))
        PayRate.objects.get_or_create(
            agency=agency,
            service_type=service,
            level=None,
            staff=None,
            defaults={"kind": kind, "amount": amount},
        )
    top = Level.objects.filter(agency=agency).order_by("-rank").first()
    deep_clean = services.filter(code="deep-clean").first()
    if top is not None and deep_clean is not None:
        PayRate.objects.get_or_create(
            agency=agency,
            service_type=deep_clean,
            level=top,
            staff=None,
            defaults={"kind": RateKind.PIECE, "amount": TOP_LEVEL_DEEP_CLEAN},
        )


def _pay_periods(agency: Agency) -> None:
    """The month before last paid, then last month approved (in that order: a job is paid
    by the first period that takes it)."""
    finance = Actor(user=User.objects.get(username=f"{agency.slug}.finance"))
    this_month = agency.today().replace(day=1)
    last_month = _month_before(this_month)
    _pay_period(agency, finance, _month_before(last_month), paid=True)
    _pay_period(agency, finance, last_month, paid=False)


def _month_before(first: date) -> date:
    return date(first.year - 1, 12, 1) if first.month == 1 else date(first.year, first.month - 1, 1)


def _pay_period(agency: Agency, finance: Actor, first: date, *, paid: bool) -> None:
    computed = PayPeriod.objects.filter(agency=agency, starts_on=first, computed_at__isnull=False)
    if computed.exists() or not _has_served_jobs(agency, first):
        return
    period = pay_period_open(agency=agency, year=first.year, month=first.month, actor=finance)
    period_compute(period=period, actor=finance)
    period_approve(period=period, actor=finance)
    if paid:
        period_pay(period=period, actor=finance)


def _has_served_jobs(agency: Agency, first: date) -> bool:
    starts = datetime.combine(first, time.min, tzinfo=agency.zone)
    next_first = (
        date(first.year + 1, 1, 1) if first.month == 12 else first.replace(month=first.month + 1)
    )
    ends = datetime.combine(next_first, time.min, tzinfo=agency.zone)
    return Assignment.objects.filter(
        agency=agency,
        status=AssignmentStatus.CONFIRMED,
        order__status__in=SERVED,
        order__service_type__is_placement=False,
        order__starts_at__gte=starts,
        order__starts_at__lt=ends,
    ).exists()
