"""The payroll pages' forms: open a month's period, the pay policy, a pay rate. Each only
parses; the services in `payroll.statements` and `payroll.rules` decide."""

from typing import Any

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from agency.models import Agency
from orders.models import ServiceType
from payroll.models import PayPolicy, PayRate
from payroll.rules import RATE_FIELDS, policy_fields
from staff.models import Level, StaffMember


class PeriodOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("Month"), choices=sorted(MONTHS.items()), coerce=int, empty_value=None
    )


def policy_form_class() -> type[forms.ModelForm]:
    """The policy's form with every field the model has when the page is built."""
    return forms.modelform_factory(PayPolicy, fields=policy_fields())


class PayRateForm(forms.ModelForm):
    """A rate's choices are the agency's own services, levels and staff members."""

    class Meta:
        model = PayRate
        fields = list(RATE_FIELDS)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["service_type"].queryset = ServiceType.objects.filter(agency=agency)
        fields["level"].queryset = Level.objects.filter(agency=agency)
        fields["staff"].queryset = StaffMember.objects.filter(agency=agency).order_by("name", "pk")
        fields["level"].empty_label = _("Any level")
        fields["staff"].empty_label = _("Everyone (no override)")

    def _post_clean(self) -> None:
        # The service checks the rate (its constraints with messages of its own); a
        # ModelForm would build and check the instance here.
        pass
