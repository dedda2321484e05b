"""Filters of the complaint log page, its CSV and the complaints API (the same rules)."""

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from agency.filters import DayFilter
from agency.models import Branch
from complaints.models import Category, Complaint, Severity, Status, Tier
from staff.models import StaffMember


class ComplaintFilter(django_filters.FilterSet):
    """Choices of branches and staff come from the request's agency only."""

    received_after = DayFilter(
        label=_("received from"), field_name="received_at", lookup_expr="date__gte"
    )
    received_before = DayFilter(
        label=_("received until"), field_name="received_at", lookup_expr="date__lte"
    )
    branch = django_filters.ModelChoiceFilter(label=_("branch"), queryset=Branch.objects.none())
    tier = django_filters.ChoiceFilter(label=_("tier"), choices=Tier.choices)
    category = django_filters.ChoiceFilter(label=_("category"), choices=Category.choices)
    severity = django_filters.ChoiceFilter(label=_("severity"), choices=Severity.choices)
    staff = django_filters.ModelChoiceFilter(
        label=_("staff concerned"), queryset=StaffMember.objects.none()
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=Status.choices)

    class Meta:
        model = Complaint
        fields = [
            "received_after",
            "received_before",
            "branch",
            "tier",
            "category",
            "severity",
            "staff",
            "status",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.request.agency
        self.filters["branch"].queryset = Branch.objects.filter(agency=agency)
        self.filters["staff"].queryset = StaffMember.objects.filter(agency=agency)
