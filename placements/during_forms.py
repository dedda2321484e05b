"""Forms of the placement's follow-up: the briefing, the replacement after the trial,
and the customer's trial answer."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from agency.bounds import TEXT_MAX_LENGTH
from placements.models import Placement, TrialChoice
from placements.selectors import live_in_staff
from staff.models import StaffMember


class BriefingForm(forms.Form):
    ticked = forms.MultipleChoiceField(
        label=gettext_lazy("Items gone through"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff_present = forms.BooleanField(
        label=gettext_lazy("The staff member was present"), required=False
    )

    def __init__(self, *args: Any, items: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ticked"].choices = list(items.items())  # type: ignore[attr-defined]


class TrialReplaceForm(forms.Form):
    staff = forms.ModelChoiceField(
        label=gettext_lazy("replacement"),
        queryset=StaffMember.objects.none(),
        error_messages={"required": gettext_lazy("Choose who takes over.")},
    )

    def __init__(self, *args: Any, placement: Placement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = live_in_staff(agency_id=placement.agency_id)  # type: ignore[attr-defined]


class TrialAnswerForm(forms.Form):
    choice = forms.ChoiceField(
        label=gettext_lazy("Your answer"), choices=TrialChoice.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=gettext_lazy("Why (needed for a replacement)"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
