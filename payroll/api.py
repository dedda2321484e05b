"""The payroll API (issue 21) for finance and managers: periods (open, compute, approve,
record paid, the CSV), statements with their lines, the rates and the policy. Thin: reads
through `payroll.selectors`, writes through `payroll.statements`, `payroll.compute` and
`payroll.rules`. A refused state change is a 409, bad input a 400 by field."""

from collections.abc import Mapping
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import (
    ActionInputMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    TenantAPIView,
    TenantViewSet,
)
from agency.models import Agency
from agency.permissions import Area
from payroll import selectors
from payroll.compute import period_compute
from payroll.export import period_csv
from payroll.models import PayPeriod, PayRate, PayStatement, StatementStatus
from payroll.rates import policy_for
from payroll.rules import RATE_FIELDS, pay_policy_save, pay_rate_delete, pay_rate_save
from payroll.serializers import (
    PayPeriodOpenSerializer,
    PayPeriodSerializer,
    PayPolicySerializer,
    PayRateSerializer,
    PayStatementDetailSerializer,
    PayStatementSerializer,
    PeriodCountSerializer,
)
from payroll.statements import (
    pay_period_open,
    period_approve,
    period_pay,
    statement_approve,
    statement_pay,
)

REFUSED = OpenApiResponse(description="Refused in this state (e.g. approved already)")


class CsvRenderer(BaseRenderer):
    """Lets a client ask for the CSV by `Accept: text/csv`: the view writes the CSV itself;
    an error (404, 403) is said in JSON even then."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> Any:
        return JSONRenderer().render(data)


@extend_schema_view(
    list=extend_schema(summary="The pay periods, latest first, with their figures"),
    retrieve=extend_schema(summary="A pay period with its figures"),
    create=extend_schema(
        summary="Open a calendar month's period (opening it again answers the first)",
        request=PayPeriodOpenSerializer,
        responses={201: PayPeriodSerializer},
    ),
)
class PayPeriodViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    ActionInputMixin,
    TenantViewSet,
):
    area = Area.PAYROLL
    model = PayPeriod
    serializer_class = PayPeriodSerializer
    input_serializer_class = PayPeriodOpenSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[PayPeriod]:
        return selectors.periods_for(agency=agency)

    def create_with(self, **data: Any) -> PayPeriod:
        period = pay_period_open(agency=self.agency, actor=self.actor, **data)
        return self.get_queryset().get(pk=period.pk)  # with its figures

    @extend_schema(
        summary="Compute (again) the period's draft statements and those needing attention",
        request=None,
        responses={200: PeriodCountSerializer},
    )
    @action(detail=True, methods=["post"])
    def compute(self, request: Request, pk: str | None = None) -> Response:
        count = period_compute(period=self.get_object(), actor=self.actor)
        return Response({"count": count})

    @extend_schema(
        summary="Approve every draft statement (those needing attention wait)",
        request=None,
        responses={200: PeriodCountSerializer, 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return Response({"count": period_approve(period=self.get_object(), actor=self.actor)})

    @extend_schema(
        summary="Record every approved statement paid",
        request=None,
        responses={200: PeriodCountSerializer},
    )
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: str | None = None) -> Response:
        return Response({"count": period_pay(period=self.get_object(), actor=self.actor)})

    @extend_schema(
        summary="The period's approved and paid statements as CSV (UTF-8 with a BOM)",
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, CsvRenderer])
    def export(self, request: Request, pk: str | None = None) -> HttpResponse:
        period = self.get_object()
        body = "\ufeff" + period_csv(agency=self.agency, period=period)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="payroll-{period.starts_on:%Y-%m}.csv"'
        )
        return response


class PayStatementFilter(django_filters.FilterSet):
    # By id, not a choice of every agency's periods: another agency's id finds nothing.
    period = django_filters.NumberFilter(field_name="period_id")
    status = django_filters.ChoiceFilter(choices=StatementStatus.choices)

    class Meta:
        model = PayStatement
        fields = ["period", "status"]


@extend_schema_view(
    list=extend_schema(summary="Pay statements, by period and status"),
    retrieve=extend_schema(
        summary="A pay statement with its lines", responses=PayStatementDetailSerializer
    ),
)
class PayStatementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    area = Area.PAYROLL
    model = PayStatement
    serializer_class = PayStatementSerializer
    filterset_class = PayStatementFilter

    def tenant_queryset(self, agency: Agency) -> QuerySet[PayStatement]:
        statements = selectors.statement_with_lines(agency=agency)
        if self.action == "list":
            statements = statements.prefetch_related(None)  # the lines only on one statement
        return statements.order_by("-period__starts_on", "staff__name", "pk")

    def get_serializer_class(self) -> Any:
        return PayStatementDetailSerializer if self.action == "retrieve" else PayStatementSerializer

    @extend_schema(
        summary="Approve a draft statement (409 if it needs attention or is approved already)",
        request=None,
        responses={200: PayStatementSerializer, 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        statement = statement_approve(statement=self.get_object(), actor=self.actor)
        return Response(PayStatementSerializer(self._fresh(statement)).data)

    @extend_schema(
        summary="Record an approved statement paid (409 otherwise); it never changes again",
        request=None,
        responses={200: PayStatementSerializer, 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: str | None = None) -> Response:
        statement = statement_pay(statement=self.get_object(), actor=self.actor)
        return Response(PayStatementSerializer(self._fresh(statement)).data)

    def _fresh(self, statement: PayStatement) -> PayStatement:
        return (
            selectors.statement_with_lines(agency=self.agency)
            .prefetch_related(None)
            .get(pk=statement.pk)
        )


@extend_schema_view(
    list=extend_schema(summary="The agency's pay rates"),
    create=extend_schema(summary="Add a pay rate (one per service and level or staff member)"),
    update=extend_schema(summary="Change a pay rate"),
    partial_update=extend_schema(summary="Change part of a pay rate"),
    destroy=extend_schema(summary="Remove a pay rate"),
)
class PayRateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    mixins.DestroyModelMixin,
    TenantViewSet,
):
    area = Area.PAYROLL
    model = PayRate
    serializer_class = PayRateSerializer
    filterset_fields = ["kind"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[PayRate]:
        return selectors.pay_rates_for(agency=agency)

    def create_with(self, **data: Any) -> PayRate:
        return pay_rate_save(agency=self.agency, actor=self.actor, **data)

    def update_with(self, instance: PayRate, **data: Any) -> PayRate:
        values = {name: getattr(instance, name) for name in RATE_FIELDS}
        return pay_rate_save(
            agency=self.agency, actor=self.actor, rate=instance, **{**values, **data}
        )

    def perform_destroy(self, instance: PayRate) -> None:
        pay_rate_delete(rate=instance, actor=self.actor)


class PayPolicyView(TenantAPIView):
    """`GET|PUT /api/pay-policy/`: the agency's pay policy (the defaults until it saves one)."""

    area = Area.PAYROLL

    @extend_schema(summary="The pay policy", responses=PayPolicySerializer)
    def get(self, request: Request) -> Response:
        return Response(PayPolicySerializer(policy_for(self.agency)).data)

    @extend_schema(
        summary="Set the pay policy (fields left out keep their value)",
        request=PayPolicySerializer,
        responses=PayPolicySerializer,
    )
    def put(self, request: Request) -> Response:
        serializer = PayPolicySerializer(policy_for(self.agency), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        policy = pay_policy_save(agency=self.agency, actor=self.actor, **serializer.validated_data)
        return Response(PayPolicySerializer(policy).data, status=status.HTTP_200_OK)
