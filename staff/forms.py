"""Forms of the staff pages. They parse input; the rules are `staff.services`'.

Choices of related objects (branches, logins) come from the active agency only.
"""

import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from agency.bounds import PLAUSIBLE_DATE
from agency.models import Agency, Branch, Role, User
from agency.widgets import DateInput, TimeInput
from staff.models import Certificate, StaffMember, Training
from staff.services.working_hours import WorkingBlock
from staff.skills import LEVELS, skill_choices

LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")
SCAN_TYPES = "application/pdf,image/jpeg,image/png"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ListField(forms.CharField):
    """A short list typed on one line: "普通话、粤语" or "朝阳区, 海淀区"."""

    def prepare_value(self, value: Any) -> Any:
        return "、".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]


class StaffForm(forms.ModelForm):
    """A staff member's record (服务人员资料), with the photo shown to customers."""

    languages = ListField(
        label=_("languages and dialects"),
        required=False,
        help_text=_("Separate with commas, e.g. Mandarin, Cantonese."),
    )
    districts = ListField(
        label=_("service areas"),
        required=False,
        help_text=_("Districts this person works in, e.g. Pudong, Xuhui."),
    )

    class Meta:
        model = StaffMember
        fields = [
            "name",
            "photo",
            "gender",
            "birth_year",
            "home_branch",
            "phone",
            "languages",
            "districts",
            "years_experience",
            "accepts_live_in",
            "status",
            "started_on",
            "left_on",
            "user",
            "emergency_contact",
            "notes",
            "notify_by_sms",
            "notify_in_app",
        ]
        widgets = {
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "started_on": DateInput,
            "left_on": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "phone": _("Never shown to customers."),
            "photo": _("JPEG, PNG or WebP, at most 5 MB. Customers see it on the staff card."),
            "user": _("Optional: the field staff login that sees this person's jobs."),
            "notify_in_app": _("Needs a login: the notice appears in the app's notices."),
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current_branch = self.instance.home_branch_id
        self.fields["home_branch"].queryset = Branch.objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(pk=current_branch), agency=agency
        )
        self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__agency=agency,
            memberships__role=Role.STAFF,
            memberships__is_active=True,
        ).order_by("username")

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values for the service; the photo only when it was changed."""
        data = dict(self.cleaned_data)
        if "photo" not in self.changed_data:
            data.pop("photo", None)
        return data

    def _post_clean(self) -> None:
        # `staff_create`/`staff_update` validate the whole record within the agency.
        pass


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["kind", "number", "issued_on", "expires_on", "scan"]
        widgets = {
            "issued_on": DateInput,
            "expires_on": DateInput,
            "scan": forms.ClearableFileInput(
                attrs={"accept": "application/pdf,image/jpeg,image/png"}
            ),
        }
        help_texts = {
            "expires_on": _("Leave empty if it does not expire."),
            "scan": _("PDF, JPEG or PNG, at most 5 MB."),
        }

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if "scan" not in self.changed_data:
            data.pop("scan", None)
        return data

    def _post_clean(self) -> None:
        # `certificate_add`/`certificate_update` check the dates and the scan.
        pass


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["kind", "course", "held_on", "hours", "score", "result"]
        widgets = {"held_on": DateInput}
        help_texts = {"score": _("Out of 100, for an assessment.")}

    def _post_clean(self) -> None:
        pass


class TimeOffForm(forms.Form):
    starts = forms.DateTimeField(label=_("from"), widget=DateTimeInput, validators=PLAUSIBLE_DATE)
    ends = forms.DateTimeField(label=_("until"), widget=DateTimeInput, validators=PLAUSIBLE_DATE)
    reason = forms.CharField(label=_("reason"), max_length=255)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class SkillsForm(forms.Form):
    """One level select per skill (empty: does not have it), plus one other skill by code."""

    other_code = forms.SlugField(label=_("other skill (code)"), max_length=50, required=False)
    other_level = forms.TypedChoiceField(
        label=_("level of the other skill"),
        choices=[("", "—"), *LEVELS],
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, codes: list[str], current: dict[str, int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.codes = []
        for code, label in skill_choices([*codes, *current]):
            name = f"skill_{code}"
            self.codes.append((name, code))
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=[("", "—"), *LEVELS],
                coerce=int,
                required=False,
                empty_value=None,
                initial=current.get(code),
            )
        # The two "other" fields last.
        self.order_fields([name for name, _code in self.codes])

    @property
    def level_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _code in self.codes]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("other_code") and not data.get("other_level"):
            self.add_error("other_level", _("Choose the level of the other skill."))
        return data

    def skills(self) -> dict[str, int]:
        chosen = {
            code: self.cleaned_data[name]
            for name, code in self.codes
            if self.cleaned_data.get(name) is not None
        }
        if self.cleaned_data.get("other_code"):
            chosen[self.cleaned_data["other_code"]] = self.cleaned_data["other_level"]
        return chosen


class WorkingBlockForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("weekday"), choices=sorted(WEEKDAYS.items()), coerce=int
    )
    starts = forms.TimeField(label=_("from"), required=False, widget=TimeInput)
    ends = forms.TimeField(label=_("until"), required=False, widget=TimeInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts and not ends and "ends" not in self.errors:
            self.add_error("ends", _("Enter both times, or neither to leave the row out."))
        if ends and not starts and "starts" not in self.errors:
            self.add_error("starts", _("Enter both times, or neither to leave the row out."))
        return data

    def block(self) -> WorkingBlock | None:
        data = self.cleaned_data
        if not data.get("starts") or not data.get("ends"):
            return None
        return WorkingBlock(weekday=data["weekday"], starts=data["starts"], ends=data["ends"])


class BaseWorkingPatternFormSet(forms.BaseFormSet):
    def blocks(self) -> list[WorkingBlock]:
        return [block for form in self.forms if (block := form.block()) is not None]


WorkingPatternFormSet = forms.formset_factory(
    WorkingBlockForm, formset=BaseWorkingPatternFormSet, extra=0, max_num=42, validate_max=True
)
