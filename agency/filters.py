from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from agency.bounds import EARLIEST_DATE, LATEST_YEAR, PLAUSIBLE_DATE
from agency.models import AuditLog, User


class DayFilter(django_filters.DateFilter):
    """A date filter that refuses far-off dates with a message (agency.bounds), instead of
    letting them overflow where a selector turns the day into a time range."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("validators", PLAUSIBLE_DATE)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A whole year within agency.bounds: `year=-1` or `year=2026.5` cannot become a date."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", EARLIEST_DATE.year)
        kwargs.setdefault("max_value", LATEST_YEAR)
        super().__init__(*args, **kwargs)


class AuditLogFilter(django_filters.FilterSet):
    """Filters of the audit log; the actor choices are the agency's own people."""

    actor = django_filters.ModelChoiceFilter(label=_("who"), queryset=User.objects.none())
    action = django_filters.CharFilter(label=_("action"), lookup_expr="startswith")
    object_type = django_filters.CharFilter(label=_("object type"))
    object_id = django_filters.CharFilter(label=_("object id"))
    since = DayFilter(label=_("from"), field_name="created_at", lookup_expr="date__gte")
    until = DayFilter(label=_("to"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = AuditLog
        fields = ["actor", "action", "object_type", "object_id", "since", "until"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built by FilterView and DjangoFilterBackend with the request, whose
        # active agency limits the choices.
        self.filters["actor"].queryset = User.objects.filter(
            memberships__agency=self.request.agency
        ).order_by("username")
