"""The schedule board through the API: the lanes of a range (`/api/schedule/`), and the
board's actions — propose a person for a job, move a job, swap two jobs' people,
release one — each through the same service as the page. Those that book honour
the Idempotency-Key header."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, TenantAPIView, TenantViewSet
from agency.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from agency.models import Agency
from agency.permissions import Area
from orders import live
from orders.models import Assignment, Order
from orders.schedule import selectors
from orders.schedule.selectors import Filters, Period
from orders.schedule.serializers import (
    MoveSerializer,
    ProposeOneSerializer,
    ReleaseOneSerializer,
    ScheduleQuerySerializer,
    ScheduleSerializer,
    SwapSerializer,
)
from orders.schedule.services import assignments_swap, order_move
from orders.staffing.matching import orders_to_match
from orders.staffing.serializers import AssignmentSerializer
from orders.staffing.services import assignment_propose, assignment_release


class ScheduleView(TenantAPIView):
    area = Area.SCHEDULE

    @extend_schema(
        summary="The schedule board: one lane per active staff member with their jobs",
        parameters=[ScheduleQuerySerializer],
        responses=ScheduleSerializer,
    )
    def get(self, request: Request) -> Response:
        query = ScheduleQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        data = query.validated_data
        first_day = data.get("start") or self.agency.today()
        period = Period.spanning(self.agency, first_day, data["days"])
        staff = data.get("staff")
        filters = Filters(
            branch=data.get("branch"),
            skill=data["skill"],
            level=data.get("level"),
            service=data.get("service"),
            staff_ids=[member.pk for member in staff] if staff else None,
        )
        stamp = live.stamp(self.agency.pk)
        board = selectors.board(self.agency, period, filters)
        board.stamp = stamp
        return Response(ScheduleSerializer(board).data)


class ScheduleJobViewSet(ActionInputMixin, TenantViewSet):
    """A job on the board (an order): propose a person, move it."""

    area = Area.SCHEDULE
    model = Order

    def tenant_queryset(self, agency: Agency) -> QuerySet[Order]:
        return orders_to_match(agency=agency)

    @extend_schema(
        summary="Propose a person for the job (a drop on their lane)",
        description="The same rules as the matching page: a person who fails a hard rule is "
        "a 400 with the reasons; one booked meanwhile by someone else a 409.",
        request=ProposeOneSerializer,
        responses={201: AssignmentSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def propose(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = self.action_input(ProposeOneSerializer)
        (proposed,) = assignment_propose(order=order, staff_list=[data["staff"]], actor=self.actor)
        return Response(AssignmentSerializer(proposed).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move the job to another start, keeping its length; its people move with it",
        description="A person booked or on time off at the new time refuses the move (409 or "
        "400, naming the clash); staff and customer are told.",
        request=MoveSerializer,
        responses=AssignmentSerializer(many=True),
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def move(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = self.action_input(MoveSerializer)
        moved = order_move(order=order, starts_at=data["starts_at"], actor=self.actor)
        holding = selectors.holding_of(moved)
        return Response(AssignmentSerializer(holding, many=True).data)


class ScheduleAssignmentViewSet(ActionInputMixin, TenantViewSet):
    """A person on a job: swap with another job's person, release."""

    area = Area.SCHEDULE
    model = Assignment

    def tenant_queryset(self, agency: Agency) -> QuerySet[Assignment]:
        return Assignment.objects.filter(agency=agency).select_related("order__agency", "staff")

    @extend_schema(
        summary="Swap two jobs' people: each takes the other's place, both checked",
        request=SwapSerializer,
        responses=AssignmentSerializer(many=True),
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def swap(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        data = self.action_input(SwapSerializer)
        arrivals = assignments_swap(first=assignment, second=data["second"], actor=self.actor)
        return Response(AssignmentSerializer(list(arrivals), many=True).data)

    @extend_schema(
        summary="Release the person from the job (before the service)",
        request=ReleaseOneSerializer,
        responses=AssignmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        data = self.action_input(ReleaseOneSerializer)
        released = assignment_release(
            order=assignment.order, assignment=assignment, reason=data["reason"], actor=self.actor
        )
        return Response(AssignmentSerializer(released).data)
