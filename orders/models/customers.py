"""Customers (客户): households, their phones and service addresses.

The full phone and street address are personal data: pages show them masked
and reveal them only through `orders.services.customer_reveal_contact`, which
writes the audit log (DESIGN.md, "Staff and assignment").
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.models import TenantModel

phone_validator = RegexValidator(
    r"^\+?[0-9]{6,20}$", _("Enter a phone number of 6 to 20 digits, optionally starting with +.")
)


def normalise_phone(raw: str) -> str:
    """Digits (and a leading +) only, so "138 0013-8000" and "13800138000" are one customer."""
    raw = raw.strip()
    digits = "".join(ch for ch in raw if ch.isdigit())
    return f"+{digits}" if raw.startswith("+") else digits


def mask_phone(phone: str) -> str:
    """138****8000: enough to recognise on a call, not enough to dial."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


class Customer(TenantModel):
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=21, validators=[phone_validator])
    phone_alt = models.CharField(
        _("second phone"), max_length=21, blank=True, validators=[phone_validator]
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX_LENGTH)
    special_attention = models.BooleanField(_("special attention"), default=False)
    special_attention_reason = models.CharField(
        _("reason for special attention"), max_length=255, blank=True
    )
    #: Where the reason is told in full, e.g. the complaint that set the flag.
    special_attention_link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "phone"], name="customer_phone_unique_per_agency"
            ),
        ]
        indexes = [models.Index(fields=["agency", "name"], name="customer_agency_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class CustomerAddress(TenantModel):
    """A place where the customer is served. The district is shown widely, the detail masked."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    district = models.CharField(_("district"), max_length=60)
    detail = models.CharField(_("street address"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.district

    @property
    def masked(self) -> str:
        return f"{self.district} ···"
