"""`GET /api/portal/<agency>/contracts/`: the customer's placement contract versions,
each with the link to its PDF (the portal's download, for this customer only)."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets

from placements.models import ContractVersion
from portal.api import AGENCY_SLUG, PortalAPIMixin
from portal.contracts import contract_pdf, contract_versions_for


class PortalContractVersionSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="placement.order.number", read_only=True)
    service = serializers.CharField(source="placement.order.service_type.name", read_only=True)
    starts_on = serializers.DateField(source="placement.starts_on", read_only=True)
    ends_on = serializers.DateField(source="placement.ends_on", read_only=True)
    signed = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = ContractVersion
        fields = [
            "id",
            "order_number",
            "service",
            "starts_on",
            "ends_on",
            "kind",
            "number",
            "status",
            "sent_at",
            "signed_at",
            "signed",
            "pdf_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_signed(self, version: ContractVersion) -> bool:
        """Whether the PDF is the final one, with every party's signature."""
        return bool(version.final_document)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pdf_url(self, version: ContractVersion) -> str | None:
        if contract_pdf(version) is None:
            return None
        slug = self.context["agency_slug"]
        return reverse("portal:contract_pdf", kwargs={"agency_slug": slug, "pk": version.pk})


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class ContractViewSet(PortalAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet[Any]):
    """The customer's contract versions (drafts are the office's), newest placement first."""

    model = ContractVersion
    serializer_class = PortalContractVersionSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ContractVersion]:
        return contract_versions_for(agency=self.agency, customer=self.customer)
