"""Forms of an acceptance stage (验收): pass, or fail with the items that failed.

Shared by the office's sign-off, the customer's signed link and the customer
on the staff member's device, so every stage asks the same way.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orders.models import ChangeRequest, Order
from orders.services.acceptance import Failure

PASS = "pass"  # noqa: S105 - a verdict, not a password
FAIL = "fail"
SCORES = [(n, str(n)) for n in range(1, 6)]


class VerdictForm(forms.Form):
    """Pass or fail; a failure names items from the needs form's checklist or in its own words."""

    verdict = forms.ChoiceField(
        label=_("result"),
        choices=[
            (PASS, pgettext_lazy("acceptance", "Passed")),
            (FAIL, pgettext_lazy("acceptance", "Failed")),
        ],
        widget=forms.RadioSelect,
    )
    failed_checklist = forms.MultipleChoiceField(
        label=_("failed tasks"), required=False, widget=forms.CheckboxSelectMultiple
    )
    failed_other = forms.CharField(
        label=_("other failed items (one per line)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tasks = order.needs_form.checklist
        self.fields["failed_checklist"].choices = [(task, task) for task in tasks]  # type: ignore[attr-defined]

    @property
    def passed(self) -> bool:
        return self.cleaned_data["verdict"] == PASS

    def failed_descriptions(self) -> list[str]:
        other = [line.strip() for line in self.cleaned_data["failed_other"].splitlines()]
        return [*self.cleaned_data["failed_checklist"], *filter(None, other)]

    def failures(self, responsible: Any = None) -> list[Failure]:
        return [Failure(text, responsible=responsible) for text in self.failed_descriptions()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if data["verdict"] == FAIL and not self.failed_descriptions():
            self.add_error("failed_other", _("Name at least one item that failed."))
        if data["verdict"] == PASS and self.failed_descriptions():
            self.add_error("verdict", _("A passed stage has no failed items."))
        return data


class CustomerVerdictForm(VerdictForm):
    """The customer's stage: the verdict, a satisfaction score and their typed name."""

    score = forms.TypedChoiceField(
        label=_("how satisfied are you? (1–5)"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    signed_name = forms.CharField(label=_("your full name"), max_length=100)


class ChangeForm(forms.Form):
    """One of the order's change requests (sent to the customer, or withdrawn with a reason)."""

    change = forms.ModelChoiceField(queryset=ChangeRequest.objects.none())
    reason = forms.CharField(label=_("reason"), max_length=500, required=False)

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["change"].queryset = ChangeRequest.objects.filter(  # type: ignore[attr-defined]
            agency_id=order.agency_id, order=order
        )
