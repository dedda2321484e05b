"""Forms of the attendance pages: parse input only; the services decide."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.widgets import DateInput
from attendance.models import Weekday


class AttendancePolicyForm(forms.Form):
    starts_at = forms.TimeField(
        label=_("office opens"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends_at = forms.TimeField(
        label=_("office closes"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    grace_minutes = forms.IntegerField(
        label=_("late after the opening by more than (minutes)"), min_value=0, max_value=60
    )
    working_weekdays = forms.TypedMultipleChoiceField(
        label=_("working days"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    late_deduction = forms.DecimalField(
        label=_("deduction per late day"), min_value=Decimal(0), max_digits=10, decimal_places=2
    )
    absence_deduction = forms.DecimalField(
        label=_("deduction per absent day"), min_value=Decimal(0), max_digits=10, decimal_places=2
    )


class OfficeDayOffForm(forms.Form):
    day = forms.DateField(label=_("day"), widget=DateInput())
    name = forms.CharField(label=_("name"), max_length=80)


class OfficeDayOffRemoveForm(forms.Form):
    day = forms.DateField()


class AttendanceCorrectionForm(forms.Form):
    day = forms.DateField(label=_("day"), widget=DateInput())
    clocked_in = forms.TimeField(
        label=_("clocked in"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    clocked_out = forms.TimeField(
        label=_("clocked out"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    reason = forms.CharField(label=_("reason"), max_length=300)
