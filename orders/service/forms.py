"""Forms of an acceptance stage (验收): pass, or fail with the items that failed.

Shared by the office's sign-off, the customer's signed link and the customer
on the staff member's device, so every stage asks the same way.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agency.models import Agency
from orders.models import (
    Assignment,
    AssignmentRole,
    ChangeRequest,
    FailedItem,
    Order,
    ServiceLogEntry,
    ServiceType,
)
from orders.service.services.acceptance import Failure
from orders.service.services.service_log import Position

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


PASSED = "pass"
FAILED = "fail"
APPROVE = "approve"
DECLINE = "decline"
#: The place a phone reports is stored to six decimals (about 10 cm); more is noise.
SIX_PLACES = Decimal("0.000001")


class FieldForm(forms.Form):
    """A form of the job page, which carries several: its ids are its own, so labels find
    their input (Django would give every form's "text" the id "id_text")."""

    id_prefix: ClassVar[str] = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ChecklistLineForm(forms.Form):
    """One line of a checklist ticked (preparation or task); the service checks the line."""

    item = forms.CharField(max_length=200)
    text = forms.CharField(label=_("note"), max_length=2000, required=False)


class PositionForm(forms.Form):
    """Check-in and check-out: the device's position, when it offered one (field.js)."""

    latitude = forms.DecimalField(required=False, min_value=-90, max_value=90)
    longitude = forms.DecimalField(required=False, min_value=-180, max_value=180)
    accuracy = forms.DecimalField(required=False, min_value=0, max_value=1_000_000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise ValidationError(
                _("The position from this device was incomplete; try again."), code="position"
            )
        return data

    def position(self) -> Position | None:
        data = self.cleaned_data
        if data.get("latitude") is None:
            return None
        accuracy = data.get("accuracy")
        return Position(
            latitude=data["latitude"].quantize(SIX_PLACES),
            longitude=data["longitude"].quantize(SIX_PLACES),
            accuracy_m=None if accuracy is None else int(accuracy.to_integral_value()),
        )


class NoteForm(FieldForm):
    """A note, a photo, or both. The photo is checked by the log entry's own validators."""

    id_prefix = "note"

    text = forms.CharField(
        label=_("Note"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # A plain file field: whether it is really a photo is the model's rule (agency.uploads).
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class CorrectionForm(forms.Form):
    """A new entry that corrects one of the user's own entries, or withdraws it."""

    entry = forms.ModelChoiceField(
        queryset=ServiceLogEntry.objects.none(), widget=forms.HiddenInput
    )
    text = forms.CharField(
        label=_("What it should say"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    withdraw = forms.BooleanField(label=_("Withdraw this entry"), required=False)

    def __init__(self, *args: Any, entries: QuerySet[ServiceLogEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries  # type: ignore[attr-defined]


class InspectionForm(FieldForm):
    """One line of the on-site lead's inspection: what, all right or not, and a note."""

    id_prefix = "inspect"

    item = forms.CharField(label=_("What was inspected"), max_length=200)
    ok = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("All right")), ("0", _("Not right"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LeadSignoffForm(FieldForm):
    """Stage 1 by the on-site lead: passed, or failed with items and who redoes each.

    Each task of the needs form's checklist is a checkbox with its own
    "responsible" select, and one free-text line covers anything else; the
    select starts on the lead (who is responsible when nobody else is named).
    """

    id_prefix = "sign"
    verdict = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (PASSED, pgettext_lazy("acceptance", "Passed")),
            (FAILED, pgettext_lazy("acceptance", "Failed")),
        ],
        widget=forms.RadioSelect,
    )
    other = forms.CharField(label=_("Another failed item"), max_length=200, required=False)
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, checklist: Sequence[str], team: Sequence[Assignment], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = list(checklist)
        self.team = {a.staff_id: a.staff for a in team}
        lead = next((a.staff_id for a in team if a.role == AssignmentRole.LEAD), None)
        choices = [(a.staff_id, a.staff.name) for a in team]
        for index, task in enumerate(self.checklist):
            self.fields[f"fail_{index}"] = forms.BooleanField(
                label=task, required=False, label_suffix=""
            )
            self.fields[f"responsible_{index}"] = self._responsible(choices, lead, task)
        self.fields["other_responsible"] = self._responsible(choices, lead, _("another item"))
        self.order_fields(["verdict"])

    @staticmethod
    def _responsible(choices: list[tuple[int, str]], lead: int | None, item: Any) -> forms.Field:
        return forms.TypedChoiceField(
            label=_("Who redoes %(item)s") % {"item": item},
            choices=choices,
            coerce=int,
            initial=lead,
            required=False,
        )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """Each checklist task: its checkbox and its responsible select."""
        return [
            (self[f"fail_{index}"], self[f"responsible_{index}"])
            for index in range(len(self.checklist))
        ]

    def failures(self) -> list[Failure]:
        data = self.cleaned_data
        picked = [
            (task, data.get(f"responsible_{index}"))
            for index, task in enumerate(self.checklist)
            if data.get(f"fail_{index}")
        ]
        if data.get("other", "").strip():
            picked.append((data["other"].strip(), data.get("other_responsible")))
        return [
            Failure(task, responsible=self.team.get(who) if who else None) for task, who in picked
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if data["verdict"] == FAILED and not self.failures():
            raise ValidationError(_("Tick or write at least one item that failed."))
        if data["verdict"] == PASSED and self.failures():
            raise ValidationError(
                _("A passed stage has no failed items; untick them or choose failed.")
            )
        return data

    @property
    def passed(self) -> bool:
        return bool(self.cleaned_data["verdict"] == PASSED)


class ChangeRequestForm(FieldForm):
    """A change the customer must approve: what, how much more (or less), priced as what."""

    id_prefix = "change"

    description = forms.CharField(
        label=_("What changes"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=8,
        decimal_places=2,
        initial=0,
        help_text=_(
            "More (or, negative, less) in the service's unit; 0 when only the content changes."
        ),
    )
    service_type = forms.ModelChoiceField(
        label=_("Priced as"),
        queryset=ServiceType.objects.none(),
        required=False,
        empty_label=_("this order's service"),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = ServiceType.objects.filter(  # type: ignore[attr-defined]
            agency=agency, is_active=True
        )


class ChangeAnswerForm(forms.Form):
    """The customer, on the staff's phone: approve a change (typing their name) or decline it."""

    change = forms.ModelChoiceField(queryset=ChangeRequest.objects.none(), widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[(APPROVE, APPROVE), (DECLINE, DECLINE)])
    signed_name = forms.CharField(label=_("Your full name"), max_length=100, required=False)
    reason = forms.CharField(label=_("If you decline: why?"), max_length=500, required=False)

    def __init__(self, *args: Any, changes: QuerySet[ChangeRequest], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["change"].queryset = changes  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == APPROVE and not data.get("signed_name", "").strip():
            self.add_error("signed_name", _("Type your full name to sign."))
        return data


class ReworkForm(forms.Form):
    """A failed item redone, with an optional note."""

    item = forms.ModelChoiceField(queryset=FailedItem.objects.none(), widget=forms.HiddenInput)
    text = forms.CharField(label=_("Note"), max_length=2000, required=False)

    def __init__(self, *args: Any, items: QuerySet[FailedItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]


class JobDeclineForm(FieldForm):
    """Why the staff member cannot take a job (the dispatchers read it)."""

    id_prefix = "decline"

    reason = forms.CharField(label=_("Why can you not take it?"), max_length=200)
