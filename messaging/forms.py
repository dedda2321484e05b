from django import forms
from django.utils.translation import gettext_lazy as _

from messaging.models import MessageTemplate
from messaging.rendering import SUBJECT_MAX_CHARS


class TemplateForm(forms.Form):
    """An agency's words for one rule and language; the service checks the template."""

    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX_CHARS,
        help_text=_("Heads an email and an in-app notice; an SMS carries the text only."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=MessageTemplate._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class PreviewForm(TemplateForm):
    """The words being typed, and the order to show them on ("" for the latest)."""

    order = forms.CharField(label=_("Order number"), max_length=20, required=False)
