"""Forms of the complaints pages. Choices of related objects come from the active agency.

Field names follow the services' keyword arguments, so a ValidationError a
service raises about `text` or `resolve_by` lands next to that field.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from agency.bounds import PLAUSIBLE_DATE, TEXT_MAX_LENGTH
from agency.idempotency import submission_key_field
from agency.models import Agency, Branch, User
from complaints.models import (
    SUGGESTED_TIER,
    Attachment,
    Category,
    ComplaintChannel,
    RootCause,
    Severity,
    Tier,
    WarrantyVerdict,
)
from complaints.services.procedure import possible_owners
from orders.intake.forms import WEEKDAYS, DateInput, TimeInput
from orders.intake.selectors import customer_by_phone
from orders.models import Customer, Order
from orders.selectors import order_by_number
from staff.models import StaffMember

#: A textarea for what was said or done: short enough to keep the page dense.
TEXT = forms.Textarea(attrs={"rows": 3})


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker; read in the agency's time zone (the active one)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once, each checked by the attachment model's own validators."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        single = super().clean
        cleaned = [single(upload, initial) for upload in files]
        problems: list[str] = []
        for upload in cleaned:
            try:
                validate_attachment(upload)
            except ValidationError as error:
                problems += [f"{upload.name}: {message}" for message in error.messages]
        if problems:
            raise ValidationError(problems)
        return cleaned


def validate_attachment(upload: UploadedFile) -> None:
    """The validators of `Attachment.file` (size; a PDF, JPEG or PNG whatever its name)."""
    for validator in Attachment._meta.get_field("file").validators:
        validator(upload)


def for_form(
    error: ValidationError, form: forms.BaseForm, rename: dict[str, str]
) -> ValidationError:
    """A service's error, keyed by the form's fields (renamed, else shown above the form)."""
    if not hasattr(error, "error_dict"):
        return error
    keyed: dict[str, list[ValidationError]] = {}
    for name, errors in error.error_dict.items():
        field = rename.get(name, name)
        keyed.setdefault(field if field in form.fields else NON_FIELD_ERRORS, []).extend(errors)
    return ValidationError(keyed)


class ComplaintTakeForm(forms.Form):
    """What the office records when a customer complains (顾客投诉记录)."""

    phone = forms.CharField(
        label=_("customer phone"),
        max_length=30,
        required=False,
        help_text=_("A customer of this agency; or leave it empty and give the order number."),
    )
    order = forms.CharField(
        label=_("order number"),
        max_length=30,
        required=False,
        help_text=_("The order complained about, if any."),
    )
    branch = forms.ModelChoiceField(label=_("branch"), queryset=Branch.objects.none())
    staff = forms.ModelChoiceField(
        label=_("staff concerned"), queryset=StaffMember.objects.none(), required=False
    )
    channel = forms.ChoiceField(
        label=_("channel"),
        choices=ComplaintChannel.choices,
        initial=ComplaintChannel.PHONE,
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(
        label=_("category"), choices=[("", "---------"), *Category.choices]
    )
    tier = forms.ChoiceField(
        label=_("tier"),
        choices=Tier.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Suggested from the category; the office decides."),
    )
    severity = forms.ChoiceField(
        label=_("severity"),
        choices=Severity.choices,
        initial=Severity.NORMAL,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("what happened"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX_LENGTH,
    )
    desired_outcome = forms.CharField(
        label=_("what the customer wants"),
        required=False,
        widget=TEXT,
        max_length=TEXT_MAX_LENGTH,
    )
    attachments = AttachmentsField(
        label=_("attachments"),
        required=False,
        help_text=_("Photos or documents: PDF, JPEG or PNG, at most 5 MB each."),
    )
    received_at = forms.DateTimeField(
        label=_("received at"),
        required=False,
        widget=DateTimeLocalInput,
        validators=PLAUSIBLE_DATE,
        help_text=_("Only if the complaint came in earlier: the deadlines count from then."),
    )
    owner = forms.ModelChoiceField(
        label=_("owner"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Who answers for the complaint; empty: you."),
    )
    reply_by = forms.DateTimeField(
        label=_("reply promised by"),
        required=False,
        widget=DateTimeLocalInput,
        validators=PLAUSIBLE_DATE,
        help_text=_("A soft complaint: the time the customer was promised an answer."),
    )
    submission_key = submission_key_field()

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["owner"].queryset = possible_owners(agency)  # type: ignore[attr-defined]
        self.fields["branch"].queryset = Branch.objects.filter(agency=agency, is_active=True)  # type: ignore[attr-defined]
        self.fields["staff"].queryset = StaffMember.objects.filter(agency=agency).order_by("name")  # type: ignore[attr-defined]
        # The tier offered is the category's suggestion, until the office picks another.
        category = self.data.get("category") if self.is_bound else self.initial.get("category")
        if category in SUGGESTED_TIER and not self.initial.get("tier"):
            self.initial["tier"] = SUGGESTED_TIER[category]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        phone, number = data.get("phone", "").strip(), data.get("order", "").strip()
        customer: Customer | None = None
        order: Order | None = None
        if number:
            order = order_by_number(agency=self.agency, number=number)
            if order is None:
                self.add_error("order", _("No order of this agency has this number."))
        if phone:
            customer = customer_by_phone(agency=self.agency, phone=phone)
            if customer is None:
                self.add_error(
                    "phone",
                    _(
                        "No customer of this agency has this phone. Add the customer on the "
                        "Customers page, or give the order number."
                    ),
                )
        elif order is not None:
            customer = order.customer
        elif not number and "phone" not in self.errors:
            self.add_error("phone", _("Give the customer's phone or the order number."))
        if customer is not None and order is not None and order.customer_id != customer.pk:
            self.add_error("order", _("This order is not the customer's."))
        data["customer"], data["order"] = customer, order
        return data


class TextForm(forms.Form):
    """A response, a note, a verification, a closing or reopening: what was said or done."""

    text = forms.CharField(
        label=_("what was said or done"), widget=TEXT, max_length=TEXT_MAX_LENGTH
    )


def reply_by_field() -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("reply promised by"),
        widget=DateTimeLocalInput,
        validators=PLAUSIBLE_DATE,
        help_text=_("The time the customer was promised the next answer: a deadline."),
    )


class RespondForm(TextForm):
    reply_by = reply_by_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reply_by"].required = False


class PromiseReplyForm(forms.Form):
    reply_by = reply_by_field()


class CloseForm(TextForm):
    root_cause = forms.ChoiceField(
        label=_("root cause"), choices=[("", "---------"), *RootCause.choices]
    )
    root_cause_note = forms.CharField(
        label=_("root cause in words"), widget=TEXT, max_length=TEXT_MAX_LENGTH
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("why"), widget=TEXT, max_length=TEXT_MAX_LENGTH)


class AssignForm(ReasonForm):
    owner = forms.ModelChoiceField(label=_("new owner"), queryset=User.objects.none())

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = possible_owners(agency)  # type: ignore[attr-defined]
        self.order_fields(["owner", "reason"])


class SeverityForm(ReasonForm):
    severity = forms.ChoiceField(label=_("severity"), choices=Severity.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["severity", "reason"])


class WarrantyForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("warranty verdict"), choices=WarrantyVerdict.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("what was found"), widget=TEXT, max_length=TEXT_MAX_LENGTH)


class SecondResponseForm(TextForm):
    resolve_by = forms.DateTimeField(
        label=_("to be resolved by"),
        widget=DateTimeLocalInput,
        validators=PLAUSIBLE_DATE,
        help_text=_("The time promised to the customer; the resolution deadline."),
    )


class ResolveForm(TextForm):
    UPHELD_CHOICES = [
        ("", _("Not decided / no staff concerned")),
        ("yes", _("Yes, upheld against the staff member")),
        ("no", _("No, not the staff member's fault")),
    ]

    upheld = forms.TypedChoiceField(
        label=_("upheld against the staff member"),
        choices=UPHELD_CHOICES,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    do_not_send = forms.BooleanField(
        label=_("do not send this staff member to this customer again"), required=False
    )


class FollowUpForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("customer's satisfaction with the handling"),
        choices=[(score, str(score)) for score in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 very dissatisfied … 5 very satisfied"),
    )
    text = forms.CharField(
        label=_("what the customer said"), widget=TEXT, required=False, max_length=TEXT_MAX_LENGTH
    )


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=_("waiting for"),
        max_length=300,
        help_text=_("For example: the customer sends photos of the damage tomorrow."),
    )


class AttachForm(forms.Form):
    file = forms.FileField(label=_("file"), help_text=_("PDF, JPEG or PNG, at most 5 MB."))

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        validate_attachment(upload)
        return upload


class DeskFilterForm(forms.Form):
    branch = forms.ModelChoiceField(
        label=_("branch"), queryset=Branch.objects.none(), required=False, empty_label=_("all")
    )
    tier = forms.ChoiceField(
        label=_("tier"), choices=[("", _("all")), *Tier.choices], required=False
    )
    owner = forms.ChoiceField(
        label=_("owner"),
        choices=[("", _("all")), ("mine", _("mine")), ("none", _("no owner"))],
        required=False,
    )
    repeat = forms.BooleanField(label=_("repeat problems only"), required=False)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.filter(agency=agency)  # type: ignore[attr-defined]


# --- the SLA policy page (a manager's) -------------------------------------------------


class DurationField(forms.IntegerField):
    """A duration typed as whole minutes (or hours): shown as a number, cleaned to a timedelta."""

    def __init__(self, *, unit: timedelta, **kwargs: Any) -> None:
        self.unit = unit
        super().__init__(min_value=1, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, timedelta):
            return int(value / self.unit)
        return value

    def clean(self, value: Any) -> timedelta | None:
        amount = super().clean(value)
        return None if amount is None else amount * self.unit


MINUTES = timedelta(minutes=1)
HOURS = timedelta(hours=1)


class SlaPolicyForm(forms.Form):
    """The policy's deadlines per tier, clocks, escalation delay and penalty."""

    soft_first_response = DurationField(
        label=_("soft: first response within (minutes)"), unit=MINUTES
    )
    soft_verification = DurationField(label=_("soft: verified within (minutes)"), unit=MINUTES)
    soft_office_hours = forms.BooleanField(label=_("soft: count office hours only"), required=False)
    hard_first_response = DurationField(
        label=_("hard: first response within (minutes)"), unit=MINUTES
    )
    hard_second_response = DurationField(
        label=_("hard: second response within (minutes)"), unit=MINUTES
    )
    hard_office_hours = forms.BooleanField(label=_("hard: count office hours only"), required=False)
    follow_up_after_resolution = DurationField(
        label=_("satisfaction follow-up within, after the resolution (hours)"), unit=HOURS
    )
    manager_after_breach = DurationField(
        label=_("escalate to the manager after a breach by (minutes)"),
        unit=MINUTES,
        help_text=_("At the breach the branch supervisor is told; this much later, the manager."),
    )
    penalty_per_upheld_complaint = forms.DecimalField(
        label=_("staff penalty per upheld complaint"),
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        help_text=_("0 records no penalty."),
    )
    repeat_window_days = forms.IntegerField(
        label=_("repeat problems: look back (days)"),
        min_value=1,
        max_value=3650,
        help_text=_(
            "A complaint is a repeat when the same customer, or the same staff member with "
            "the same category, complained this many days before."
        ),
    )

    @property
    def soft_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("soft_first_response", "soft_verification", "soft_office_hours")]

    @property
    def hard_fields(self) -> list[forms.BoundField]:
        names = ("hard_first_response", "hard_second_response", "hard_office_hours")
        return [self[n] for n in names]

    @property
    def common_fields(self) -> list[forms.BoundField]:
        names = (
            "follow_up_after_resolution",
            "manager_after_breach",
            "penalty_per_upheld_complaint",
            "repeat_window_days",
        )
        return [self[n] for n in names]


class OfficePeriodForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("weekday"), choices=WEEKDAYS, coerce=int)
    opens = forms.TimeField(label=_("opens"), required=False, widget=TimeInput)
    closes = forms.TimeField(label=_("closes"), required=False, widget=TimeInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens"), data.get("closes")
        if opens and not closes and "closes" not in self.errors:
            self.add_error("closes", _("Enter both times, or neither to leave the row out."))
        if closes and not opens and "opens" not in self.errors:
            self.add_error("opens", _("Enter both times, or neither to leave the row out."))
        return data


class BaseOfficeHoursFormSet(forms.BaseFormSet):
    def rows(self) -> list[tuple[int, Any, Any]]:
        return [
            (form.cleaned_data["weekday"], form.cleaned_data["opens"], form.cleaned_data["closes"])
            for form in self.forms
            if form.cleaned_data.get("opens") and form.cleaned_data.get("closes")
        ]


OfficeHoursFormSet = forms.formset_factory(
    OfficePeriodForm, formset=BaseOfficeHoursFormSet, extra=0, max_num=42, validate_max=True
)


class HolidayForm(forms.Form):
    day = forms.DateField(label=_("date"), widget=DateInput, validators=PLAUSIBLE_DATE)
    name = forms.CharField(label=_("name"), max_length=100)
