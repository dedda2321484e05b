"""Promotions (晋升): a staff member proposed for the next level, then decided by a manager.

The sweep (`performance.tasks.promotions_propose`) or a supervisor proposes; only the
manager's approval changes the staff member's level (`performance.promotions`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.models import TenantModel
from staff.models import Level, StaffMember


class PromotionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Promotion(TenantModel):
    staff = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="+", verbose_name=_("staff member")
    )
    from_level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from level"),
    )
    to_level = models.ForeignKey(
        Level, on_delete=models.PROTECT, related_name="+", verbose_name=_("to level")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PromotionStatus.choices,
        default=PromotionStatus.PROPOSED,
    )
    #: The scorecard's figures when proposed: what the decision was taken on.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    #: Empty when the daily sweep proposed it.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # One open proposal per person: the sweep and a supervisor never both propose.
            models.UniqueConstraint(
                fields=["agency", "staff"],
                condition=Q(status="proposed"),
                name="promotion_one_open_per_staff",
            ),
        ]
        indexes = [
            models.Index(
                fields=["agency", "proposed_at"],
                condition=Q(status="proposed"),
                name="promotion_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} → {self.to_level_id}"
