"""The portal's API under /api/portal/<agency_slug>/: sign in with a texted code, then read
one's own orders and invoices. Customer auth only (portal.authentication), never a member's.

Every object is fetched through portal.selectors, scoped to (agency, customer): another
customer's id answers 404 like a missing one.
"""

from typing import Any, cast

from axes.helpers import get_client_ip_address
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agency.models import Agency
from orders.models import Customer, Invoice, Order
from portal import selectors, services, session
from portal.authentication import IsPortalCustomer, PortalCustomer, PortalSessionAuthentication
from portal.serializers import (
    CodeRequestSerializer,
    CodeVerifySerializer,
    DetailSerializer,
    PortalInvoiceSerializer,
    PortalMeSerializer,
    PortalOrderDetailSerializer,
    PortalOrderSerializer,
)
from portal.views.base import portal_language
from portal.views.sign_in import sent_message

AGENCY_SLUG = OpenApiParameter(
    "agency_slug", str, OpenApiParameter.PATH, description="The agency's short name."
)


class PortalAPIMixin(APIView):
    """The agency of the address (404 if none), and the customer's language for answers."""

    authentication_classes = [PortalSessionAuthentication]
    permission_classes = [IsPortalCustomer]
    agency: Agency

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.agency = get_object_or_404(Agency, slug=kwargs["agency_slug"])
        super().initial(request, *args, **kwargs)
        user = request.user
        customer = user.customer if isinstance(user, PortalCustomer) else None
        translation.activate(portal_language(request, agency=self.agency, customer=customer))
        request.LANGUAGE_CODE = translation.get_language()

    @property
    def customer(self) -> Customer:
        return cast(PortalCustomer, self.request.user).customer

    def get_serializer_context(self) -> dict[str, Any]:
        return {"request": self.request, "view": self, "agency_slug": self.agency.slug}


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class CodeRequestView(PortalAPIMixin):
    permission_classes = [AllowAny]

    @extend_schema(
        request=CodeRequestSerializer,
        responses={202: DetailSerializer, 400: DetailSerializer, 429: DetailSerializer},
        summary="Text a sign-in code to the phone (the same answer for any phone)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CodeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.code_request(
                agency=self.agency,
                phone=serializer.validated_data["phone"],
                ip_address=get_client_ip_address(request),
            )
        except DjangoValidationError as error:
            return Response(
                {"detail": " ".join(error.messages)}, status=status.HTTP_429_TOO_MANY_REQUESTS
            )
        return Response({"detail": sent_message()}, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class CodeVerifyView(PortalAPIMixin):
    permission_classes = [AllowAny]

    @extend_schema(
        request=CodeVerifySerializer,
        responses={200: PortalMeSerializer, 400: DetailSerializer},
        summary="Sign in with the texted code: the session cookie then authenticates",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CodeVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = services.code_verify(
            agency=self.agency,
            phone=serializer.validated_data["phone"],
            code=serializer.validated_data["code"],
            ip_address=get_client_ip_address(request),
        )
        if isinstance(outcome, services.Refusal):
            return Response(
                {"code": [outcome.message], "refusal": outcome.value},
                status=status.HTTP_400_BAD_REQUEST,
            )
        session.sign_in(request._request, agency=self.agency, customer_id=outcome.pk)
        return Response(PortalMeSerializer(outcome).data)


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class SignOutView(PortalAPIMixin):
    @extend_schema(request=None, responses={204: None}, summary="Sign out of this agency")
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        session.sign_out(request._request, agency=self.agency)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class MeView(PortalAPIMixin):
    @extend_schema(responses=PortalMeSerializer, summary="The signed-in customer")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(PortalMeSerializer(self.customer).data)


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class OrderViewSet(PortalAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet[Order]):
    """The customer's orders, the latest first; one with the people serving it."""

    model = Order
    serializer_class = PortalOrderSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Order]:
        return selectors.orders_for(agency=self.agency, customer=self.customer).order_by(
            "-starts_at", "-id"
        )

    @extend_schema(responses=PortalOrderDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        order = get_object_or_404(
            selectors.order_detail(agency=self.agency, customer=self.customer).select_related(
                "agency"
            ),
            pk=kwargs["pk"],
        )
        order.cards = selectors.staff_cards(order)  # type: ignore[attr-defined]
        context = self.get_serializer_context()
        return Response(PortalOrderDetailSerializer(order, context=context).data)


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class InvoiceViewSet(PortalAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet[Invoice]):
    """The customer's issued invoices, newest first, with their receipts and PDF links."""

    model = Invoice
    serializer_class = PortalInvoiceSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Invoice]:
        return selectors.invoices_for(agency=self.agency, customer=self.customer)
