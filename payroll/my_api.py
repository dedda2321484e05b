"""The staff member's own pay in the API (issue 21, Area.MY_PAY): `/api/my/pay-statements/`,
their approved and paid statements, the latest first; one with its lines; its PDF. A draft,
or another person's statement, answers 404."""

from django.db.models import QuerySet
from django.http import HttpResponseBase
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request

from agency.api import TenantViewSet
from agency.documents import DOCUMENT_RESPONSES, document_api_response
from agency.models import Agency
from agency.pdf import PDF_RENDERERS
from agency.permissions import Area
from payroll.models import PayStatement
from payroll.my_serializers import MyPayStatementDetailSerializer, MyPayStatementSerializer
from payroll.pdf import statement_document
from payroll.selectors import own_statements, statement_with_lines


@extend_schema_view(
    list=extend_schema(summary="My pay statements, approved and paid, the latest first"),
    retrieve=extend_schema(summary="One of my pay statements, with its lines"),
)
class MyPayStatementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The requesting staff member's own statements; drafts are finance's, never shown."""

    area = Area.MY_PAY
    model = PayStatement
    #: The isolation sweep makes "own" objects belong to the requesting user through this.
    owner_lookup = "staff__user"

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return MyPayStatementSerializer if self.action == "list" else MyPayStatementDetailSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[PayStatement]:
        own = own_statements(agency=agency, user=self.user)
        if self.action == "list":
            return own
        return statement_with_lines(agency=agency).filter(pk__in=own.values("pk"))

    @extend_schema(
        summary="My pay statement as a PDF, in the language it was computed in",
        responses=DOCUMENT_RESPONSES,
    )
    @action(detail=True, methods=["get"], renderer_classes=PDF_RENDERERS)
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        return document_api_response(key=statement_document(self.get_object()))
