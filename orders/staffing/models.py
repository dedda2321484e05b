"""Assignment (派工): staff put on an order, and who must never be sent to whom.

No staff member is ever double-booked: an exclusion constraint over the
active assignments' periods (DESIGN.md, "Staff and assignment").
"""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.contrib.postgres.fields.ranges import RangeStartsWith
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agency.models import TenantModel
from orders.intake.models import Customer
from orders.models.orders import Order
from staff.models import StaffMember


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("On-site lead")
    MEMBER = "member", _("Team member")


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed to the customer")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined by the customer")
    RELEASED = "released", _("Released")


class Punctuality(models.TextChoices):
    """How the staff member arrived (DESIGN.md: lateness is recorded): late is a check-in
    after the start and the agency's grace; a no-show is no check-in by the start and the
    agency's no-show time."""

    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    NO_SHOW = "no_show", _("No-show")


#: Statuses that hold the staff member's time.
HOLDING = (AssignmentStatus.PROPOSED, AssignmentStatus.CONFIRMED)


class Assignment(TenantModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="assignments")
    staff = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("staff")
    )
    role = models.CharField(
        _("role"), max_length=10, choices=AssignmentRole.choices, default=AssignmentRole.LEAD
    )
    status = models.CharField(
        max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.PROPOSED
    )
    # The order's service window, copied: the constraint compares these.
    period = DateTimeRangeField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # How the customer agreed: their signed link, or a phone call the office recorded.
    confirmed_via = models.CharField(max_length=20, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(_("reason"), max_length=255, blank=True)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The staff member's own "I'll do it" (确认接单) on their phone: not the customer's
    # confirmation above, which says the customer agreed to the person.
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    # Until when the staff member may acknowledge before the dispatcher is told; cleared
    # once acknowledged or told, so the sweep's index holds only what may still come due.
    ack_due_at = models.DateTimeField(null=True, blank=True)
    # Attendance: the service log's check-in and check-out stay the record; these are
    # their reading, kept on the row so that the board and the reports need no join.
    arrived_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    left_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    punctuality = models.CharField(
        _("punctuality"), max_length=10, choices=Punctuality.choices, blank=True
    )
    late_minutes = models.PositiveIntegerField(_("minutes late"), null=True, blank=True)
    left_early_minutes = models.PositiveIntegerField(_("minutes left early"), null=True, blank=True)
    # Whether the check-in position lay outside the job's district (None: not known).
    # Marked for the office, never a reason to refuse the check-in.
    arrived_off_district = models.BooleanField(_("checked in elsewhere"), null=True, blank=True)
    # When the job becomes a no-show unless checked in: set when the person is confirmed,
    # cleared at check-in, release or the no-show notice, so the sweep's index holds only
    # what may still come due.
    no_show_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["proposed_at", "id"]
        constraints = [
            ExclusionConstraint(
                name="staff_never_double_booked",
                expressions=[
                    ("agency", RangeOperators.EQUAL),
                    ("staff", RangeOperators.EQUAL),
                    ("period", RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=HOLDING),
                violation_error_message=_("This person is already booked at that time."),
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "staff", "status"], name="assignment_staff_status"),
            models.Index(
                fields=["ack_due_at"],
                name="assignment_ack_due",
                condition=Q(ack_due_at__isnull=False),
            ),
            models.Index(
                fields=["no_show_due_at"],
                name="assignment_no_show_due",
                condition=Q(no_show_due_at__isnull=False),
            ),
            # The attendance figures read the period's recorded arrivals by their start.
            models.Index(
                F("agency"),
                RangeStartsWith("period"),
                name="assignment_arrivals",
                condition=~Q(punctuality=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} ← {self.staff_id} ({self.status})"


class DoNotSend(TenantModel):
    """ "Do not send this staff member to this customer" — set from an upheld complaint.

    Matching excludes the pair (DESIGN.md, "Architecture": complaints hand the
    fact down through `orders.intake.services.customers`).
    """

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("do-not-send")
        verbose_name_plural = _("do-not-send list")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "customer", "staff"], name="do_not_send_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} ✕ {self.customer_id}"
