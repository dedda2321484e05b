"""The amendment page's form: the terms as they would be, why, and (for a replacement)
who takes over; a renewal is the same form with a later last day."""

import copy
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.idempotency import submission_key_field
from placements.forms import TermsForm
from placements.models import Placement
from placements.selectors import live_in_staff


class AmendForm(TermsForm):
    reason = forms.CharField(
        label=_("Why the contract changes"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the contract is amended.")},
    )
    staff = forms.ModelChoiceField(
        label=_("Replace the staff member with"),
        queryset=live_in_staff(agency_id=0),
        required=False,
        help_text=_("Leave empty to keep the staff member."),
    )
    submission_key = submission_key_field()

    def __init__(self, *args: Any, placement: Placement, **kwargs: Any) -> None:
        # A copy: the form sets the proposed terms on its instance, the page keeps the real ones.
        super().__init__(*args, **{**kwargs, "instance": copy.copy(placement)})
        self.fields["staff"].queryset = live_in_staff(agency_id=placement.agency_id)  # type: ignore[attr-defined]
        for name in ("price", "wage", "service_fee", "deposit"):
            self.fields[name].required = True
