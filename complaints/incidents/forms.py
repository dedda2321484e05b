"""Forms of the incident pages: the phone report, the office's record, and each action."""

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from agency.idempotency import submission_key_field
from agency.models import Agency, Branch, Membership, User
from agency.permissions import ACCESS, Area
from agency.widgets import DateInput
from complaints.models import FIELD_KINDS, Incident, IncidentKind, IncidentStatus
from orders.models import Order
from orders.selectors import order_by_number


class IncidentReportForm(forms.Form):
    """Two taps: the kind (a big button each), then send; a note and a photo if wanted."""

    kind = forms.ChoiceField(
        label=_("What happened?"),
        choices=[(kind.value, kind.label) for kind in FIELD_KINDS],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(label=_("photo"), required=False)
    submission_key = submission_key_field()


class IncidentRecordForm(forms.Form):
    """The office records an incident it heard of (a data-protection one among them),
    against one of the agency's orders if it concerns a job."""

    kind = forms.ChoiceField(label=_("kind"), choices=IncidentKind.choices)
    order = forms.CharField(
        label=_("order number"),
        max_length=30,
        required=False,
        help_text=_("The job it happened on, if any: its branch and staff member are taken."),
    )
    branch = forms.ModelChoiceField(
        label=_("branch"),
        queryset=Branch.objects.none(),
        required=False,
        help_text=_("Empty with an order number: the order's branch."),
    )
    note = forms.CharField(
        label=_("what happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    submission_key = submission_key_field()

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["branch"].queryset = Branch.objects.filter(agency=agency, is_active=True)  # type: ignore[attr-defined]

    def clean_order(self) -> Order | None:
        number = self.cleaned_data["order"].strip()
        if not number:
            return None
        order = order_by_number(agency=self.agency, number=number)
        if order is None:
            raise forms.ValidationError(_("No order of this agency has this number."))
        return order

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("branch") and not data.get("order") and "order" not in self.errors:
            self.add_error("branch", _("Choose the branch, or give the order number."))
        return data


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(
            agency=agency, role__in=ACCESS[Area.INCIDENTS], is_active=True
        )
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=members.values("user_id")
        ).order_by("username")


class DamageForm(forms.Form):
    item = forms.CharField(label=_("damaged item"), max_length=200)
    description = forms.CharField(
        label=_("damage"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    estimated_amount = forms.DecimalField(
        label=_("estimated amount"), max_digits=10, decimal_places=2, min_value=0
    )


class ActionForm(forms.Form):
    text = forms.CharField(label=_("action"), max_length=300)
    due_on = forms.DateField(label=_("due"), widget=DateInput())


class ActionDoneForm(forms.Form):
    action = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("outcome"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ValuablesForm(forms.Form):
    customer_confirmed = forms.BooleanField(
        label=_("The customer confirms here: the valuables are in place"),
        required=False,
        help_text=_("If the customer is not at hand, leave it: they are sent a link."),
    )
    note = forms.CharField(label=_("note"), required=False, max_length=300)


class IncidentFilter(django_filters.FilterSet):
    """The list's filters (pages and API alike); branches of the request's agency only."""

    kind = django_filters.ChoiceFilter(label=_("kind"), choices=IncidentKind.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=IncidentStatus.choices)
    branch = django_filters.ModelChoiceFilter(label=_("branch"), queryset=Branch.objects.none())

    class Meta:
        model = Incident
        fields = ["kind", "status", "branch"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["branch"].queryset = Branch.objects.filter(agency=self.request.agency)
