"""The revisit queue and the customers' feedback, over the API.

Thin, like `complaints.api`: reads through `feedback.selectors` for the
request's agency, writes through `feedback.revisits`, which holds every rule
(who may log, in which state, the retries). Another agency's id answers 404
like a missing one. There is no endpoint that writes a `FeedbackResponse`:
only the customer fills in the feedback form, through their link (DESIGN.md,
"Feedback and revisits"); a phone survey is a revisit's outcome.
"""

import django_filters
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, TenantViewSet
from agency.filters import DayFilter
from agency.models import Agency
from agency.permissions import Area
from feedback import revisits, selectors
from feedback.models import (
    FeedbackResponse,
    Revisit,
    RevisitAttempt,
    RevisitKind,
    RevisitStatus,
)
from feedback.serializers import (
    FeedbackResponseSerializer,
    RevisitAssignSerializer,
    RevisitDetailSerializer,
    RevisitLogSerializer,
    RevisitSerializer,
)
from orders.models import Assignment, AssignmentStatus

QUEUE_VIEWS = [
    ("today", _("due by the end of today")),
    ("overdue", _("overdue by more than a day")),
    ("all", _("every open one")),
]


class RevisitFilter(django_filters.FilterSet):
    view = django_filters.ChoiceFilter(
        label=_("queue"),
        choices=QUEUE_VIEWS,
        method="filter_view",
        help_text="The dispatcher's queue (open calls, the oldest first): due by the end of "
        "today in the agency's time zone, overdue by more than a day, or every open one. "
        "Without it: every revisit, letters and closed ones included.",
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=RevisitKind.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=RevisitStatus.choices)
    assignee = django_filters.NumberFilter(label=_("assignee"), field_name="assignee_id")
    customer = django_filters.NumberFilter(label=_("customer"), field_name="customer_id")

    class Meta:
        model = Revisit
        fields = ["view", "kind", "status", "assignee", "customer"]

    def filter_view(self, queryset: QuerySet[Revisit], name: str, value: str) -> QuerySet[Revisit]:
        # The viewset took the queue from `selectors.revisit_queue` already.
        return queryset


@extend_schema_view(
    list=extend_schema(summary="Revisits (回访); `?view=today` for the dispatcher's queue"),
    retrieve=extend_schema(summary="A revisit with every call made for it"),
)
class RevisitViewSet(
    ActionInputMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """The office's revisits: logged and assigned by dispatchers, supervisors and managers.
    Closed already: 409; not the office: 403."""

    area = Area.REVISITS
    model = Revisit
    filterset_class = RevisitFilter
    ordering_fields = ["due_at"]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return RevisitSerializer if self.action == "list" else RevisitDetailSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Revisit]:
        if self.action == "list":
            view = self.request.query_params.get("view")
            if view:
                return selectors.revisit_queue(agency=agency, now=timezone.now(), view=view)
            return selectors.revisits_for(agency=agency).order_by("due_at", "id")
        if self.action == "retrieve":
            return self._detail(agency)
        # The actions: the service locks and reads the row again itself.
        return Revisit.objects.filter(agency=agency)

    def _detail(self, agency: Agency) -> QuerySet[Revisit]:
        return selectors.revisits_for(agency=agency).prefetch_related(
            Prefetch("attempt_log", queryset=RevisitAttempt.objects.select_related("by"))
        )

    def answer(self, revisit: Revisit) -> Response:
        fresh = self._detail(self.agency).get(pk=revisit.pk)
        return Response(RevisitDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Log a call: reached or declined closes it, not reached tries again later",
        description="Not reached moves the revisit to the next calling slot until the "
        "policy's attempts are used up. A satisfaction score only for a customer reached "
        "(400). A letter, or a revisit done or dropped: 409.",
        request=RevisitLogSerializer,
        responses=RevisitDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def log(self, request: Request, pk: str | None = None) -> Response:
        revisit = self.get_object()
        data = self.action_input(RevisitLogSerializer)
        return self.answer(revisits.revisit_log(revisit=revisit, actor=self.actor, **data))

    @extend_schema(
        summary="Give the revisit to an office member",
        description="`assignee`: the user id of an active dispatcher, supervisor or manager "
        "of the agency (anyone else: 400).",
        request=RevisitAssignSerializer,
        responses=RevisitDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        revisit = self.get_object()
        data = self.action_input(RevisitAssignSerializer)
        return self.answer(
            revisits.revisit_assign(revisit=revisit, actor=self.actor, assignee=data["assignee"])
        )


# --- feedback -------------------------------------------------------------------------


class FeedbackFilter(django_filters.FilterSet):
    submitted_after = DayFilter(
        label=_("submitted from"), field_name="submitted_at", lookup_expr="date__gte"
    )
    submitted_before = DayFilter(
        label=_("submitted until"), field_name="submitted_at", lookup_expr="date__lte"
    )
    staff = django_filters.NumberFilter(
        label=_("staff member"),
        method="filter_staff",
        help_text="A staff member who served the order (a confirmed assignment).",
    )
    service_type = django_filters.NumberFilter(
        label=_("service type"), field_name="request__order__service_type_id"
    )
    branch = django_filters.NumberFilter(label=_("branch"), field_name="request__order__branch_id")
    customer = django_filters.NumberFilter(label=_("customer"), field_name="request__customer_id")

    class Meta:
        model = FeedbackResponse
        fields = [
            "submitted_after",
            "submitted_before",
            "staff",
            "service_type",
            "branch",
            "customer",
        ]

    def filter_staff(
        self, queryset: QuerySet[FeedbackResponse], name: str, value: int
    ) -> QuerySet[FeedbackResponse]:
        served = Assignment.objects.filter(
            order=OuterRef("request__order"), staff_id=value, status=AssignmentStatus.CONFIRMED
        )
        return queryset.filter(Exists(served))


@extend_schema_view(
    list=extend_schema(
        summary="The customers' feedback; by period, staff member, service type",
        description="Read only: answers come from the customers' own links.",
    ),
    retrieve=extend_schema(summary="One customer's answers"),
)
class FeedbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Feedback results (顾客满意度) for managers and supervisors (the reports area)."""

    area = Area.REPORTS
    model = FeedbackResponse
    serializer_class = FeedbackResponseSerializer
    filterset_class = FeedbackFilter
    ordering_fields = ["submitted_at", "overall"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[FeedbackResponse]:
        served = Assignment.objects.filter(status=AssignmentStatus.CONFIRMED).select_related(
            "staff"
        )
        return (
            FeedbackResponse.objects.filter(agency=agency)
            .select_related(
                "request__order__service_type",
                "request__customer",
            )
            .prefetch_related(
                Prefetch("request__order__assignments", queryset=served, to_attr="served")
            )
        )
