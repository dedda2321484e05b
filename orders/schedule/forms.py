"""The schedule board's forms: what the board shows, and each action's input, scoped to
the agency (another agency's order, person or assignment is simply not a choice)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.models import Agency, Branch
from agency.widgets import DateInput
from orders.models import HOLDING, Assignment, ServiceType
from orders.schedule.selectors import DAY, WEEK, Filters
from staff.models import StaffMember
from staff.skills import skill_choices


class BoardForm(forms.Form):
    view = forms.ChoiceField(
        label=_("View"), choices=[(DAY, _("Day view")), (WEEK, _("Week view"))], required=False
    )
    day = forms.DateField(label=_("Day"), required=False, widget=DateInput())
    branch = forms.ModelChoiceField(
        label=_("Branch"),
        queryset=Branch.objects.none(),
        required=False,
        empty_label=_("Whole agency"),
    )
    skill = forms.ChoiceField(label=_("Skill"), required=False)
    level = forms.IntegerField(label=_("Level at least"), required=False, min_value=1, max_value=5)
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=ServiceType.objects.none(), required=False
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.filter(agency=agency)  # type: ignore[attr-defined]
        self.fields["service"].queryset = ServiceType.objects.filter(agency=agency)  # type: ignore[attr-defined]
        self.fields["skill"].choices = [("", _("Any skill")), *skill_choices()]  # type: ignore[attr-defined]

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            branch=data.get("branch"),
            skill=data.get("skill") or "",
            level=data.get("level"),
            service=data.get("service"),
        )


class AgencyForm(forms.Form):
    """An action's input: each choice of a model is one of the agency's rows."""

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                model = field.queryset.model  # type: ignore[union-attr]
                field.queryset = model._default_manager.filter(agency=agency)


class ProposeForm(AgencyForm):
    """The person a job was dropped on, or picked from the candidates."""

    staff = forms.ModelChoiceField(
        queryset=StaffMember.objects.none(), error_messages={"required": _("Choose a person.")}
    )


class MoveForm(AgencyForm):
    starts_at = forms.DateTimeField(
        label=_("New start"),
        widget=forms.DateTimeInput({"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class SwapForm(AgencyForm):
    second = forms.ModelChoiceField(
        label=_("Swap with the job of"),
        queryset=Assignment.objects.none(),
        error_messages={"required": _("Choose the job to swap with.")},
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, agency=agency, **kwargs)
        second = self.fields["second"]
        second.queryset = second.queryset.filter(status__in=HOLDING)  # type: ignore[attr-defined]


class ReleaseForm(AgencyForm):
    reason = forms.CharField(label=_("Why"), max_length=255)
