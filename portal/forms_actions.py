"""The forms of the customer's own actions on the portal (book, move, cancel, complain, ...).

Each form only shapes what the customer typed; the rules (a district served, a day not
past, a fee) are the services' own, and their refusals come back next to the fields
(`complaints.forms.for_form`). Every form that creates carries a submission key, so a
double tap on a slow phone books, files or asks once.
"""

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agency.errors import StateConflict
from agency.idempotency import submission_key_field
from agency.models import Agency
from agency.widgets import DateInput
from complaints.forms import MultipleFileInput, for_form
from complaints.models import Category
from complaints.services.intake import MAX_CUSTOMER_ATTACHMENTS
from orders.intake.booking_requests import MAX_PHOTOS
from orders.intake.models import MESSAGE_PREFERENCES
from orders.intake.services.booking_requests import NEEDS, RequestInput
from orders.models import Customer, CustomerAddress, District, Order, ServiceType

DATE = DateInput()
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})


class PhotosField(forms.FileField):
    """Several photos at once; each is checked by the service (a photo, not too large)."""

    widget = MultipleFileInput(attrs={"accept": "image/*"})

    def __init__(self, *, max_files: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_files = max_files

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > self.max_files:
            raise ValidationError(_("Add at most %(max)s photos.") % {"max": self.max_files})
        return [super(PhotosField, self).clean(upload, initial) for upload in files]


class BookingForm(forms.Form):
    """A booking request, phone first: the service, when, where, the needs, photos."""

    service_type = forms.ModelChoiceField(label=_("Service"), queryset=ServiceType.objects.none())
    first_day = forms.DateField(label=_("First day that suits you"), widget=DATE)
    last_day = forms.DateField(
        label=_("Last day that suits you"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty for that one day."),
    )
    time_start = forms.TimeField(label=_("From"), widget=TIME)
    time_end = forms.TimeField(label=_("Until"), widget=TIME)
    address = forms.ModelChoiceField(
        label=_("Where"),
        queryset=CustomerAddress.objects.none(),
        required=False,
        empty_label=_("A new address (below)"),
    )
    district = forms.ChoiceField(label=_("District of the new address"), required=False)
    street_address = forms.CharField(
        label=_("Street address of the new address"), max_length=200, required=False
    )
    requirements = forms.CharField(
        label=_("What should be done"), required=False, max_length=2000, widget=SHORT_TEXT
    )
    allergies = forms.CharField(label=_("Allergies"), required=False, max_length=2000)
    pets = forms.CharField(label=_("Pets"), required=False, max_length=200)
    do_not_touch = forms.CharField(label=_("Things not to touch"), required=False, max_length=2000)
    access_notes = forms.CharField(
        label=_("How to get in (gate, door code)"), required=False, max_length=2000
    )
    notes = forms.CharField(
        label=_("Anything else"), required=False, max_length=2000, widget=SHORT_TEXT
    )
    photos = PhotosField(
        max_files=MAX_PHOTOS,
        label=_("Photos"),
        required=False,
        help_text=_("Up to %(max)s photos of the place or the job.") % {"max": MAX_PHOTOS},
    )
    submission_key = submission_key_field()

    def __init__(self, *args: Any, agency: Agency, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["service_type"].queryset = ServiceType.objects.filter(
            agency=agency, is_active=True
        ).order_by("code")
        fields["address"].queryset = CustomerAddress.objects.filter(
            agency=agency, customer=customer
        )
        fields["address"].label_from_instance = lambda a: f"{a.district} {a.detail}"
        districts = District.objects.filter(agency=agency).order_by("name")
        fields["district"].choices = [("", "—"), *((d.name, d.name) for d in districts)]

    def wish(self, *, rebooked_from: Any = None) -> RequestInput:
        data = self.cleaned_data
        return RequestInput(
            service_type=data["service_type"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            time_start=data["time_start"],
            time_end=data["time_end"],
            address=data["address"],
            district=data["district"],
            street_address=data["street_address"],
            notes=data["notes"],
            rebooked_from=rebooked_from,
            **{name: data[name] for name in NEEDS},
        )


def booking_initial(wish: RequestInput) -> dict[str, Any]:
    """The booking form filled in from a prefilled request (rebook)."""
    return {
        "service_type": wish.service_type.pk,
        "first_day": wish.first_day,
        "time_start": wish.time_start,
        "time_end": wish.time_end,
        "address": wish.address.pk if wish.address else None,
        **{name: getattr(wish, name) for name in NEEDS},
    }


class RescheduleForm(forms.Form):
    day = forms.DateField(label=_("New day"), widget=DATE)
    time = forms.TimeField(label=_("New start time"), widget=TIME)
    reason = forms.CharField(label=_("Why (optional)"), required=False, max_length=200)

    def starts_at(self, agency: Agency) -> datetime:
        return datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"], agency.zone)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why you cancel"), max_length=500, widget=SHORT_TEXT)
    signed_name = forms.CharField(label=_("Your full name, as your signature"), max_length=100)


class ComplaintForm(forms.Form):
    order = forms.ModelChoiceField(
        label=_("About which order"),
        queryset=Order.objects.none(),
        required=False,
        empty_label=_("Not about one order"),
    )
    category = forms.ChoiceField(label=_("What went wrong"), choices=Category.choices)
    description = forms.CharField(
        label=_("Tell us what happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    desired_outcome = forms.CharField(
        label=_("What would put it right"), required=False, max_length=1000, widget=SHORT_TEXT
    )
    attachments = PhotosField(max_files=MAX_CUSTOMER_ATTACHMENTS, label=_("Photos"), required=False)
    submission_key = submission_key_field()

    def __init__(self, *args: Any, orders: QuerySet[Order], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["order"]
        field.queryset = orders.order_by("-starts_at", "-id")
        field.label_from_instance = lambda o: f"{o.number} · {o.service_type.name}"


class CallbackForm(forms.Form):
    note = forms.CharField(label=_("What would you like to talk about?"), max_length=200)
    when = forms.DateTimeField(
        label=_("When may we call?"),
        required=False,
        help_text=_("Leave empty: as soon as we can."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    submission_key = submission_key_field()


class PreferencesForm(forms.ModelForm):
    """How the customer hears from the agency; their name and phone stay the office's."""

    class Meta:
        model = Customer
        fields = ["preferred_language", *MESSAGE_PREFERENCES]
        widgets = {"quiet_from": TIME, "quiet_until": TIME}
        help_texts = {
            "quiet_from": _("Only urgent messages are sent in your quiet hours."),
            "promotions_opt_out": _("Messages about your orders are still sent."),
        }


def show_refusal(
    form: forms.BaseForm,
    error: ValidationError | StateConflict,
    rename: dict[str, str] | None = None,
) -> None:
    """A service's refusal on the form: next to the field it names, else above the form."""
    if isinstance(error, StateConflict):
        form.add_error(None, str(error))
        return
    form.add_error(None, for_form(error, form, rename or {}))
