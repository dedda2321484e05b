"""The contracts API's shapes: a template version, a contract version with its signatures,
preparing one, amending or renewing it, the manager's signature."""

from django.core.exceptions import ValidationError
from rest_framework import serializers

from agency.bounds import TEXT_MAX_LENGTH
from agency.serializers import SignedFileField, TenantPrimaryKeyRelatedField
from agency.uploads import MAX_UPLOAD_BYTES
from orders.models import ServiceType
from placements.models import (
    ContractKind,
    ContractLanguage,
    ContractSignature,
    ContractTemplate,
    ContractVersion,
)
from placements.models.contracts import BODY_MAX_LENGTH
from placements.serializers import PlacementTermsSerializer
from placements.signing import png_from_data_url
from staff.models import StaffMember


class ContractTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractTemplate
        fields = ["id", "service_type", "language", "version", "body", "created_at"]
        read_only_fields = fields


class ContractTemplateSaveSerializer(serializers.Serializer):
    """A new version of the template of this service and language."""

    service_type = TenantPrimaryKeyRelatedField(ServiceType)
    language = serializers.ChoiceField(choices=ContractLanguage.choices)
    body = serializers.CharField(max_length=BODY_MAX_LENGTH)


class ContractSignatureSerializer(serializers.ModelSerializer):
    """One party's signature: when, from where, on which PDF (its hash)."""

    image = SignedFileField(read_only=True)
    signed_by = serializers.CharField(source="signed_by.username", default=None, read_only=True)

    class Meta:
        model = ContractSignature
        fields = ["party", "signed_at", "ip_address", "document_sha256", "image", "signed_by"]
        read_only_fields = fields


class ContractVersionSerializer(serializers.ModelSerializer):
    document = SignedFileField(read_only=True)
    final_document = SignedFileField(read_only=True)
    staff_name = serializers.CharField(source="staff.name", default=None, read_only=True)
    signatures = ContractSignatureSerializer(many=True, read_only=True)

    class Meta:
        model = ContractVersion
        fields = [
            "id",
            "number",
            "kind",
            "language",
            "template",
            "staff",
            "staff_name",
            "replaces",
            "reason",
            "status",
            "document",
            "document_sha256",
            "sent_at",
            "signed_at",
            "final_document",
            "final_sha256",
            "signatures",
        ]
        read_only_fields = fields


class ContractPrepareSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=ContractLanguage.choices, default="zh-hans")


class AmendSerializer(PlacementTermsSerializer):
    """Every term as the new version would have it, why, and who takes over (if anyone)."""

    kind = serializers.ChoiceField(
        choices=[ContractKind.AMENDMENT, ContractKind.RENEWAL], default=ContractKind.AMENDMENT
    )
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    staff = TenantPrimaryKeyRelatedField(StaffMember, required=False, allow_null=True)

    class Meta(PlacementTermsSerializer.Meta):
        fields = [*PlacementTermsSerializer.Meta.fields, "kind", "reason", "staff"]


class AgencySignSerializer(serializers.Serializer):
    """The manager's drawn signature (a PNG data URL) and the hash of the PDF they read."""

    image = serializers.CharField(max_length=MAX_UPLOAD_BYTES * 4 // 3)
    document_sha256 = serializers.CharField(max_length=64)

    def validate_image(self, value: str) -> bytes:
        try:
            return png_from_data_url(value)
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict["image"]) from error
