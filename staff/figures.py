"""Staff figures for the reports: training coverage, turnover, certificates expiring.

DESIGN.md, "Targets the reports measure" (the agency's settings; these are
the defaults): training coverage 100% with at least two trainings per staff
member a year; staff turnover at most 10% a
year. Utilisation needs the assignments, which live in `orders` (a higher
app): it is `orders.figures.utilisation`.

Values are fractions rounded to four places (`agency.figures.Figure`); the
periods of staff figures are dates (the agency's days), `[start, end)`.

Definitions (what a report may say about them):

- Training coverage: of the staff active now (status "active", optionally
  of a home branch), the share with at least the agency's yearly number of
  trainings or assessments held in the calendar year. Target 1.0 by default.
- Turnover: the staff who left in the period (`left_on` in `[start, end)`)
  divided by the average headcount, the mean of the headcounts on `start` and
  on `end` (employed on a day: started on or before it, not left on or
  before it). It is the period's rate, not annualised; the target is the
  agency's yearly target scaled to the period's length (days / 365), and it is met when
  the rate is at most the target. `measured` is the number who left.
- Certificates expiring: certificates of active staff expiring between
  today (the agency's date) and `within_days` days later, both included.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from agency.figures import FOUR_PLACES, Figure, percent_target, share
from agency.models import Agency, Branch
from staff.models import Certificate, EmploymentStatus, StaffMember
from staff.selectors import trainings_held_in


def training_coverage(*, agency: Agency, year: int, branch: Branch | None = None) -> Figure:
    """Share of the active staff with at least the agency's yearly trainings (two by default)
    held in the year (one query), against the agency's target (100% by default)."""
    target = percent_target(agency.training_target_percent)
    staff = StaffMember.objects.filter(agency=agency, status=EmploymentStatus.ACTIVE)
    if branch is not None:
        staff = staff.filter(home_branch=branch)
    row = staff.annotate(trainings_in_year=trainings_held_in(year)).aggregate(
        measured=Count("id"),
        covered=Count("id", filter=Q(trainings_in_year__gte=agency.trainings_per_year)),
    )
    value = share(row["covered"], row["measured"])
    return Figure(
        value=value,
        target=target,
        met=None if value is None else value >= target,
        measured=row["measured"],
    )


def turnover(*, agency: Agency, start: date, end: date, branch: Branch | None = None) -> Figure:
    """Staff who left in `[start, end)` ÷ the mean of the headcounts on `start` and `end`
    (one query); target: 10% a year, scaled to the period's days."""
    staff = StaffMember.objects.filter(agency=agency)
    if branch is not None:
        staff = staff.filter(home_branch=branch)

    def employed(day: date) -> Q:
        return Q(started_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))

    row = staff.aggregate(
        left=Count("id", filter=Q(left_on__gte=start, left_on__lt=end)),
        at_start=Count("id", filter=employed(start)),
        at_end=Count("id", filter=employed(end)),
    )
    yearly = percent_target(agency.turnover_target_percent)
    target = (yearly * (end - start).days / 365).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    average = Decimal(row["at_start"] + row["at_end"]) / 2
    value = share(row["left"], average)
    return Figure(
        value=value,
        target=target,
        met=None if value is None else value <= target,
        measured=row["left"],
    )


def certificates_expiring(
    *, agency: Agency, within_days: int = 30, branch: Branch | None = None
) -> int:
    """Certificates of active staff expiring from today to `within_days` later (one query)."""
    today = agency.today()
    certificates = Certificate.objects.filter(
        agency=agency,
        staff__status=EmploymentStatus.ACTIVE,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=within_days),
    )
    if branch is not None:
        certificates = certificates.filter(staff__home_branch=branch)
    return certificates.count()
