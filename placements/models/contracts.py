"""Contracts of placements (issue 20): the agency's templates, and each placement's
contract versions — the original, then amendments and renewals — rendered to PDF.

A template is never edited in place: each save is a new version row, the latest one
current, so a contract keeps the exact text it was prepared (and signed) on.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.models import TenantModel
from agency.uploads import GeneratedName
from orders.models import Assignment, ServiceType
from placements.models.placements import Placement
from staff.models import StaffMember

#: A contract's text runs to several pages: longer than the notes' bound.
BODY_MAX_LENGTH = 20000


class ContractLanguage(models.TextChoices):
    ZH_HANS = "zh-hans", _("Chinese")
    EN = "en", _("English")


class ContractTemplate(TenantModel):
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=ContractLanguage.choices, default="zh-hans"
    )
    version = models.PositiveIntegerField(_("version"))
    #: Text with `{{ variable }}` placeholders (`placements.contracts.contract_variables`).
    body = models.TextField(_("contract text"), max_length=BODY_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contract template")
        verbose_name_plural = _("contract templates")
        ordering = ["service_type", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "service_type", "language", "version"],
                name="contract_template_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type} {self.language} v{self.version}"


class ContractKind(models.TextChoices):
    ORIGINAL = "original", _("Original contract")
    AMENDMENT = "amendment", _("Amendment")
    RENEWAL = "renewal", _("Renewal")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OUT_FOR_SIGNATURE = "out", _("Out for signature")
    SIGNED = "signed", _("Signed")
    SUPERSEDED = "superseded", _("Superseded")


class ContractVersion(TenantModel):
    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("placement")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=10, choices=ContractKind.choices)
    #: Null: the default text of the language (the agency had no template of its own).
    template = models.ForeignKey(
        ContractTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    language = models.CharField(
        _("language"), max_length=8, choices=ContractLanguage.choices, default="zh-hans"
    )
    #: The staff member party to this version, who signs it: the one confirmed when it
    #: was prepared, or the newcomer an amendment puts in (`replaces` names who leaves).
    staff = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    #: A staff replacement by amendment: the assignment the newcomer takes over when signed.
    replaces = models.ForeignKey(
        Assignment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaces"),
    )
    #: The terms and the parties as they were when this version was prepared (for an
    #: amendment, the proposed terms: the placement takes them when it is signed).
    terms = models.JSONField(_("terms"), default=dict)
    reason = models.TextField(_("reason"), blank=True, max_length=TEXT_MAX_LENGTH)
    document = models.FileField(
        _("contract (PDF)"), max_length=200, upload_to=GeneratedName("contracts"), blank=True
    )
    document_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    #: The signed document with its signature page: set once, when all have signed.
    final_document = models.FileField(
        _("signed contract (PDF)"),
        max_length=200,
        upload_to=GeneratedName("contracts"),
        blank=True,
    )
    final_sha256 = models.CharField(max_length=64, blank=True)
    #: The page's or the API's key of the amendment that made it (a double click, a retry).
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        ordering = ["placement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "number"], name="contract_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="contract_version_submission_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement} #{self.number}"
