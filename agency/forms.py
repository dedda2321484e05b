import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.models import Agency, Branch


class BranchForm(forms.ModelForm):
    class Meta:
        model = Branch
        fields = ["name", "code", "address", "phone", "is_active"]


class AgencySettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("time zone"), choices=[(tz, tz) for tz in sorted(zoneinfo.available_timezones())]
    )

    class Meta:
        model = Agency
        fields = ["name", "time_zone", "default_language", "currency"]


class SwitchAgencyForm(forms.Form):
    agency = forms.IntegerField()
