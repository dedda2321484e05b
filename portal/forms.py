from django import forms
from django.utils.translation import gettext_lazy as _

from agency.phones import normalise_phone
from orders.intake.models import phone_validator
from portal.services import CODE_DIGITS


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Your mobile phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["phone"])
        phone_validator(phone)
        return phone


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("The code in the text message"),
        regex=rf"^\s*\d{{{CODE_DIGITS}}}\s*$",
        error_messages={"invalid": _("The code has 6 digits.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}
        ),
    )
