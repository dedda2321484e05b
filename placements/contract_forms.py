"""Forms of the contract pages: a template's new version, and sending the contract."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.models import Agency
from orders.models import ServiceType
from placements.contract_selectors import placement_services
from placements.models import ContractLanguage
from placements.models.contracts import BODY_MAX_LENGTH


class ContractTemplateForm(forms.Form):
    service_type: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("service"), queryset=ServiceType.objects.none()
    )
    language = forms.ChoiceField(label=_("language"), choices=ContractLanguage.choices)
    body = forms.CharField(
        label=_("contract text"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 24}),
    )

    def __init__(self, *args: object, agency: Agency, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["service_type"].queryset = placement_services(agency=agency)  # type: ignore[attr-defined]


class ContractPrepareForm(forms.Form):
    language = forms.ChoiceField(
        label=_("contract language"), choices=ContractLanguage.choices, initial="zh-hans"
    )
