"""The customer's own booking requests (预约申请, issue 18): what they ask for from their
portal, waiting on the dispatcher's intake to be quoted, never straight into the schedule.

A request becomes an order only through the needs form (a dispatcher prices it and checks
staff can be found), or is declined with a reason the customer is told.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agency.bounds import PLAUSIBLE_DATE, TEXT_MAX_LENGTH
from agency.models import TenantModel
from agency.uploads import GeneratedName, validate_photo
from orders.intake.models import Customer, CustomerAddress, ServiceType
from orders.models.orders import Order

#: Photos one request may carry: enough to show the rooms, not an album.
MAX_PHOTOS = 6


class BookingRequestStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a quote")
    TAKEN = "taken", _("Taken as an order")
    DECLINED = "declined", _("Declined")


class BookingRequest(TenantModel):
    """What the customer asked for: a service, preferred days and hours, where, and their needs.

    The preferred days are a range (`first_day`..`last_day`, one day when `last_day` is
    empty): the dispatcher picks the day staff can be found on.
    """

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="booking_requests"
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    address = models.ForeignKey(
        CustomerAddress, on_delete=models.PROTECT, related_name="+", verbose_name=_("address")
    )
    first_day = models.DateField(_("from"), validators=PLAUSIBLE_DATE)
    last_day = models.DateField(_("until"), null=True, blank=True, validators=PLAUSIBLE_DATE)
    time_start = models.TimeField(_("from (time)"))
    time_end = models.TimeField(_("until (time)"))
    requirements = models.TextField(
        _("concrete requirements"), blank=True, max_length=TEXT_MAX_LENGTH
    )
    allergies = models.TextField(_("allergies"), blank=True, max_length=TEXT_MAX_LENGTH)
    pets = models.CharField(_("pets"), max_length=200, blank=True)
    do_not_touch = models.TextField(
        _("things not to touch"), blank=True, max_length=TEXT_MAX_LENGTH
    )
    access_notes = models.TextField(_("access notes"), blank=True, max_length=TEXT_MAX_LENGTH)
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX_LENGTH)
    #: The past order this request repeats (rebooking), if any.
    rebooked_from = models.ForeignKey(
        Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BookingRequestStatus.choices,
        default=BookingRequestStatus.WAITING,
    )
    #: The order the dispatcher made of it (the order links back through `booking_request`).
    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="booking_request"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The portal's hidden key: the same form sent twice is one request.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking request")
        verbose_name_plural = _("booking requests")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="bookingrequest_submitted_once"
            ),
            models.CheckConstraint(
                condition=Q(time_end__gt=F("time_start")), name="bookingrequest_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(last_day__isnull=True) | Q(last_day__gte=F("first_day")),
                name="bookingrequest_until_after_from",
            ),
        ]
        indexes = [
            # The intake page's list: the waiting ones, oldest first.
            models.Index(
                fields=["agency", "created_at"],
                condition=Q(status="waiting"),
                name="bookingrequest_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} · {self.service_type}"

    @property
    def special_needs(self) -> dict[str, str]:
        """The special needs (特别需求) that are filled in, by label (as on the needs form)."""
        labels = {
            "allergies": _("allergies"),
            "pets": _("pets"),
            "do_not_touch": _("things not to touch"),
            "access_notes": _("access notes"),
        }
        return {
            str(label): getattr(self, name) for name, label in labels.items() if getattr(self, name)
        }


class BookingRequestPhoto(TenantModel):
    """A photo the customer added (the rooms, the stain, the broken tap)."""

    booking_request = models.ForeignKey(
        BookingRequest, on_delete=models.CASCADE, related_name="photos"
    )
    photo = models.ImageField(
        _("photo"), upload_to=GeneratedName("booking-requests"), validators=[validate_photo]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.booking_request_id}: {self.photo.name}"
