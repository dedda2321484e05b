"""Incidents on the job (事故/紧急情况) and the valuables check at departure (issue 19).

An incident is reported by the staff member from the job page (or recorded by the
office), told at once to the job branch's supervisors and the managers, and then
handled like a small case: an owner, a timeline, follow-up actions and a close with
its outcome. A damage incident may become a hard complaint (`complaint`), whose
remedies then carry the compensation.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.models import Branch, TenantModel
from agency.uploads import GeneratedName, validate_photo
from complaints.models import Complaint
from orders.models import Order
from staff.models import StaffMember

__all__ = [
    "FIELD_KINDS",
    "Incident",
    "IncidentAction",
    "IncidentEvent",
    "IncidentEventKind",
    "IncidentKind",
    "IncidentStatus",
    "ValuablesCheck",
    "ValuablesConfirmedVia",
]


class IncidentKind(models.TextChoices):
    INJURY = "injury", _("Injury")
    DAMAGE = "damage", _("Damage to the customer's property")
    DISPUTE = "dispute", _("Customer dispute or harassment")
    SAFETY = "safety", _("Safety risk")
    LOST = "lost", _("Lost key or item")
    DATA_PROTECTION = "data_protection", _("Customer data shown or given out")


#: What a staff member reports from the job page; data protection is the office's to record.
FIELD_KINDS = (
    IncidentKind.INJURY,
    IncidentKind.DAMAGE,
    IncidentKind.DISPUTE,
    IncidentKind.SAFETY,
    IncidentKind.LOST,
)


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Incident(TenantModel):
    number = models.CharField(_("number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=16, choices=IncidentKind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )
    #: The staff member on the job who reported it (empty when the office recorded it).
    staff = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    note = models.TextField(_("what happened"), blank=True, max_length=TEXT_MAX_LENGTH)
    photo = models.FileField(
        _("photo"), upload_to=GeneratedName("incidents"), blank=True, validators=[validate_photo]
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    # Damage: what was damaged and the office's first estimate of its worth.
    damaged_item = models.CharField(_("damaged item"), max_length=200, blank=True)
    damage_description = models.TextField(_("damage"), blank=True, max_length=TEXT_MAX_LENGTH)
    estimated_amount = models.DecimalField(
        _("estimated amount"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    #: The hard complaint opened from a damage incident: its remedies carry the compensation.
    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("complaint"),
    )
    outcome = models.TextField(_("outcome"), blank=True, max_length=TEXT_MAX_LENGTH)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The phone page's hidden key: a report sent again on a poor connection counts once.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"], name="incident_number_unique_per_agency"
            ),
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="incident_reported_once"
            ),
            models.CheckConstraint(
                condition=Q(estimated_amount__isnull=True) | Q(estimated_amount__gt=0),
                name="incident_estimate_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "reported_at"], name="incident_agency_reported"),
            models.Index(
                fields=["agency", "branch"],
                condition=Q(status="open"),
                name="incident_open",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class IncidentEventKind(models.TextChoices):
    REPORTED = "reported", _("Reported")
    OWNER = "owner", _("Owner assigned")
    DAMAGE = "damage", _("Damage recorded")
    ACTION = "action", _("Follow-up action added")
    ACTION_DONE = "action_done", _("Follow-up action done")
    COMPLAINT = "complaint", _("Complaint opened")
    CLOSED = "closed", _("Closed")


class IncidentEvent(TenantModel):
    """One line of an incident's timeline."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=IncidentEventKind.choices)
    text = models.TextField(_("text"), blank=True, max_length=TEXT_MAX_LENGTH)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incident event")
        verbose_name_plural = _("incident timeline")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind}"


class IncidentAction(TenantModel):
    """A follow-up action of an incident: what, by when, and when it was done."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("action"), max_length=300)
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text


class ValuablesConfirmedVia(models.TextChoices):
    DEVICE = "device", _("On the staff member's phone")
    LINK = "link", _("By the customer's link")


class ValuablesCheck(TenantModel):
    """The valuables check at departure, for the services the agency marks: the staff
    member ticks it, the customer confirms it (on the staff's phone or later by link)."""

    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, related_name="+", verbose_name=_("order")
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    confirmed_via = models.CharField(
        _("confirmed"), max_length=6, choices=ValuablesConfirmedVia.choices, blank=True
    )
    confirmed_by = models.CharField(_("confirmed by"), max_length=100, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("valuables check")
        verbose_name_plural = _("valuables checks")

    def __str__(self) -> str:
        return f"{self.order_id} valuables"
