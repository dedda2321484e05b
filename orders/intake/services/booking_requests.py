"""The customer's booking requests: asked for from their portal, quoted or declined by the office.

Issue 18: a booking lands on the dispatcher's intake as a request to quote, never straight
into the schedule (DESIGN.md, "Intake and booking": the office records the booking and the
customer confirms it). Entry points for the portal, each with
`actor=Actor.customer(customer.pk, ip_address=…)`:

- `booking_request_submit(customer=…, actor=…, wish=RequestInput(…), photos=…, submission_key=…)`
- `booking_request_from_order(order=…)`: a RequestInput prefilled from a past order (rebook).

The office's side: `booking_request_quote` (the needs form made from it, then the usual
quote) and `booking_request_decline` (the customer is told why).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.idempotency import refuse_repeat, save_once
from agency.models import Agency, Branch
from agency.permissions import Area, require
from messaging.rules import Event
from messaging.services import announce
from orders.intake.booking_requests import MAX_PHOTOS
from orders.intake.services.booking import CustomerInput, NeedsInput, order_intake
from orders.intake.services.customers import address_find_or_create
from orders.messages import customer_recipient
from orders.models import (
    BookingRequest,
    BookingRequestPhoto,
    BookingRequestStatus,
    Customer,
    CustomerAddress,
    District,
    Order,
    ServiceType,
)
from orders.timeline import note

#: The needs the customer writes themselves, the same names on the request and the needs form.
NEEDS = ("requirements", "allergies", "pets", "do_not_touch", "access_notes")


@dataclass(frozen=True)
class RequestInput:
    """What the customer asks for. The place is a saved `address` of theirs, or a new
    `district` (one the agency serves) and `street_address`."""

    service_type: ServiceType
    first_day: date
    time_start: time
    time_end: time
    last_day: date | None = None
    address: CustomerAddress | None = None
    district: str = ""
    street_address: str = ""
    requirements: str = ""
    allergies: str = ""
    pets: str = ""
    do_not_touch: str = ""
    access_notes: str = ""
    notes: str = ""
    rebooked_from: Order | None = None


@transaction.atomic
def booking_request_submit(
    *,
    customer: Customer,
    actor: Actor,
    wish: RequestInput,
    photos: Sequence[UploadedFile] = (),
    submission_key: uuid.UUID | None = None,
) -> BookingRequest:
    """The customer asks for a service; it waits on the intake page for a dispatcher.

    Refused with the reason: a service this agency does not offer (any more), a day or
    hour already past, an address in a district the agency does not serve, more than
    `MAX_PHOTOS` photos or a file that is not a photo. The same `submission_key` again
    raises `RepeatedSubmission` with the first request (a double tap books once).
    """
    if actor.customer_id != customer.pk:
        raise PermissionDenied(_("Only the customer asks for a booking from their portal."))
    agency = customer.agency
    requests = BookingRequest.objects.filter(agency=agency)
    refuse_repeat(requests, submission_key, _asked)
    errors = _wish_errors(agency, customer, wish)
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("Add at most %(max)s photos.") % {"max": MAX_PHOTOS}
    if errors:
        raise ValidationError(errors)
    address = wish.address or address_find_or_create(
        customer=customer,
        district=_served_district(agency, wish.district),
        detail=wish.street_address,
    )
    request = BookingRequest(
        agency=agency,
        customer=customer,
        service_type=wish.service_type,
        address=address,
        first_day=wish.first_day,
        last_day=wish.last_day if wish.last_day != wish.first_day else None,
        time_start=wish.time_start,
        time_end=wish.time_end,
        notes=wish.notes.strip(),
        rebooked_from=wish.rebooked_from,
        submission_key=submission_key,
        **{name: getattr(wish, name).strip() for name in NEEDS},
    )
    request.full_clean(exclude=["submission_key"])
    save_once(request, requests, _asked)
    for upload in photos:
        photo = BookingRequestPhoto(agency=agency, booking_request=request, photo=upload)
        try:
            photo.full_clean()
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error
        photo.save()
    audit_record(
        agency=agency,
        actor=actor,
        action="booking_request.submit",
        target=request,
        changes={"service": wish.service_type.code, "first_day": wish.first_day.isoformat()},
    )
    return request


def booking_request_from_order(*, order: Order) -> RequestInput:
    """Rebook in two taps: the same service, place and needs as a past order; the customer
    only picks the new day (the first day offered is the agency's tomorrow, same hours)."""
    needs = order.needs_form
    local = timezone.localtime(order.starts_at, order.agency.zone)
    local_end = timezone.localtime(order.ends_at, order.agency.zone)
    return RequestInput(
        service_type=order.service_type,
        first_day=order.agency.today() + timedelta(days=1),
        time_start=local.time(),
        # A job through midnight (a live-in night) asks for the day's hours up to its end.
        time_end=local_end.time() if local_end.time() > local.time() else time(23, 59),
        address=needs.address,
        rebooked_from=order,
        requirements=needs.requirements,
        allergies=needs.allergies,
        pets=needs.pets,
        do_not_touch=needs.do_not_touch,
        access_notes=needs.access_notes,
    )


@transaction.atomic
def booking_request_quote(
    *,
    booking_request: BookingRequest,
    actor: Actor,
    branch: Branch,
    customer: CustomerInput,
    needs: NeedsInput,
    is_urgent: bool = False,
    submission_key: uuid.UUID | None = None,
) -> Order:
    """The dispatcher's needs form, started from the request, becomes a quoted order
    (`order_intake`); the request is then taken and the order's timeline says where it
    came from. A request taken or declined meanwhile is refused and nothing is booked."""
    order = order_intake(
        agency=booking_request.agency,
        actor=actor,
        branch=branch,
        customer=customer,
        needs=needs,
        is_urgent=is_urgent,
        submission_key=submission_key,
    )
    request = _waiting(booking_request)
    if order.customer_id != request.customer_id:
        # The phone on the form found another customer: the request is not theirs to take.
        raise ValidationError({"phone": _("The order must be for the customer who asked.")})
    request.status = BookingRequestStatus.TAKEN
    request.order = order
    request.decided_by = actor.user
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "order", "decided_by", "decided_at"])
    asked = formats.date_format(timezone.localtime(request.created_at), "SHORT_DATETIME_FORMAT")
    note(
        order, actor=actor, text=_("From the customer's booking request of %(at)s.") % {"at": asked}
    )
    audit_record(
        agency=order.agency,
        actor=actor,
        action="booking_request.take",
        target=request,
        changes={"order": order.number},
    )
    return order


