"""The contracts API's shapes: a template version, a contract version, preparing one."""

from rest_framework import serializers

from agency.serializers import SignedFileField, TenantPrimaryKeyRelatedField
from orders.models import ServiceType
from placements.models import ContractLanguage, ContractTemplate, ContractVersion
from placements.models.contracts import BODY_MAX_LENGTH


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


class ContractVersionSerializer(serializers.ModelSerializer):
    document = SignedFileField(read_only=True)
    final_document = SignedFileField(read_only=True)

    class Meta:
        model = ContractVersion
        fields = [
            "id",
            "number",
            "kind",
            "language",
            "template",
            "reason",
            "status",
            "document",
            "document_sha256",
            "sent_at",
            "signed_at",
            "final_document",
            "final_sha256",
        ]
        read_only_fields = fields


class ContractPrepareSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=ContractLanguage.choices, default="zh-hans")
