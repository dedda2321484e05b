"""Forms of the placement pages: the list's filter and the terms."""

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from agency.widgets import DateInput
from placements.models import Placement
from placements.selectors import placements_in_state
from placements.terms import TERM_FIELDS

STATE_CHOICES = [
    ("starting", _("Starting")),
    ("in_trial", _("In trial")),
    ("active", _("In placement")),
    ("ending_soon", _("Ending soon")),
]


class PlacementFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("show"), choices=STATE_CHOICES, method="in_state")

    class Meta:
        model = Placement
        fields = ["state"]

    def in_state(self, queryset: Any, name: str, value: str) -> Any:
        return placements_in_state(queryset, value, today=self.request.agency.today())


class TermsForm(forms.ModelForm):
    """The terms, edited while they are agreed: every field may stay empty until the
    contract goes out (then the page names what is missing)."""

    class Meta:
        model = Placement
        fields = list(TERM_FIELDS)
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "renewal_terms": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day is before the first."))
        return data
