"""The risk register's form: a manager writes a plan (text and/or a PDF)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.models import Agency, Membership, User
from complaints.models import RiskKind


class RiskDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("risk"), choices=RiskKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    plan_text = forms.CharField(label=_("plan"), widget=forms.Textarea, required=False)
    file = forms.FileField(label=_("plan (PDF)"), required=False)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())
    review_by = forms.DateField(
        label=_("review by"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = cast(forms.ModelChoiceField, self.fields["owner"])
        owner.queryset = User.objects.filter(
            pk__in=Membership.objects.filter(agency=agency, is_active=True).values("user")
        ).order_by("username")
