"""Forms of the performance pages: a level's criteria, the induction course, proposals and
decisions, a first level. Thin: the services in `performance.levels` and
`performance.promotions` validate again and decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.models import Agency, Branch
from staff.models import Level


class LevelForm(forms.ModelForm):
    class Meta:
        model = Level
        fields = [
            "name",
            "rank",
            "min_rating",
            "min_jobs",
            "min_months",
            "min_trainings",
            "max_upheld_complaints",
            "matching_bonus",
            "is_active",
        ]
        help_texts = {
            "rank": _("1 is the entry level; a promotion goes to the next rank in use."),
            "min_rating": _("Average customer rating over the last 12 months; empty: any."),
            "max_upheld_complaints": _("Empty: no limit."),
            "matching_bonus": _("Points added to the matching score of staff at this level."),
            "is_active": _("Untick to retire the level: nobody is promoted to it any more."),
        }

    def _post_clean(self) -> None:
        # The service checks and saves (unique rank and name within the agency).
        pass


class InductionForm(forms.Form):
    induction_course = forms.CharField(
        label=_("Induction course"),
        max_length=200,
        required=False,
        help_text=_(
            "Staff without a training of this course are not proposed for any job. "
            "Empty: no such rule."
        ),
    )


class ProposeForm(forms.Form):
    note = forms.CharField(
        label=_("Why"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FirstLevelForm(forms.Form):
    level = forms.ModelChoiceField(label=_("Level"), queryset=Level.objects.none())

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = Level.objects.filter(  # type: ignore[attr-defined]
            agency=agency, is_active=True
        ).order_by("rank")


class BranchFilterForm(forms.Form):
    branch = forms.ModelChoiceField(
        label=_("Branch"), queryset=Branch.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.filter(  # type: ignore[attr-defined]
            agency=agency
        ).order_by("name")
