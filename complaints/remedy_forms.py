"""Forms of the remedies on the complaint page and finance's compensation list.

Field names follow the services' keyword arguments, so a service's ValidationError lands
next to its field; related choices come from the active agency.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.bounds import PLAUSIBLE_DATE, TEXT_MAX_LENGTH
from agency.idempotency import submission_key_field
from agency.models import Agency, Membership, User
from agency.permissions import ACCESS, Area
from complaints.forms import TEXT, AttachmentsField
from complaints.models import Payer, SolutionKind
from orders.intake.forms import DateInput
from orders.models import PaymentMethod
from staff.models import StaffMember


def _amount(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )


class SolutionOfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("solution"), choices=SolutionKind.choices)
    description = forms.CharField(
        label=_("what is offered"), widget=TEXT, max_length=TEXT_MAX_LENGTH
    )
    amount = _amount(_("amount (a refund or compensation)"), required=False)
    redo_on = forms.DateField(
        label=_("redo on"),
        required=False,
        widget=DateInput,
        validators=PLAUSIBLE_DATE,
        help_text=_("A redo's day: agreed, it is booked as an order."),
    )
    submission_key = submission_key_field()


class CompensationProposeForm(forms.Form):
    item = forms.CharField(label=_("damaged item"), max_length=200)
    amount = _amount(_("agreed amount"))
    payer = forms.ChoiceField(label=_("who pays"), choices=Payer.choices)
    staff = forms.ModelChoiceField(
        label=_("staff member who pays"),
        queryset=StaffMember.objects.none(),
        required=False,
        help_text=_("Empty: the staff member the complaint concerns."),
    )
    claim_reference = forms.CharField(
        label=_("insurer's claim reference"), max_length=100, required=False
    )
    submission_key = submission_key_field()

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = StaffMember.objects.filter(agency=agency).order_by("name")  # type: ignore[attr-defined]


class CompensationDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("why refused"), max_length=300, required=False)


class RemedyPolicyForm(forms.Form):
    """The compensation approval limit, on the complaint policy page (a manager's)."""

    approval_limit = forms.DecimalField(
        label=_("compensation a supervisor may approve, at most"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
        help_text=_("Above this amount only a manager approves a compensation."),
    )


class CompensationPayForm(forms.Form):
    method = forms.ChoiceField(
        label=_("paid by"),
        choices=[c for c in PaymentMethod.choices if c[0] != PaymentMethod.PREPAID],
    )
    reference = forms.CharField(label=_("payment reference"), max_length=100, required=False)


class ChargeForm(forms.Form):
    amount = _amount(_("amount the customer agreed to pay"))
    reason = forms.CharField(label=_("reason"), max_length=300)
    submission_key = submission_key_field()


class InspectionScheduleForm(forms.Form):
    scheduled_for = forms.DateField(
        label=_("visit on"), widget=DateInput, validators=PLAUSIBLE_DATE
    )
    inspector = forms.ModelChoiceField(label=_("inspector"), queryset=User.objects.none())
    submission_key = submission_key_field()

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office = Membership.objects.filter(
            agency=agency, is_active=True, role__in=ACCESS[Area.COMPLAINTS]
        ).values("user")
        self.fields["inspector"].queryset = User.objects.filter(pk__in=office).order_by(  # type: ignore[attr-defined]
            "username"
        )


class InspectionRecordForm(forms.Form):
    findings = forms.CharField(label=_("findings"), widget=TEXT, max_length=TEXT_MAX_LENGTH)
    photos = AttachmentsField(
        label=_("photos"),
        required=False,
        help_text=_("Photos or documents: PDF, JPEG or PNG, at most 5 MB each."),
    )
