"""A placement: the terms of a live-in order of a placement service (issue 20).

One per order. The order keeps the service window (its first and last days, which the
assignments' exclusion constraint guards); the placement keeps what the contract says
about it. Terms may be incomplete while they are agreed: `placements.terms.missing_terms`
names what a contract still needs.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from agency.bounds import PLAUSIBLE_DATE, TEXT_MAX_LENGTH
from agency.models import TenantModel
from orders.models import Order


def money(verbose_name: StrOrPromise) -> models.DecimalField:
    """An amount on a contract, up to 99,999,999.99 yuan; empty until agreed."""
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )


class PlacementStatus(models.TextChoices):
    DRAFT = "draft", _("Terms being agreed")
    SIGNING = "signing", _("Out for signature")
    SIGNED = "signed", _("Signed, not started")
    ACTIVE = "active", _("In placement")
    ENDED = "ended", _("Ended")
    TERMINATED = "terminated", _("Terminated early")


#: Placements whose staff member is (or is about to be) in the customer's home.
RUNNING = (PlacementStatus.SIGNED, PlacementStatus.ACTIVE)


class PricePeriod(models.TextChoices):
    MONTH = "month", _("per month")
    TERM = "term", _("for the whole term")


class WagePayer(models.TextChoices):
    AGENCY = "agency", _("through the agency")
    CUSTOMER = "customer", _("by the customer directly")


class Placement(TenantModel):
    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, related_name="placement", verbose_name=_("order")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlacementStatus.choices, default=PlacementStatus.DRAFT
    )
    starts_on = models.DateField(_("first day"), validators=PLAUSIBLE_DATE)
    ends_on = models.DateField(_("last day"), validators=PLAUSIBLE_DATE)
    trial_days = models.PositiveSmallIntegerField(
        _("trial period (days)"), null=True, blank=True, validators=[MaxValueValidator(90)]
    )
    price = money(_("service price"))
    price_period = models.CharField(
        _("price for"), max_length=8, choices=PricePeriod.choices, default=PricePeriod.MONTH
    )
    wage = money(_("staff member's monthly wage"))
    wage_paid_by = models.CharField(
        _("wage paid"), max_length=10, choices=WagePayer.choices, default=WagePayer.AGENCY
    )
    service_fee = money(_("agency's service fee"))
    deposit = money(_("deposit"))
    days_off_per_month = models.PositiveSmallIntegerField(
        _("days off per month"), null=True, blank=True, validators=[MaxValueValidator(15)]
    )
    free_replacements = models.PositiveSmallIntegerField(
        _("free replacements"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    renewal_terms = models.TextField(_("renewal terms"), blank=True, max_length=TEXT_MAX_LENGTH)
    #: Set by the lifecycle when the briefing is done and the first day comes.
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    #: The last day served, when the placement ended or was terminated.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="placement_ends_after_start"
            ),
        ]
        indexes = [
            # The list: the agency's placements by state and by first day.
            models.Index(fields=["agency", "status", "starts_on"], name="placement_agency_status"),
            # The renewal sweep and "ending soon": running placements by their last day.
            models.Index(
                fields=["agency", "ends_on"],
                condition=Q(status__in=["signed", "active"]),
                name="placement_running_ends",
            ),
        ]

    def __str__(self) -> str:
        return self.order.number
