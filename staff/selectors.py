"""Reads of the staff app; each takes the agency explicitly."""

from datetime import date, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from agency.models import Agency
from staff.models import (
    Certificate,
    StaffMember,
    StaffSkill,
    TimeOff,
    TimeOffStatus,
    Training,
    WorkingHours,
)

#: How far ahead the office is warned of an expiring certificate.
EXPIRY_WARNING_DAYS = 30


def staff_for(*, agency: Agency) -> QuerySet[StaffMember]:
    """The agency's staff with what a list row shows (home branch, skills)."""
    return (
        StaffMember.objects.filter(agency=agency)
        .select_related("home_branch")
        .prefetch_related(Prefetch("skills", queryset=StaffSkill.objects.order_by("code")))
        .order_by("name", "id")
    )


def staff_list(*, agency: Agency, today: date | None = None) -> QuerySet[StaffMember]:
    """`staff_for` with the two warnings of a list row: trainings this year, certificates due."""
    today = today or agency.today()
    rows = trainings_count_this_year(staff_for(agency=agency), agency=agency, today=today)
    return with_certificates_expiring(rows, today=today)


def staff_search(queryset: QuerySet[StaffMember], text: str) -> QuerySet[StaffMember]:
    """By (part of) the name or of the phone number."""
    text = text.strip()
    if not text:
        return queryset
    match = Q(name__icontains=text)
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 4:
        match |= Q(phone__contains=digits)
    return queryset.filter(match)


def staff_detail(*, agency: Agency) -> QuerySet[StaffMember]:
    """One staff member's page: profile, skills, certificates, trainings, pattern, time off,
    penalties."""
    return (
        StaffMember.objects.filter(agency=agency)
        .select_related("home_branch", "user", "level")
        .prefetch_related(
            Prefetch("skills", queryset=StaffSkill.objects.order_by("code")),
            Prefetch("certificates", queryset=Certificate.objects.order_by("kind", "-issued_on")),
            Prefetch("trainings", queryset=Training.objects.order_by("-held_on", "-id")),
            Prefetch("working_hours", queryset=WorkingHours.objects.order_by("weekday", "starts")),
            Prefetch(
                "time_off",
                queryset=TimeOff.objects.select_related("decided_by").order_by("-period"),
            ),
            "penalties",
        )
    )


def trainings_count_this_year(
    queryset: QuerySet[StaffMember], *, agency: Agency, today: date | None = None
) -> QuerySet[StaffMember]:
    """Annotate `trainings_this_year`: trainings and assessments in the agency's current year."""
    year = (today or agency.today()).year
    return queryset.annotate(trainings_this_year=trainings_held_in(year))


def trainings_held_in(year: int) -> Coalesce:
    """The outer staff row's trainings and assessments held in `year` (0 if none), as an
    annotation: the staff list and the training coverage figure count them alike."""
    counted = (
        Training.objects.filter(staff=OuterRef("pk"), held_on__year=year)
        .order_by()
        .values("staff")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_certificates_expiring(
    queryset: QuerySet[StaffMember], *, today: date, within_days: int = EXPIRY_WARNING_DAYS
) -> QuerySet[StaffMember]:
    """Annotate `certificates_expiring`: how many expire within the days given, not renewed."""
    due = _expiring(
        Certificate.objects.filter(staff=OuterRef("pk")), today=today, within_days=within_days
    )
    counted = due.order_by().values("staff").annotate(n=Count("pk")).values("n")
    return queryset.annotate(
        certificates_expiring=Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    )


def certificates_for(*, agency: Agency) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(agency=agency)
        .select_related("staff", "staff__home_branch")
        .order_by("expires_on", "id")
    )


def certificates_expiring(
    *, agency: Agency, within_days: int = EXPIRY_WARNING_DAYS, today: date | None = None
) -> QuerySet[Certificate]:
    """Certificates that expire from today to `within_days` ahead, soonest first.

    Only of staff who have not left, and only where the person has no newer
    certificate of the same type that stays valid longer (it was renewed).
    """
    today = today or agency.today()
    return _expiring(
        certificates_for(agency=agency).exclude(staff__status="left"),
        today=today,
        within_days=within_days,
    )


def expiring_filter(
    queryset: QuerySet[Certificate], *, today: date, within_days: int
) -> QuerySet[Certificate]:
    """The API's `expiring_within_days`: the same rule as the page's list."""
    return _expiring(queryset, today=today, within_days=within_days)


def _expiring(
    queryset: QuerySet[Certificate], *, today: date, within_days: int
) -> QuerySet[Certificate]:
    renewed = Certificate.objects.filter(
        staff=OuterRef("staff"), kind=OuterRef("kind"), issued_on__lte=today
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    return queryset.filter(
        expires_on__gte=today, expires_on__lte=today + timedelta(days=within_days)
    ).filter(~Exists(renewed))


def trainings_for(*, agency: Agency) -> QuerySet[Training]:
    return (
        Training.objects.filter(agency=agency).select_related("staff").order_by("-held_on", "-id")
    )


def time_off_for(*, agency: Agency) -> QuerySet[TimeOff]:
    return (
        TimeOff.objects.filter(agency=agency)
        .select_related("staff", "staff__home_branch", "decided_by")
        .order_by("-period", "-id")
    )


def time_off_pending(*, agency: Agency) -> QuerySet[TimeOff]:
    """Requests waiting for a supervisor or manager, the earliest absence first."""
    return time_off_for(agency=agency).filter(status=TimeOffStatus.REQUESTED).order_by("period")


def skill_codes_for(*, agency: Agency) -> list[str]:
    """Skill codes the agency's staff have, for the skill filter and the skills form."""
    return list(
        StaffSkill.objects.filter(agency=agency)
        .order_by("code")
        .values_list("code", flat=True)
        .distinct()
    )