@transaction.atomic
def booking_request_decline(
    *, booking_request: BookingRequest, actor: Actor, reason: str
) -> BookingRequest:
    """The office cannot serve the request (no staff that week, a service it does not do
    there): declined with the reason, which the customer is told in their language."""
    require(
        actor,
        Area.ORDERS,
        agency_id=booking_request.agency_id,
        message=_("The office answers booking requests."),
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is declined.")})
    request = _waiting(booking_request)
    request.status = BookingRequestStatus.DECLINED
    request.decline_reason = reason.strip()[:500]
    request.decided_by = actor.user
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    audit_record(
        agency=request.agency,
        actor=actor,
        action="booking_request.decline",
        target=request,
        changes={"reason": request.decline_reason},
    )
    _tell_declined(request)
    return request


def _waiting(booking_request: BookingRequest) -> BookingRequest:
    request = (
        BookingRequest.objects.select_for_update(of=("self",))
        .select_related("agency", "customer__agency", "service_type", "order")
        .get(pk=booking_request.pk, agency_id=booking_request.agency_id)
    )
    if request.status == BookingRequestStatus.TAKEN:
        raise StateConflict(
            _("This request was already taken as order %(number)s.") % {"number": request.order}
        )
    if request.status == BookingRequestStatus.DECLINED:
        raise StateConflict(_("This request was already declined."))
    return request


def _tell_declined(request: BookingRequest) -> None:
    def values(language: str) -> dict[str, str]:
        with translation.override(language):
            return {
                "service_name": request.service_type.name,
                "job_date": formats.date_format(request.first_day, "MONTH_DAY_FORMAT"),
                "reason": request.decline_reason,
            }

    announce(
        agency=request.agency,
        event=Event.BOOKING_REQUEST_DECLINED,
        key=f"booking_request:{request.pk}:declined",
        context=values,
        customer=customer_recipient(request.customer),
        topics=[f"customer:{request.customer_id}"],
    )


def _wish_errors(agency: Agency, customer: Customer, wish: RequestInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    service = wish.service_type
    if service.agency_id != agency.pk or not service.is_active:
        errors["service_type"] = _("Choose one of the services the agency offers.")
    if wish.first_day < agency.today():
        errors["first_day"] = _("Choose a day from today on.")
    elif wish.first_day == agency.today() and _starts_passed(agency, wish):
        errors["time_start"] = _("That time has passed today: choose a later time or day.")
    if wish.last_day is not None and wish.last_day < wish.first_day:
        errors["last_day"] = _("The last day is before the first.")
    if wish.time_end <= wish.time_start:
        errors["time_end"] = _("The end time must be after the start time.")
    if wish.rebooked_from is not None and wish.rebooked_from.customer_id != customer.pk:
        errors["rebooked_from"] = _("Choose one of your orders.")
    if wish.address is not None:
        if wish.address.customer_id != customer.pk:
            errors["address"] = _("Choose one of your saved addresses.")
    elif not wish.street_address.strip():
        errors["street_address"] = _("Give the street address.")
    elif not _served_district(agency, wish.district):
        errors["district"] = _(
            "The agency does not serve this district; choose one of: %(districts)s."
        ) % {"districts": "、".join(_districts(agency)) or "—"}
    return errors


def _starts_passed(agency: Agency, wish: RequestInput) -> bool:
    starts = datetime.combine(wish.first_day, wish.time_start, tzinfo=agency.zone)
    return starts <= timezone.now()


def _districts(agency: Agency) -> list[str]:
    return list(District.objects.filter(agency=agency).values_list("name", flat=True))


def _served_district(agency: Agency, name: str) -> str:
    """The agency's spelling of a district it serves (its list, by name), or ""."""
    wanted = name.strip().casefold()
    return next((known for known in _districts(agency) if known.casefold() == wanted), "")


def _asked(earlier: BookingRequest) -> str:
    return _("This request was already sent on %(at)s.") % {
        "at": formats.date_format(timezone.localtime(earlier.created_at), "SHORT_DATETIME_FORMAT")
    }
