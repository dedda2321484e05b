from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.payments.models import ProviderAccount


class SecretTextarea(forms.Textarea):
    """Never renders a value: a secret is typed in, never shown back (not even after an
    error on another field)."""

    def format_value(self, value: Any) -> None:
        return None


class ProviderAccountForm(forms.ModelForm):
    private_key = forms.CharField(
        label=_("Merchant private key (PEM)"),
        required=False,
        widget=SecretTextarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text=_("Stored encrypted and never shown again. Leave empty to keep the stored key."),
    )
    api_key = forms.CharField(
        label=_("APIv3 key"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("WeChat Pay only. Leave empty to keep the stored key."),
    )

    class Meta:
        model = ProviderAccount
        fields = [
            "merchant_id",
            "app_id",
            "cert_serial_no",
            "public_key_id",
            "provider_public_key",
            "is_active",
        ]
        widgets = {"provider_public_key": forms.Textarea(attrs={"rows": 4})}
