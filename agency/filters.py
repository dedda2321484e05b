from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from agency.models import AuditLog, User


class AuditLogFilter(django_filters.FilterSet):
    """Filters of the audit log; the actor choices are the agency's own people."""

    actor = django_filters.ModelChoiceFilter(label=_("who"), queryset=User.objects.none())
    action = django_filters.CharFilter(label=_("action"), lookup_expr="startswith")
    object_type = django_filters.CharFilter(label=_("object type"))
    object_id = django_filters.CharFilter(label=_("object id"))
    since = django_filters.DateFilter(
        label=_("from"), field_name="created_at", lookup_expr="date__gte"
    )
    until = django_filters.DateFilter(
        label=_("to"), field_name="created_at", lookup_expr="date__lte"
    )

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
