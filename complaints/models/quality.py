"""Quality inspections (质检) and the risk register with its emergency plans.

DESIGN.md, "More of the agencies' rules": monthly self-checks, quarterly checks and
spot checks of jobs; the agency keeps a risk register and emergency plans, each
reviewed by its owner on a date (a reminder is sent once per review date).
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.models import Branch, TenantModel
from agency.uploads import PDF, GeneratedName, type_of_name, validate_document, validate_photo
from orders.models import Order
from staff.models import StaffMember

__all__ = [
    "Checklist",
    "ChecklistItem",
    "Inspection",
    "InspectionKind",
    "InspectionPhoto",
    "InspectionPlan",
    "InspectionScore",
    "PlanKind",
    "RiskDocument",
    "RiskKind",
    "RiskReviewReminder",
]

#: The highest score one checklist item can carry.
ITEM_MAX_SCORE = 100


class Checklist(TenantModel):
    """The agency's inspection checklist (质检表): items with a maximum score each."""

    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection checklist")
        verbose_name_plural = _("inspection checklists")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="checklist_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(TenantModel):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    label = models.CharField(_("item"), max_length=200)
    max_score = models.PositiveSmallIntegerField(
        _("maximum score"), validators=[MinValueValidator(1), MaxValueValidator(ITEM_MAX_SCORE)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    #: A retired item is no longer scored; past inspections keep their copied scores.
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "checklist", "label"], name="checklistitem_label_once"
            ),
            models.CheckConstraint(
                condition=Q(max_score__gte=1, max_score__lte=ITEM_MAX_SCORE),
                name="checklistitem_max_score_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class PlanKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly self-check")
    QUARTERLY = "quarterly", _("Quarterly check")


class InspectionKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly self-check")
    QUARTERLY = "quarterly", _("Quarterly check")
    SPOT = "spot", _("Spot check")


class InspectionPlan(TenantModel):
    """How many jobs of a branch, or of one staff member, are inspected in a month or quarter."""

    kind = models.CharField(_("kind"), max_length=10, choices=PlanKind.choices)
    #: The first day of the month or quarter.
    starts_on = models.DateField(_("period starts"))
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("branch"),
    )
    staff = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    checklist = models.ForeignKey(
        Checklist, on_delete=models.PROTECT, related_name="+", verbose_name=_("checklist")
    )
    jobs_planned = models.PositiveSmallIntegerField(
        _("jobs to inspect"), validators=[MinValueValidator(1)]
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspector"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-starts_on", "id"]
        constraints = [
            # A plan covers a branch or a staff member, never both nor neither.
            models.CheckConstraint(
                condition=Q(branch__isnull=True, staff__isnull=False)
                | Q(branch__isnull=False, staff__isnull=True),
                name="inspectionplan_branch_or_staff",
            ),
            models.CheckConstraint(condition=Q(jobs_planned__gte=1), name="inspectionplan_jobs"),
        ]
        indexes = [models.Index(fields=["agency", "starts_on"], name="inspectionplan_period")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on:%Y-%m}"

    @property
    def ends_on(self) -> date:
        """The first day after the period."""
        months = 1 if self.kind == PlanKind.MONTHLY else 3
        month = self.starts_on.month - 1 + months
        return date(self.starts_on.year + month // 12, month % 12 + 1, 1)


class Inspection(TenantModel):
    """One inspected job: the scores per item, the notes, the photos and the total."""

    kind = models.CharField(_("kind"), max_length=10, choices=InspectionKind.choices)
    #: Empty for a spot check outside any plan.
    plan = models.ForeignKey(
        InspectionPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("inspection plan"),
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="+", verbose_name=_("job")
    )
    #: The order's branch, kept so results per branch read one table.
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    staff = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    checklist = models.ForeignKey(
        Checklist, on_delete=models.PROTECT, related_name="+", verbose_name=_("checklist")
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inspector"),
    )
    inspected_at = models.DateTimeField(_("inspected"))
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX_LENGTH)
    score = models.PositiveIntegerField(_("score"))
    max_score = models.PositiveIntegerField(_("out of"))
    percent = models.DecimalField(
        _("score (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    # The page's hidden key (agency.idempotency): a double click records it once.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="inspection_submitted_once"
            ),
            models.CheckConstraint(
                condition=Q(score__lte=models.F("max_score")), name="inspection_score_within_max"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "inspected_at"], name="inspection_agency_time"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.percent}%"


class InspectionScore(TenantModel):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    #: The item's maximum when it was scored: a later edit of the checklist keeps old results.
    max_score = models.PositiveSmallIntegerField(_("out of"))

    class Meta:
        verbose_name = _("inspection score")
        verbose_name_plural = _("inspection scores")
        ordering = ["item__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "inspection", "item"], name="inspectionscore_once"
            ),
            models.CheckConstraint(
                condition=Q(score__lte=models.F("max_score")),
                name="inspectionscore_within_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.score}/{self.max_score}"


class InspectionPhoto(TenantModel):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(
        _("photo"), upload_to=GeneratedName("inspections"), validators=[validate_photo]
    )
    #: What the file was called on the inspector's device: shown, never used as a path.
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class RiskKind(models.TextChoices):
    FIRE = "fire", _("Fire")
    INJURY = "injury", _("Injury")
    THEFT_ACCUSATION = "theft_accusation", _("Theft accusation")
    CUSTOMER_ILLNESS = "customer_illness", _("Customer illness")
    DATA_LEAK = "data_leak", _("Data leak")
    OTHER = "other", _("Other")


def validate_pdf(file: File) -> None:
    """An emergency plan's file: a PDF by content and by name (the upload allow-list)."""
    validate_document(file)
    if not getattr(file, "_committed", False) and type_of_name(file.name or "") != PDF:
        raise ValidationError(_("Upload the plan as a PDF file."), code="invalid_type")


class RiskDocument(TenantModel):
    """A risk of the register and its emergency plan (应急预案): the text and/or a PDF."""

    kind = models.CharField(_("risk"), max_length=20, choices=RiskKind.choices)
    title = models.CharField(_("title"), max_length=200)
    plan_text = models.TextField(_("plan"), blank=True, max_length=TEXT_MAX_LENGTH)
    file = models.FileField(
        _("plan (PDF)"),
        upload_to=GeneratedName("risk-plans"),
        validators=[validate_pdf],
        blank=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    review_by = models.DateField(_("review by"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("risk and emergency plan")
        verbose_name_plural = _("risk register")
        ordering = ["review_by", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "title"], name="riskdocument_title_once"),
        ]
        indexes = [
            # The sweep: the documents whose review date has come, across agencies.
            models.Index(fields=["review_by"], name="riskdocument_review_by"),
        ]

    def __str__(self) -> str:
        return self.title


class RiskReviewReminder(TenantModel):
    """A review reminder sent to the document's owner: once per document and review date."""

    document = models.ForeignKey(RiskDocument, on_delete=models.CASCADE, related_name="reminders")
    review_by = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("risk review reminder")
        verbose_name_plural = _("risk review reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "document", "review_by"], name="riskreminder_once_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.review_by}"
