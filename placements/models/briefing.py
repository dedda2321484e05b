"""The briefing (上户交底) before a placement's first day (issue 20): the supervisor goes
through the agency's checklist with the staff member and ticks each item; a placement
cannot start until every item is ticked with the staff member present.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agency.models import TenantModel
from placements.models.placements import Placement

#: The checklist when the agency has written none of its own: (key, wording).
DEFAULT_BRIEFING_ITEMS = (
    ("routine", _("The family's routine and house rules")),
    ("care_plan", _("The baby's and the mother's care plan")),
    ("health", _("Allergies and health")),
    ("safety", _("The home's safety and its appliances")),
    ("days_off", _("Days off and working hours")),
    ("emergency", _("The emergency contacts")),
    ("valuables", _("Valuables and keys")),
)


class BriefingItem(TenantModel):
    """One item of the agency's own briefing checklist (replaces the default list)."""

    label = models.CharField(_("item"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("briefing item")
        verbose_name_plural = _("briefing items")
        ordering = ["position", "id"]
        indexes = [
            models.Index(
                fields=["agency", "position"],
                condition=Q(is_active=True),
                name="briefing_item_active",
            )
        ]

    def __str__(self) -> str:
        return self.label


class Briefing(TenantModel):
    """The placement's briefing: which items are ticked (their wording as briefed), who
    ticked them, whether the staff member was there, and when it was complete."""

    placement = models.OneToOneField(
        Placement, on_delete=models.PROTECT, related_name="briefing", verbose_name=_("placement")
    )
    #: {key: wording} of every item on the checklist when it was briefed.
    items = models.JSONField(default=dict)
    #: The keys ticked.
    ticked = models.JSONField(default=list)
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("briefed by"),
    )
    staff_present = models.BooleanField(_("staff member present"), default=False)
    done_at = models.DateTimeField(_("briefing done"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")

    def __str__(self) -> str:
        return str(self.placement)
