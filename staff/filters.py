"""Filters of the staff pages and the staff API (the same rules for both).

Choices of branches and staff come from the request's agency only.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agency.filters import YearFilter
from agency.models import Branch
from staff import selectors
from staff.models import (
    Certificate,
    CertificateKind,
    EmploymentStatus,
    StaffMember,
    TimeOff,
    TimeOffStatus,
    Training,
    TrainingKind,
)


class StaffFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or phone"), method="search")
    branch = django_filters.ModelChoiceFilter(
        label=_("branch"), field_name="home_branch", queryset=Branch.objects.none()
    )
    status = django_filters.ChoiceFilter(
        label=_("employment status"), choices=EmploymentStatus.choices
    )
    skill = django_filters.CharFilter(
        label=_("skill"), field_name="skills__code", help_text="A skill code, e.g. cleaning."
    )
    district = django_filters.CharFilter(label=_("service area"), method="area")
    accepts_live_in = django_filters.BooleanFilter(label=_("accepts live-in placements"))

    class Meta:
        model = StaffMember
        fields = ["q", "branch", "status", "skill", "district", "accepts_live_in"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.request.agency
        self.filters["branch"].queryset = Branch.objects.filter(agency=agency)

    def search(self, queryset: QuerySet[StaffMember], name: str, value: str) -> QuerySet[Any]:
        return selectors.staff_search(queryset, value)

    def area(self, queryset: QuerySet[StaffMember], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(districts__contains=[value.strip()]) if value.strip() else queryset


class CertificateFilter(django_filters.FilterSet):
    staff = django_filters.ModelChoiceFilter(
        label=_("staff member"), queryset=StaffMember.objects.none()
    )
    kind = django_filters.ChoiceFilter(label=_("type"), choices=CertificateKind.choices)
    expiring_within_days = django_filters.NumberFilter(
        label=_("expiring within (days)"),
        method="expiring",
        min_value=0,
        max_value=3660,
        help_text="Valid today and expiring within this many days, not yet renewed.",
    )

    class Meta:
        model = Certificate
        fields = ["staff", "kind", "expiring_within_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["staff"].queryset = StaffMember.objects.filter(agency=self.request.agency)

    def expiring(self, queryset: QuerySet[Certificate], name: str, value: Any) -> QuerySet[Any]:
        agency = self.request.agency
        return selectors.expiring_filter(queryset, today=agency.today(), within_days=int(value))


class TrainingFilter(django_filters.FilterSet):
    staff = django_filters.ModelChoiceFilter(
        label=_("staff member"), queryset=StaffMember.objects.none()
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=TrainingKind.choices)
    year = YearFilter(label=_("year"), field_name="held_on", lookup_expr="year")

    class Meta:
        model = Training
        fields = ["staff", "kind", "year"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["staff"].queryset = StaffMember.objects.filter(agency=self.request.agency)


class TimeOffFilter(django_filters.FilterSet):
    staff = django_filters.ModelChoiceFilter(
        label=_("staff member"), queryset=StaffMember.objects.none()
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=TimeOffStatus.choices)

    class Meta:
        model = TimeOff
        fields = ["staff", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["staff"].queryset = StaffMember.objects.filter(agency=self.request.agency)
