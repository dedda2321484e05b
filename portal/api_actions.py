"""The portal API's customer actions under /api/portal/<agency_slug>/: booking requests
(photos as multipart), rebook prefill, move and cancel (terms first), complaints, callbacks,
contact preferences, feedback. The same services as the pages, as the customer.

Idempotency-Key on the creates (booking requests, complaints, callbacks): a customer has
no user for `agency.idempotency.idempotent` to key by, so the key is stored as the
created row's submission key, the one a page's hidden field fills: a retry answers the
first result again (200, `Idempotent-Replayed: true`) and nothing is written twice. The
other actions are once by nature: a second cancellation or feedback is a 409.
"""

from typing import Any

from axes.helpers import get_client_ip_address
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from agency.audit import Actor
from agency.idempotency import IDEMPOTENCY_KEY_PARAMETER, RepeatedSubmission, key_of
from complaints.models import Complaint
from complaints.services.intake import complaint_file
from feedback.services import Answers, feedback_give
from orders.intake.serializers import CancellationTermsSerializer
from orders.intake.services.booking_requests import (
    booking_request_from_order,
    booking_request_submit,
)
from orders.intake.services.callbacks import callback_request
from orders.intake.services.cancellation import cancellation_terms, order_request_cancellation
from orders.intake.services.customers import customer_preferences_update
from orders.models import BookingRequest, Callback, Order, SignedVia
from orders.schedule.reschedule import order_request_reschedule, reschedule_terms
from portal import selectors
from portal.api import AGENCY_SLUG, PortalAPIMixin
from portal.serializers import DetailSerializer
from portal.serializers_actions import (
    BookingRequestInputSerializer,
    CallbackAnswerSerializer,
    CallbackInputSerializer,
    CancelAnswerSerializer,
    CancelInputSerializer,
    ComplaintAnswerSerializer,
    ComplaintInputSerializer,
    FeedbackInputSerializer,
    PortalBookingRequestSerializer,
    PreferencesSerializer,
    RebookSerializer,
    RescheduleAnswerSerializer,
    RescheduleInputSerializer,
    RescheduleTermsSerializer,
)
from portal.wording import cancel_answer, move_answer


