"""The signature form: the drawn signature (the canvas's PNG data URL, written by
static/hearth/contract_sign.js) and the hash of the PDF the page was rendered with."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agency.uploads import MAX_UPLOAD_BYTES
from placements.signing import png_from_data_url


class ContractSignForm(forms.Form):
    # A data URL is a third longer than the PNG it carries.
    image = forms.CharField(
        widget=forms.HiddenInput,
        max_length=MAX_UPLOAD_BYTES * 4 // 3,
        error_messages={"required": _("Draw your signature in the box.")},
    )
    document_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_image(self) -> bytes:
        try:
            return png_from_data_url(self.cleaned_data["image"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["image"]) from error
