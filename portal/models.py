"""The portal's own rows: the one-time sign-in codes texted to customers."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.masking import mask_phone
from agency.models import TenantModel
from orders.models import Customer


class SignInCode(TenantModel):
    """One code asked for on the sign-in page: a row for every request, customer or not.

    A row is written whether or not the phone is a customer's (`customer` empty: nothing
    was texted), so the send limits count every request alike and the answer reveals
    nothing. Only the code's HMAC is kept (`portal.codes`); a newer code of the same
    phone replaces the older ones.
    """

    phone = models.CharField(_("phone"), max_length=21)
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code_hash = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [
            # The newest code of a phone, and the sends to it in the last hour.
            models.Index(fields=["agency", "phone", "created_at"], name="signincode_phone"),
            # The requests from one address in the last hour, across agencies.
            models.Index(fields=["ip_address", "created_at"], name="signincode_ip"),
        ]

    def __str__(self) -> str:
        return f"code for {mask_phone(self.phone)}"
