import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from agency.models import Agency, Branch, Membership, Role, User
from agency.services import AGENCY_SETTINGS_FIELDS


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
        fields = list(AGENCY_SETTINGS_FIELDS)
        help_texts = {
            "late_grace_minutes": _(
                "A check-in later than the start and this many minutes is recorded as late, "
                "and the dispatcher is told."
            ),
            "no_show_after_minutes": _(
                "No check-in this many minutes after the start is a no-show: the dispatcher "
                "is told at once."
            ),
            "travel_gap_minutes": _(
                "The schedule warns when one person's consecutive jobs in different districts "
                "are closer together than this."
            ),
        }


class SwitchAgencyForm(forms.Form):
    agency = forms.IntegerField()


class MemberInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("email"),
        help_text=_("The invitation is sent here; the person joins once they accept it."),
    )
    first_name = forms.CharField(label=_("given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("family name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    branch = forms.ModelChoiceField(
        label=_("branch"),
        queryset=Branch.objects.none(),
        required=False,
        help_text=_("Field staff belong to one branch; leave empty for office roles."),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this agency's branches can be chosen (or posted).
        self.fields["branch"].queryset = Branch.objects.filter(agency=agency, is_active=True)  # type: ignore[attr-defined]


class NewAccountForm(BaseUserCreationForm):
    """The invited person's own username and password (Django's checks on both)."""

    class Meta:
        model = User
        fields = ["username"]


class MemberEditForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "branch", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.filter(agency=self.instance.agency)  # type: ignore[attr-defined]
