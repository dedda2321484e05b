"""The termination form on the placement page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.widgets import DateInput
from placements.billing import REASON_MAX_LENGTH


class TerminateForm(forms.Form):
    reason = forms.CharField(label=_("Why it ends early"), max_length=REASON_MAX_LENGTH)
    last_day = forms.DateField(label=_("Last day served"), widget=DateInput())
    deductions = forms.DecimalField(
        label=_("Deducted from the deposit"), max_digits=12, decimal_places=2, initial=0
    )
    deduction_reason = forms.CharField(
        label=_("What the deductions are for"), max_length=REASON_MAX_LENGTH, required=False
    )
