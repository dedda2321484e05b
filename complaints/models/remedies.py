"""What the complaint is put right with (issue 19): the solutions offered and the one the
customer agreed, compensation for damage, a charge when the customer was at fault, and the
inspection visit after a hard complaint.

DESIGN.md, "Complaints" and "Management rules": solution options the customer agrees to,
damage compensated and borne by whoever is responsible under the agency's rules, a charge
when the customer is at fault, an inspection visit after a hard complaint.
"""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.models import TenantModel
from agency.uploads import GeneratedName, validate_document
from orders.models import Invoice, InvoiceLine, Order, PaymentMethod, Refund
from staff.models import Penalty, StaffMember

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = [
    "Charge",
    "Compensation",
    "CompensationStatus",
    "InspectionVisit",
    "InspectionVisitPhoto",
    "Payer",
    "RemedyPolicy",
    "Solution",
    "SolutionKind",
    "SolutionStatus",
]

#: Up to this amount a supervisor approves a compensation; above it, only a manager.
DEFAULT_APPROVAL_LIMIT = Decimal("500.00")


def _money(verbose_name: "StrOrPromise", **options: object) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        **options,  # type: ignore[arg-type]
    )


class RemedyPolicy(TenantModel):
    """The agency's rule for compensation approvals (one row per agency)."""

    approval_limit = models.DecimalField(
        _("compensation a supervisor may approve, at most"),
        max_digits=12,
        decimal_places=2,
        default=DEFAULT_APPROVAL_LIMIT,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Above this amount only a manager approves a compensation."),
    )

    class Meta:
        verbose_name = _("remedy policy")
        verbose_name_plural = _("remedy policies")
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="remedypolicy_one_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.approval_limit}"


class SolutionKind(models.TextChoices):
    REDO = "redo", _("Redo (a free re-visit)")
    REPLACEMENT = "replacement", _("Replacement staff")
    PARTIAL_REFUND = "partial_refund", _("Partial refund")
    COMPENSATION = "compensation", _("Compensation")
    APOLOGY = "apology", _("Apology")


#: The solutions that carry an amount of money.
#: A tuple, not a set: the check constraint below lists it, and a set's order changes from one
#: process to the next (hash seeds), which makemigrations would read as a changed constraint.
WITH_AMOUNT = (SolutionKind.PARTIAL_REFUND, SolutionKind.COMPENSATION)


class SolutionStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    AGREED = "agreed", _("Agreed by the customer")
    SET_ASIDE = "set_aside", _("Not taken")


class Solution(TenantModel):
    """One option offered to the customer; the one they agree is the complaint's solution."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="solutions"
    )
    kind = models.CharField(_("solution"), max_length=16, choices=SolutionKind.choices)
    description = models.TextField(_("what is offered"), max_length=TEXT_MAX_LENGTH)
    amount = _money(_("amount"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SolutionStatus.choices, default=SolutionStatus.OFFERED
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    offered_at = models.DateTimeField(auto_now_add=True)
    agreed_at = models.DateTimeField(_("agreed"), null=True, blank=True)
    #: A redo's day; agreed, the re-visit is booked as an order of the complaint's order's
    #: needs form on that day (orders' own intake service), else only recorded here.
    redo_on = models.DateField(_("redo on"), null=True, blank=True)
    redo_order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: Where the money went when agreed: a refund for finance, or a credit note.
    refund = models.ForeignKey(Refund, on_delete=models.PROTECT, null=True, blank=True)
    credit_note = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")
        ordering = ["offered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "complaint"],
                condition=Q(status="agreed"),
                name="solution_one_agreed_per_complaint",
            ),
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="solution_offered_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=list(WITH_AMOUNT), amount__isnull=False)
                | (~Q(kind__in=list(WITH_AMOUNT)) & Q(amount__isnull=True)),
                name="solution_amount_when_money",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"


class Payer(models.TextChoices):
    AGENCY = "agency", _("The agency")
    INSURER = "insurer", _("The insurer")
    STAFF = "staff", _("The staff member")


class CompensationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved, to be paid")
    REFUSED = "refused", _("Refused")
    PAID = "paid", _("Paid")


class Compensation(TenantModel):
    """Damage compensated: proposed by the office, approved (a manager above the agency's
    limit), then paid out by finance. A payout, not an invoice refund."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="compensations"
    )
    item = models.CharField(_("damaged item"), max_length=200)
    amount = _money(_("agreed amount"))
    payer = models.CharField(_("who pays"), max_length=8, choices=Payer.choices)
    staff = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member who pays"),
    )
    claim_reference = models.CharField(_("insurer's claim reference"), max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CompensationStatus.choices,
        default=CompensationStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(_("why refused"), max_length=300, blank=True)
    method = models.CharField(
        _("paid by"), max_length=16, choices=PaymentMethod.choices, blank=True
    )
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    #: The staff member's share on their record (staff.Penalty), made once at approval.
    penalty = models.ForeignKey(Penalty, on_delete=models.PROTECT, null=True, blank=True)
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="compensation_proposed_once"
            ),
            models.CheckConstraint(
                condition=Q(payer="staff", staff__isnull=False) | ~Q(payer="staff"),
                name="compensation_staff_payer_named",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "paid_at"], name="compensation_paid")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.item} {self.amount}"


class Charge(TenantModel):
    """The customer was at fault: what they agreed to pay, as a line on their invoice."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="charges"
    )
    amount = _money(_("amount"))
    reason = models.CharField(_("reason"), max_length=300)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="+")
    line = models.OneToOneField(InvoiceLine, on_delete=models.PROTECT, related_name="+")
    charged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    charged_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("customer charge")
        verbose_name_plural = _("customer charges")
        ordering = ["charged_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "submission_key"], name="charge_made_once"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.amount}"


class InspectionVisit(TenantModel):
    """The inspection visit after a hard complaint: scheduled, then recorded with findings."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="inspection_visits"
    )
    scheduled_for = models.DateField(_("visit on"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inspector"),
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    findings = models.TextField(_("findings"), blank=True, max_length=TEXT_MAX_LENGTH)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")
        ordering = ["scheduled_for", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="inspection_scheduled_once"
            ),
        ]
        indexes = [
            # The desk's overdue flag: the visits not recorded yet, by date.
            models.Index(
                fields=["agency", "scheduled_for"],
                condition=Q(recorded_at__isnull=True),
                name="inspection_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.scheduled_for}"


class InspectionVisitPhoto(TenantModel):
    visit = models.ForeignKey(InspectionVisit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(
        _("file"), upload_to=GeneratedName("inspections"), validators=[validate_document]
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
