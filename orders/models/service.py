"""The service itself: the service log (服务记录) and change requests during the job.

DESIGN.md, "Service": preparation and the service are written in the service
log; content and fees never change without the customer's prior agreement.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.models import TenantModel
from agency.uploads import GeneratedName, validate_photo
from orders.models.assignments import Assignment
from orders.models.catalogue import ServiceType
from orders.models.orders import CustomerSignature, Order


class EntryKind(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    CHECK_IN = "check_in", _("Check-in")
    TASK = "task", _("Task done")
    NOTE = "note", _("Note")
    PHOTO = "photo", _("Photo")
    INSPECTION = "inspection", _("On-site inspection")
    CHECK_OUT = "check_out", _("Check-out")
    REWORK = "rework", _("Rework done")


class ServiceLogEntry(TenantModel):
    """One line of the service log, written by a person on the job. Append-only.

    Nothing here is ever changed or deleted (a database trigger refuses it): a
    correction is a new entry that names the one it corrects, and either says
    what should have been written or, with `withdrawn`, that it should not
    have been written at all.
    """

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="log_entries")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="log_entries")
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    #: The checklist line (preparation, task, inspection) this entry is about.
    item = models.CharField(_("item"), max_length=200, blank=True)
    #: An inspection's verdict on its item.
    ok = models.BooleanField(_("all right"), null=True, blank=True)
    text = models.TextField(_("note"), blank=True, max_length=TEXT_MAX_LENGTH)
    photo = models.ImageField(
        _("photo"),
        upload_to=GeneratedName("service-log"),
        blank=True,
        validators=[validate_photo],
    )
    # Where the device was, when it offered its position (check-in and check-out).
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(null=True, blank=True)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects"),
    )
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    failed_item = models.ForeignKey(
        "FailedItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("service log entry")
        verbose_name_plural = _("service log")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="logentry_position_whole_and_on_earth",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn=False) | Q(corrects__isnull=False),
                name="logentry_only_a_correction_withdraws",
            ),
            # A person checks in to (and out of) a job once; a correction may follow.
            models.UniqueConstraint(
                fields=["agency", "assignment", "kind"],
                condition=Q(kind__in=["check_in", "check_out"], corrects__isnull=True),
                name="logentry_check_in_out_once",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "order", "recorded_at"], name="logentry_order_time")
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} {self.item}"


class ChangeStatus(models.TextChoices):
    AWAITING_CUSTOMER = "awaiting", _("Awaiting the customer")
    APPROVED = "approved", _("Approved by the customer")
    DECLINED = "declined", _("Declined by the customer")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ChangeRequest(TenantModel):
    """A change of service content or fee during the job (变更), priced from the price list.

    It takes effect, and can reach the invoice, only once the customer approved
    it: by a signed link or in person on the staff member's device.
    """

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="change_requests")
    description = models.CharField(_("what changes"), max_length=500)
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("priced as")
    )
    #: More (or, negative, less) of the service, in its pricing unit; zero for content only.
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("fee change"), max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ChangeStatus.choices,
        default=ChangeStatus.AWAITING_CUSTOMER,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    signature = models.ForeignKey(
        CustomerSignature, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(signature__isnull=False),
                name="change_approved_by_signature",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.description[:40]} ({self.amount})"
