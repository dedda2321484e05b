"""Forms of the rewards and penalties pages (and the API's list filter): the list's filter,
the proposal, the manager's decision, and the correction of a paid statement."""

from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.idempotency import submission_key_field
from agency.models import Agency
from payroll.adjustments import DECISION_NOTE_MAX_LENGTH, MAX_AMOUNT
from payroll.models import AdjustmentKind, AdjustmentReason, AdjustmentStatus, PayAdjustment
from staff.models import StaffMember

#: What a supervisor proposes by hand (a correction is finance's, from a paid statement).
PROPOSED_KINDS = [
    (kind.value, kind.label) for kind in AdjustmentKind if kind != AdjustmentKind.CORRECTION
]
PROPOSED_REASONS = [
    (reason.value, reason.label)
    for reason in AdjustmentReason
    if reason != AdjustmentReason.CORRECTION
]


def _staff_of(agency_id: int) -> Any:
    return StaffMember.objects.filter(agency_id=agency_id).order_by("staff_number", "name")


class AdjustmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=AdjustmentStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=AdjustmentKind.choices)
    staff = django_filters.ModelChoiceFilter(
        label=_("staff member"), queryset=StaffMember.objects.none()
    )

    class Meta:
        model = PayAdjustment
        fields = ["status", "kind", "staff"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.request.agency if self.request is not None else None
        self.filters["staff"].queryset = _staff_of(agency.pk if agency else 0)


class AdjustmentForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=StaffMember.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=PROPOSED_KINDS)
    reason = forms.ChoiceField(label=_("Reason"), choices=PROPOSED_REASONS)
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        help_text=_("Positive: a reward adds it, a penalty or a deduction takes it away."),
    )
    note = forms.CharField(
        label=_("Why (for the manager)"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why.")},
    )
    submission_key = submission_key_field()

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = _staff_of(agency.pk)  # type: ignore[attr-defined]


class CorrectionForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=10,
        decimal_places=2,
        min_value=-MAX_AMOUNT,
        max_value=MAX_AMOUNT,
        help_text=_("Positive: paid in addition; negative: taken back. In the next period."),
    )
    note = forms.CharField(
        label=_("What was wrong"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what was wrong.")},
    )
    submission_key = submission_key_field()


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=DECISION_NOTE_MAX_LENGTH, required=False)