class ActionMixin(PortalAPIMixin):
    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        return {**context, "agency": self.agency, "customer": self.customer}

    def valid(self, serializer_class: type[BaseSerializer], request: Request) -> Any:
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer

    @property
    def actor(self) -> Actor:
        return Actor.customer(self.customer.pk, ip_address=get_client_ip_address(self.request))

    def created_once(self, make: Any, answer: type[BaseSerializer]) -> Response:
        """Create with the Idempotency-Key as the submission key; a repeat answers the first."""
        try:
            created = make(key_of(self.request))
        except RepeatedSubmission as repeat:
            return Response(
                answer(repeat.earlier, context=self.get_serializer_context()).data,
                headers={"Idempotent-Replayed": "true"},
            )
        return Response(
            answer(created, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class OrderActionMixin(ActionMixin):
    """An action on one of the customer's orders: another customer's is a 404."""

    model = Order

    def order(self) -> Order:
        return get_object_or_404(
            selectors.orders_for(agency=self.agency, customer=self.customer).select_related(
                "agency", "customer", "needs_form__address"
            ),
            pk=self.kwargs["pk"],
        )


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class BookingRequestViewSet(
    ActionMixin, mixins.ListModelMixin, viewsets.GenericViewSet[BookingRequest]
):
    """The customer's booking requests, newest first; ask for a service (multipart for photos)."""

    serializer_class = PortalBookingRequestSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[BookingRequest]:
        return selectors.booking_requests_for(agency=self.agency, customer=self.customer)

    @extend_schema(
        request={
            "multipart/form-data": BookingRequestInputSerializer,
            "application/json": BookingRequestInputSerializer,
        },
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: PortalBookingRequestSerializer, 200: PortalBookingRequestSerializer},
        summary="Ask for a service: it waits on the office's intake to be quoted",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.valid(BookingRequestInputSerializer, request)
        return self.created_once(
            lambda key: booking_request_submit(
                customer=self.customer,
                actor=self.actor,
                wish=given.wish(),
                photos=given.validated_data.get("photos", []),
                submission_key=key,
            ),
            PortalBookingRequestSerializer,
        )


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class RebookView(OrderActionMixin):
    @extend_schema(
        responses=RebookSerializer,
        summary="A booking request prefilled from a past order (send it to booking-requests/)",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(RebookSerializer(booking_request_from_order(order=self.order())).data)


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class RescheduleView(OrderActionMixin):
    @extend_schema(
        responses=RescheduleTermsSerializer, summary="What moving the order would mean now"
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(RescheduleTermsSerializer(reschedule_terms(self.order())).data)

    @extend_schema(
        request=RescheduleInputSerializer,
        responses={200: RescheduleAnswerSerializer, 400: DetailSerializer, 409: DetailSerializer},
        summary="Move the order (at once while no staff hold it), else ask the office",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        order = self.order()
        given = self.valid(RescheduleInputSerializer, request).validated_data
        callback = order_request_reschedule(
            order=order, actor=self.actor, starts_at=given["starts_at"], reason=given["reason"]
        )
        return Response({"moved": callback is None, "detail": move_answer(moved=callback is None)})


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class CancelView(OrderActionMixin):
    @extend_schema(
        responses=CancellationTermsSerializer,
        summary="What cancelling the order would cost now (or why it cannot be)",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(CancellationTermsSerializer(cancellation_terms(self.order())).data)

    @extend_schema(
        request=CancelInputSerializer,
        responses={200: CancelAnswerSerializer, 400: DetailSerializer, 409: DetailSerializer},
        summary="Cancel, signed: free ones at once, a fee waits for the agency's manager",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        order = self.order()
        given = self.valid(CancelInputSerializer, request).validated_data
        cancellation = order_request_cancellation(
            order=order,
            actor=self.actor,
            reason=given["reason"],
            signed_name=given["signed_name"],
            via=SignedVia.LINK,
            user_agent=request.headers.get("User-Agent", ""),
        )
        return Response(
            {
                "status": cancellation.status,
                "fee": cancellation.fee,
                "detail": cancel_answer(fee=cancellation.fee),
            }
        )


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class FeedbackView(OrderActionMixin):
    @extend_schema(
        request=FeedbackInputSerializer,
        responses={201: FeedbackInputSerializer, 400: DetailSerializer, 409: DetailSerializer},
        summary="Feedback on a served order, at any time, once (again: 409)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        order = self.order()
        given = self.valid(FeedbackInputSerializer, request)
        feedback_give(order=order, actor=self.actor, answers=Answers(**given.validated_data))
        return Response(given.data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class ComplaintViewSet(ActionMixin, mixins.ListModelMixin, viewsets.GenericViewSet[Complaint]):
    """The customer's complaints, newest first; file one (multipart for photos)."""

    serializer_class = ComplaintAnswerSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Complaint]:
        return selectors.complaints_for(agency=self.agency, customer=self.customer)

    @extend_schema(
        request={
            "multipart/form-data": ComplaintInputSerializer,
            "application/json": ComplaintInputSerializer,
        },
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: ComplaintAnswerSerializer, 200: ComplaintAnswerSerializer},
        summary="File a complaint, about an order or in general, with photos",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.valid(ComplaintInputSerializer, request).validated_data
        return self.created_once(
            lambda key: complaint_file(
                customer=self.customer,
                actor=self.actor,
                category=given["category"],
                description=given["description"],
                desired_outcome=given.get("desired_outcome", ""),
                order=given.get("order"),
                attachments=given.get("attachments", []),
                submission_key=key,
            ),
            ComplaintAnswerSerializer,
        )


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class CallbackViewSet(ActionMixin, mixins.ListModelMixin, viewsets.GenericViewSet[Callback]):
    """The calls the office still owes the customer; ask for one."""

    serializer_class = CallbackAnswerSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Callback]:
        return selectors.callbacks_for(agency=self.agency, customer=self.customer)

    @extend_schema(
        request=CallbackInputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: CallbackAnswerSerializer, 200: CallbackAnswerSerializer},
        summary="Ask to be called back, at a chosen time or as soon as possible",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.valid(CallbackInputSerializer, request).validated_data
        return self.created_once(
            lambda key: callback_request(
                customer=self.customer,
                actor=self.actor,
                note=given["note"],
                when=given["when"],
                submission_key=key,
            ),
            CallbackAnswerSerializer,
        )


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class PreferencesView(ActionMixin):
    @extend_schema(responses=PreferencesSerializer, summary="How the customer hears from us")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(PreferencesSerializer(self.customer).data)

    @extend_schema(
        request=PreferencesSerializer,
        responses={200: PreferencesSerializer, 400: DetailSerializer},
        summary="Change some of them (channel, email, quiet hours, promotions, language)",
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = PreferencesSerializer(self.customer, data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        updated = customer_preferences_update(
            customer=self.customer, actor=self.actor, **given.validated_data
        )
        return Response(PreferencesSerializer(updated).data)
