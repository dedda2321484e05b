"""The three signatures of a contract version (issue 20): the customer's and the staff
member's by their signed links, the agency's by a manager. Each keeps the drawn image,
when, from where, and the SHA-256 of the exact PDF its signer saw."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.models import TenantModel
from agency.uploads import GeneratedName, validate_photo
from placements.models.contracts import ContractVersion


class SigningParty(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    STAFF = "staff", _("Staff member")
    AGENCY = "agency", _("Agency")


class ContractSignature(TenantModel):
    version = models.ForeignKey(
        ContractVersion,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("contract version"),
    )
    party = models.CharField(_("party"), max_length=10, choices=SigningParty.choices)
    #: The signature as drawn (a PNG, checked by its content; stored under a generated name).
    image = models.ImageField(
        _("signature"),
        max_length=200,
        upload_to=GeneratedName("signatures"),
        validators=[validate_photo],
    )
    signed_at = models.DateTimeField(_("signed"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    #: The hash of the PDF the signer was shown: equal to the version's, or refused.
    document_sha256 = models.CharField(_("SHA-256 of the document"), max_length=64)
    #: The manager who signed for the agency (empty for the customer and the staff member).
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("contract signature")
        verbose_name_plural = _("contract signatures")
        ordering = ["version", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "party"], name="contract_signature_party_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.party}"
