"""The placement settings page's forms: the policy, and the checklist as ordered rows."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from placements.settings import DAY_BOUNDS, FEE_MAX, ITEM_MAX_LENGTH, ITEMS_MAX

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def _days(label: "StrPromise", name: str) -> forms.IntegerField:
    low, high = DAY_BOUNDS[name]
    return forms.IntegerField(label=label, min_value=low, max_value=high)


class PlacementPolicyForm(forms.Form):
    replacement_fee = forms.DecimalField(
        label=_("fee for a replacement beyond the free ones"),
        min_value=0,
        max_value=FEE_MAX,
        max_digits=10,
        decimal_places=2,
    )
    renewal_notice_days = _days(
        _("renewal reminder (days before the last day)"), "renewal_notice_days"
    )
    first_check_in_days = _days(
        _("first check-in call (days after the start)"), "first_check_in_days"
    )
    check_in_every_days = _days(_("then a check-in every (days)"), "check_in_every_days")


class BriefingItemForm(forms.Form):
    """One row: an existing item (its id hidden) or, left blank, room for a new one."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(label=_("item"), max_length=ITEM_MAX_LENGTH, required=False)


BriefingItemFormSet = forms.formset_factory(
    BriefingItemForm,
    extra=3,
    can_order=True,
    can_delete=True,
    max_num=ITEMS_MAX,
    validate_max=True,
)
