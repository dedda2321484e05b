"""Forms of the orders pages. Choices of related objects come from the active agency."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agency.bounds import PLAUSIBLE_DATE
from agency.idempotency import submission_key_field
from agency.masking import mask_phone
from agency.models import Agency, Branch
from agency.widgets import DateInput, TimeInput
from orders.intake.models import MESSAGE_PREFERENCES, phone_validator
from orders.models import (
    BookingRequest,
    Customer,
    District,
    NeedsForm,
    ScheduleKind,
    ServiceType,
)

WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


class IntakeForm(forms.ModelForm):
    """The needs form (客户需求表) with the customer and the booking around it."""

    phone = forms.CharField(label=_("customer phone"), max_length=30)
    name = forms.CharField(label=_("customer name"), max_length=100)
    district = forms.CharField(label=_("district"), max_length=60)
    address = forms.CharField(label=_("street address"), max_length=200)
    customer_language = forms.ChoiceField(
        label=_("customer's language"),
        choices=[("", _("as the agency")), *settings.LANGUAGES],
        required=False,
    )
    branch = forms.ModelChoiceField(label=_("branch"), queryset=Branch.objects.none())
    is_urgent = forms.BooleanField(label=_("urgent"), required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    checklist = forms.MultipleChoiceField(
        label=_("tasks wanted"), required=False, widget=forms.CheckboxSelectMultiple
    )
    # A new key on every blank form: submitting the same page twice books once.
    submission_key = submission_key_field()
    #: The customer's booking request this form was started from (it is taken with the order).
    booking_request = forms.ModelChoiceField(
        queryset=BookingRequest.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = NeedsForm
        fields = [
            "service_type",
            "requirements",
            "checklist",
            "schedule_kind",
            "start_date",
            "end_date",
            "weekdays",
            "days",
            "time_start",
            "time_end",
            "quantity",
            "allergies",
            "pets",
            "do_not_touch",
            "access_notes",
            "budget",
            "preferred_gender",
            "preferred_language",
            "min_experience_years",
            "callback_in_days",
        ]
        widgets = {
            "schedule_kind": forms.RadioSelect,
            "start_date": DateInput,
            "end_date": DateInput,
            "time_start": TimeInput,
            "time_end": TimeInput,
            "requirements": forms.Textarea(attrs={"rows": 2}),
            "allergies": forms.Textarea(attrs={"rows": 1}),
            "do_not_touch": forms.Textarea(attrs={"rows": 1}),
            "access_notes": forms.Textarea(attrs={"rows": 1}),
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.filter(agency=agency, is_active=True)  # type: ignore[attr-defined]
        # Any of the agency's: one taken meanwhile is the service's to refuse (or, for a
        # double click, to answer with the order the first click made).
        requests = BookingRequest.objects.filter(agency=agency)
        self.fields["booking_request"].queryset = requests  # type: ignore[attr-defined]
        services = ServiceType.objects.filter(agency=agency, is_active=True)
        self.fields["service_type"].queryset = services  # type: ignore[attr-defined]
        self.fields["schedule_kind"].choices = ScheduleKind.choices  # type: ignore[attr-defined]
        self.initial["schedule_kind"] = self.initial.get("schedule_kind") or ScheduleKind.ONCE
        # The tasks on offer are the chosen service's checklist.
        chosen = self._chosen_service(services)
        tasks = chosen.task_checklist if chosen else []
        self.fields["checklist"].choices = [(task, task) for task in tasks]  # type: ignore[attr-defined]

    # Sections of the page, in the order a dispatcher asks on the phone.
    @property
    def customer_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "district", "address", "customer_language")]

    @property
    def special_needs_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("allergies", "pets", "do_not_touch", "access_notes")]

    @property
    def preference_fields(self) -> list[forms.BoundField]:
        names = ("budget", "preferred_gender", "preferred_language", "min_experience_years")
        return [self[name] for name in names]

    def _chosen_service(self, services: Any) -> ServiceType | None:
        key = self.data.get("service_type") if self.is_bound else self.initial.get("service_type")
        if not key or not str(key).isdigit():
            return None
        return services.filter(pk=key).first()

    def _post_clean(self) -> None:
        # The services validate the needs form with the customer and address
        # they resolve; the model's own clean would miss those here.
        pass


class ConfirmForm(forms.Form):
    """The office signs for a customer who cannot sign, and says why."""

    quote_id = forms.IntegerField(widget=forms.HiddenInput)
    signed_name = forms.CharField(label=_("customer's full name"), max_length=100)
    verification_reason = forms.CharField(
        label=_("how the office verified"),
        max_length=255,
        help_text=_("For example: confirmed by phone, the customer cannot sign on a phone."),
    )


class CustomerSignForm(forms.Form):
    """What a customer types on the signed link to sign."""

    signed_name = forms.CharField(label=_("your full name"), max_length=100)
    agree = forms.BooleanField(label=_("I have read the above and agree."))


class CustomerCancelForm(CustomerSignForm):
    reason = forms.CharField(
        label=_("why you cancel"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)
    signed_name = forms.CharField(label=_("customer's full name"), max_length=100)
    verification_reason = forms.CharField(label=_("how the office verified"), max_length=255)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class DeclineRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("why (the customer is told)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CallbackDoneForm(forms.Form):
    outcome = forms.CharField(
        label=_("what the customer said"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


#: Preferences whose empty value means "unchanged" (each has a model default).
KEPT_WHEN_EMPTY = ("message_channel", "quiet_from", "quiet_until")


class CustomerForm(forms.ModelForm):
    """Edit a customer without ever showing their full phone numbers (DESIGN.md: every
    reveal is audited). The numbers are shown masked; typing one replaces it, an empty
    field keeps it. The cleaned data holds only the numbers to change."""

    phone = forms.CharField(label=_("new phone"), max_length=30, required=False)
    phone_alt = forms.CharField(label=_("new second phone"), max_length=30, required=False)
    remove_phone_alt = forms.BooleanField(label=_("remove the second phone"), required=False)

    class Meta:
        model = Customer
        fields = ["name", "preferred_language", "notes", *MESSAGE_PREFERENCES]
        widgets = {
            "quiet_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "quiet_from": _("In the agency's time zone: only urgent messages go out then."),
            "promotions_opt_out": _("Service messages about their orders are still sent."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Like the phones, a preference left out keeps what the customer chose before.
        for name in KEPT_WHEN_EMPTY:
            self.fields[name].required = False
        keep = _("Now %(masked)s. Leave empty to keep it.")
        self.fields["phone"].help_text = keep % {"masked": self.instance.masked_phone}
        if self.instance.phone_alt:
            masked_alt = mask_phone(self.instance.phone_alt)
            self.fields["phone_alt"].help_text = keep % {"masked": masked_alt}
        else:
            del self.fields["remove_phone_alt"]

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"]
        if phone:
            phone_validator(phone.replace(" ", "").replace("-", ""))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.pop("remove_phone_alt", False):
            data["phone_alt"] = ""
        elif not data.get("phone_alt"):
            data.pop("phone_alt", None)
        if not data.get("phone"):
            data.pop("phone", None)
        for name in KEPT_WHEN_EMPTY:
            if data.get(name) in (None, ""):
                data.pop(name, None)
        return data


LIST_HELP = _("One per line.")


class ServiceTypeForm(forms.ModelForm):
    """Lists (skills, certificates, tasks, preparation) are edited one item per line."""

    list_fields = (
        "required_skills",
        "required_certificates",
        "task_checklist",
        "preparation_checklist",
    )

    class Meta:
        model = ServiceType
        fields = [
            "code",
            "name_zh",
            "name_en",
            "category",
            "pricing_unit",
            "is_special",
            "is_repair",
            "is_placement",
            "required_skills",
            "required_certificates",
            "task_checklist",
            "preparation_checklist",
            "valuables_check",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.list_fields:
            self.fields[name] = forms.CharField(
                label=self.fields[name].label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=LIST_HELP,
            )
            # The instance's list, one item per line (the model's value would show as a list).
            self.initial[name] = "\n".join(getattr(self.instance, name) or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.list_fields:
            data[name] = [line.strip() for line in data.get(name, "").splitlines() if line.strip()]
        return data

    def _post_clean(self) -> None:
        # The service validates the whole service type (with its agency).
        pass


class PriceForm(forms.Form):
    unit_price = forms.DecimalField(
        label=_("unit price"), max_digits=10, decimal_places=2, min_value=0
    )
    effective_from = forms.DateField(
        label=_("valid from"), widget=DateInput, validators=PLAUSIBLE_DATE
    )


class DistrictForm(forms.ModelForm):
    """A district's centre; the name is the one the addresses use (朝阳区)."""

    class Meta:
        model = District
        fields = ["name", "latitude", "longitude", "radius_km"]
