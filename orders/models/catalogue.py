"""The service catalogue (服务项目) and its price list (价目表) with effective dates."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agency.models import TenantModel


class ServiceCategory(models.TextChoices):
    CLEANING = "cleaning", _("Home cleaning")
    POSTPARTUM = "postpartum", _("Postpartum care")
    NANNY = "nanny", _("Nanny")
    ELDERLY = "elderly", _("Elderly companion")
    REPAIR = "repair", _("Home repair")
    OTHER = "other", _("Other")


class PricingUnit(models.TextChoices):
    HOUR = "hour", _("per hour")
    VISIT = "visit", _("per visit")
    DAY = "day", _("per day")
    SQUARE_METRE = "sqm", _("per square metre")


class ServiceType(TenantModel):
    code = models.SlugField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    category = models.CharField(_("category"), max_length=20, choices=ServiceCategory.choices)
    pricing_unit = models.CharField(_("pricing unit"), max_length=10, choices=PricingUnit.choices)
    # Codes the staff app's skills and certificate types use; matching reads them.
    required_skills = ArrayField(
        models.SlugField(max_length=50), default=list, blank=True, verbose_name=_("required skills")
    )
    required_certificates = ArrayField(
        models.SlugField(max_length=50),
        default=list,
        blank=True,
        verbose_name=_("required certificates"),
    )
    is_special = models.BooleanField(
        _("special / custom service"),
        default=False,
        help_text=_("A special (custom) service cannot be cancelled."),
    )
    task_checklist = ArrayField(
        models.CharField(max_length=200), default=list, blank=True, verbose_name=_("tasks")
    )
    preparation_checklist = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        verbose_name=_("preparation (tools, materials)"),
    )
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["category", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], name="servicetype_code_unique_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        language = translation.get_language() or ""
        return self.name_zh if language.startswith("zh") else self.name_en


class Price(TenantModel):
    """The price of a service type over a period; periods of one service never overlap.

    A quote points at the price it used, so an old quote keeps its old price.
    """

    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="prices")
    unit_price = models.DecimalField(
        _("unit price"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    # [from, until): until is empty while the price is current.
    valid_during = DateRangeField(_("valid"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("price list")
        ordering = ["service_type", "-valid_during"]
        constraints = [
            ExclusionConstraint(
                name="price_periods_do_not_overlap",
                expressions=[
                    ("agency", RangeOperators.EQUAL),
                    ("service_type", RangeOperators.EQUAL),
                    ("valid_during", RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type_id}: {self.unit_price} {self.valid_during}"
