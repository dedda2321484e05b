"""The complaints API: the desk and the log, taking a complaint, each step of its handling,
and the agency's SLA policy.

Thin, like `orders.api`: reads through `complaints.selectors` for the request's
agency, writes through `complaints.services`, which hold every rule (who may,
in which state, the deadlines). Each step is a POST to its own URL
(`/api/complaints/{id}/respond/`) and looks the complaint up with `get_object`,
so another agency's id answers 404 like a missing one; each answers with the
complaint as its detail shows it, read again.
"""

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import (
    AGENCY_HEADER_PARAMETER,
    ActionInputMixin,
    ServiceCreateMixin,
    TenantAPIView,
    TenantViewSet,
)
from agency.idempotency import IDEMPOTENCY_KEY_PARAMETER, IdempotentCreateMixin
from agency.models import Agency
from agency.parsers import UPLOAD_PARSERS
from agency.permissions import Area
from complaints import policy, selectors
from complaints.filters import ComplaintFilter
from complaints.models import ACTIVE, Complaint, Holiday, OfficeHours
from complaints.serializers import (
    AssignSerializer,
    AttachmentUploadSerializer,
    CloseSerializer,
    ComplaintDetailSerializer,
    ComplaintSerializer,
    ComplaintTakeSerializer,
    FollowUpSerializer,
    HolidaySerializer,
    OfficeHoursSerializer,
    OfficeHoursSetSerializer,
    PauseSerializer,
    PromiseReplySerializer,
    ReasonSerializer,
    ResolveSerializer,
    RespondSerializer,
    SecondResponseSerializer,
    SeveritySerializer,
    SlaPolicyDetailSerializer,
    SlaPolicySerializer,
    TextSerializer,
    WarrantySerializer,
)
from complaints.services import handling, procedure
from complaints.services.attachments import complaint_attach
from complaints.services.deadlines import complaint_pause, complaint_resume
from complaints.services.escalation import complaint_raise, complaint_set_severity
from complaints.services.intake import Intake, complaint_take

TRUE_VALUES = frozenset({"true", "1"})


class ComplaintApiFilter(ComplaintFilter):
    """The log's filters, and `open` for the desk."""

    open = django_filters.BooleanFilter(
        label=gettext_lazy("open"),
        method="filter_open",
        help_text="true: the desk, the open complaints ordered by their nearest running "
        "deadline; false: the followed-up and closed ones.",
    )

    owner = django_filters.NumberFilter(
        label=gettext_lazy("owner"), field_name="owner_id", help_text="The owner's user id."
    )
    unowned = django_filters.BooleanFilter(
        label=gettext_lazy("no owner"),
        field_name="owner",
        lookup_expr="isnull",
        help_text="true: the complaints nobody owns (an alert).",
    )
    repeat = django_filters.BooleanFilter(
        label=gettext_lazy("repeat problems only"),
        method="filter_repeat",
        help_text="true: the repeat problems (same customer, or same staff member and "
        "category, within the agency's window).",
    )

    class Meta(ComplaintFilter.Meta):
        fields = [*ComplaintFilter.Meta.fields, "open", "owner", "unowned", "repeat"]

    def filter_repeat(
        self, queryset: QuerySet[Complaint], name: str, value: bool
    ) -> QuerySet[Complaint]:
        flagged = Q(repeat_customer=True) | Q(repeat_staff=True)
        return queryset.filter(flagged) if value else queryset.exclude(flagged)

    def filter_open(
        self, queryset: QuerySet[Complaint], name: str, value: bool
    ) -> QuerySet[Complaint]:
        return queryset.filter(status__in=ACTIVE) if value else queryset.exclude(status__in=ACTIVE)


@extend_schema_view(
    list=extend_schema(summary="The complaint log; `?open=true` for the desk"),
    retrieve=extend_schema(
        summary="A complaint: every deadline side by side, the timeline, escalations, attachments"
    ),
    create=extend_schema(
        summary="Take a complaint: its number, deadlines, the customer's flag",
        description="JSON, or multipart/form-data with `attachments`. A major complaint is "
        "reported to the department head at once.",
        request={
            "application/json": ComplaintTakeSerializer,
            "multipart/form-data": ComplaintTakeSerializer,
        },
        responses={201: ComplaintDetailSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    ),
)
class ComplaintViewSet(
    ActionInputMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    IdempotentCreateMixin,
    ServiceCreateMixin,
    TenantViewSet,
):
    """Complaints (投诉): the office takes and works them; wrong state 409, wrong role 403."""

    area = Area.COMPLAINTS
    model = Complaint
    filterset_class = ComplaintApiFilter
    ordering_fields = ["received_at", "number"]
    input_serializer_class = ComplaintTakeSerializer
    parser_classes = UPLOAD_PARSERS

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return ComplaintSerializer if self.action == "list" else ComplaintDetailSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Complaint]:
        if self.action == "list":
            if self.request.query_params.get("open", "").lower() in TRUE_VALUES:
                return selectors.complaint_desk(agency=agency)
            return selectors.complaint_log(agency=agency)
        if self.action == "retrieve":
            return selectors.complaint_detail(agency=agency)
        # The steps: the service locks and reads the row again itself.
        return selectors.complaints_for(agency=agency)

    def detail_of(self, complaint: Complaint) -> dict[str, Any]:
        """The complaint as the detail shows it, read again after a service changed it."""
        fresh = selectors.complaint_detail(agency=self.agency).get(pk=complaint.pk)
        return dict(ComplaintDetailSerializer(fresh, context=self.get_serializer_context()).data)

    def answer(self, complaint: Complaint, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.detail_of(complaint), status=code)

    def create_with(self, **data: Any) -> Complaint:
        attachments = data.pop("attachments")
        try:
            complaint = complaint_take(
                agency=self.agency,
                actor=self.actor,
                intake=Intake(**data),
                attachments=attachments,
            )
        except DjangoValidationError as error:
            # An attachment is refused by the model's `file` validators; name the input.
            if hasattr(error, "error_dict") and "file" in error.error_dict:
                raise serializers.ValidationError(
                    {"attachments": error.message_dict["file"]}
                ) from error
            raise
        return selectors.complaint_detail(agency=self.agency).get(pk=complaint.pk)

    @extend_schema(
        summary="Respond to the customer (the first response meets its deadline)",
        description="It also meets a repair's contact deadline and a reply promised; "
        "`reply_by` promises a soft complaint's customer the next answer by then.",
        request=RespondSerializer,
        responses=ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(RespondSerializer)
        handling.complaint_respond(complaint=complaint, actor=self.actor, **data)
        return self.answer(complaint)

    @extend_schema(
        summary="Hand the complaint to another owner, with the reason",
        request=AssignSerializer,
        responses=ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(AssignSerializer)
        procedure.complaint_assign(complaint=complaint, actor=self.actor, **data)
        return self.answer(complaint)

    @extend_schema(
        summary="Promise a soft complaint's customer a reply by a time (a deadline)",
        description="Met by the next response to the customer; a hard complaint: 400.",
        request=PromiseReplySerializer,
        responses=ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="promise-reply")
    def promise_reply(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(PromiseReplySerializer)
        procedure.complaint_promise_reply(
            complaint=complaint, actor=self.actor, reply_by=data["reply_by"]
        )
        return self.answer(complaint)

    @extend_schema(
        summary="Escalate by hand to the next level (a supervisor or manager)",
        description="The branch's supervisors, then the managers, are told; the customer "
        "hears it went higher. At the managers already: 409; another role: 403.",
        request=ReasonSerializer,
        responses=ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(ReasonSerializer)
        complaint_raise(complaint=complaint, actor=self.actor, reason=data["reason"])
        return self.answer(complaint)

    @extend_schema(
        summary="Change the severity, with the reason (a supervisor or manager)",
        description="Made major, it is reported to the department head at once.",
        request=SeveritySerializer,
        responses=ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def severity(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(SeveritySerializer)
        complaint_set_severity(complaint=complaint, actor=self.actor, **data)
        return self.answer(complaint)

    @extend_schema(
        summary="A repair's warranty verdict: the definitive answer to the customer",
        description="Only a complaint about a repair or installation service: else 409.",
        request=WarrantySerializer,
        responses=ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def warranty(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(WarrantySerializer)
        procedure.complaint_assess_warranty(complaint=complaint, actor=self.actor, **data)
        return self.answer(complaint)

    @extend_schema(
        summary="Write an internal note on the timeline (it meets no deadline)",
        request=TextSerializer,
        responses={201: ComplaintDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(TextSerializer)
        handling.complaint_note(complaint=complaint, actor=self.actor, text=data["text"])
        return self.answer(complaint, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Verify a soft complaint's facts (核实), after the first response",
        description="A hard complaint, or one not yet responded to: 409.",
        request=TextSerializer,
        responses=ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(TextSerializer)
        handling.complaint_verify(complaint=complaint, actor=self.actor, text=data["text"])
        return self.answer(complaint)

    @extend_schema(
        summary="A hard complaint's second response, setting when it will be resolved",
        description="`resolve_by` becomes the resolution deadline; it must be in the future. "
        "A soft complaint, or one not yet responded to: 409.",
        request=SecondResponseSerializer,
        responses=ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="second-response")
    def second_response(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(SecondResponseSerializer)
        handling.complaint_second_response(
            complaint=complaint, actor=self.actor, text=data["text"], resolve_by=data["resolve_by"]
        )
        return self.answer(complaint)

    @extend_schema(
        summary="Resolve: the follow-up deadline starts",
        description="Soft: verified first; hard: the second response first (400 on `text`). "
        "`upheld` and `do_not_send` need a staff member concerned (400 on `upheld`).",
        request=ResolveSerializer,
        responses=ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(ResolveSerializer)
        handling.complaint_resolve(complaint=complaint, actor=self.actor, **data)
        return self.answer(complaint)

    @extend_schema(
        summary="The satisfaction follow-up after the resolution, with the customer's score",
        request=FollowUpSerializer,
        responses=ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(FollowUpSerializer)
        handling.complaint_follow_up(complaint=complaint, actor=self.actor, **data)
        return self.answer(complaint)

    @extend_schema(
        summary="Pause the clocks while waiting on the customer",
        description="Each running deadline keeps its time left and moves on by the paused "
        "time when resumed. Paused already, or not open: 409.",
        request=PauseSerializer,
        responses=ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(PauseSerializer)
        complaint_pause(complaint=complaint, actor=self.actor, reason=data["reason"])
        return self.answer(complaint)

    @extend_schema(
        summary="Start the clocks again (not paused: 409)",
        request=None,
        responses=ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        complaint_resume(complaint=complaint, actor=self.actor)
        return self.answer(complaint)

    @extend_schema(
        summary="Close, with the root cause: the deadlines still running no longer apply",
        description="Without `root_cause` and `root_cause_note`: 400.",
        request=CloseSerializer,
        responses=ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(CloseSerializer)
        handling.complaint_close(complaint=complaint, actor=self.actor, **data)
        return self.answer(complaint)

    @extend_schema(
        summary="Reopen: the customer is not satisfied, the clocks start again from now",
        request=TextSerializer,
        responses=ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(TextSerializer)
        handling.complaint_reopen(complaint=complaint, actor=self.actor, text=data["text"])
        return self.answer(complaint)

    @extend_schema(
        summary="Attach a photo or a scan (multipart/form-data)",
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: ComplaintDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.action_input(AttachmentUploadSerializer)
        complaint_attach(complaint=complaint, actor=self.actor, file=data["file"])
        return self.answer(complaint, status.HTTP_201_CREATED)


# --- the SLA policy ---------------------------------------------------------------


class SlaPolicyBase(TenantAPIView):
    """The office reads the policy, a manager changes it (DESIGN.md, "Who uses it")."""

    area = Area.COMPLAINTS
    write_area = Area.SETTINGS

    def policy_data(self) -> dict[str, Any]:
        """The policy as `GET /api/sla-policy/` shows it, read again after every change."""
        agency = self.agency
        data = dict(SlaPolicySerializer(policy.policy_for(agency)).data)
        data["office_hours"] = OfficeHoursSerializer(
            OfficeHours.objects.filter(agency=agency), many=True
        ).data
        data["holidays"] = HolidaySerializer(Holiday.objects.filter(agency=agency), many=True).data
        return data


class SlaPolicyView(SlaPolicyBase):
    """The agency's SLA policy with its office calendar."""

    @extend_schema(
        summary="The SLA policy: deadlines per tier, clocks, ladder, office hours, holidays",
        parameters=[AGENCY_HEADER_PARAMETER],
        responses=SlaPolicyDetailSerializer,
    )
    def get(self, request: Request) -> Response:
        return Response(self.policy_data())

    @extend_schema(
        summary="Change the deadlines, clocks, escalation delay or penalty (a manager)",
        description="Deadlines already running keep their due times; the new policy applies "
        "to what starts from now on. Every duration must be longer than zero.",
        parameters=[AGENCY_HEADER_PARAMETER],
        request=SlaPolicySerializer,
        responses=SlaPolicyDetailSerializer,
    )
    def patch(self, request: Request) -> Response:
        serializer = SlaPolicySerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        policy.sla_policy_update(agency=self.agency, actor=self.actor, **serializer.validated_data)
        return Response(self.policy_data())


class SlaOfficeHoursView(SlaPolicyBase):
    """The weekly office calendar the office-hours clocks count by."""

    @extend_schema(
        summary="The weekly office hours (Monday is weekday 0)",
        parameters=[AGENCY_HEADER_PARAMETER],
        responses=OfficeHoursSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        policy.policy_for(self.agency)  # the defaults, the first time
        rows = OfficeHours.objects.filter(agency=self.agency)
        return Response(OfficeHoursSerializer(rows, many=True).data)

    @extend_schema(
        summary="Replace the weekly office hours as a whole (a manager)",
        description="Periods of a day must not overlap, and at least one must remain. "
        "Running deadlines keep their due times.",
        parameters=[AGENCY_HEADER_PARAMETER],
        request=OfficeHoursSetSerializer,
        responses=SlaPolicyDetailSerializer,
    )
    def put(self, request: Request) -> Response:
        serializer = OfficeHoursSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = [
            (r["weekday"], r["opens"], r["closes"])
            for r in serializer.validated_data["office_hours"]
        ]
        try:
            policy.office_hours_set(agency=self.agency, actor=self.actor, rows=rows)
        except DjangoValidationError as error:
            # The service speaks of its `rows`; the client sent `office_hours`.
            if hasattr(error, "error_dict") and "rows" in error.error_dict:
                raise serializers.ValidationError(
                    {"office_hours": error.message_dict["rows"]}
                ) from error
            raise
        return Response(self.policy_data())


class HolidayViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    ServiceCreateMixin,
    TenantViewSet,
):
    """Days the office is closed: office-hours clocks stand still on them. The office
    reads them, a manager adds and removes them."""

    area = Area.COMPLAINTS
    write_area = Area.SETTINGS
    model = Holiday
    serializer_class = HolidaySerializer
    ordering_fields = ["day"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Holiday]:
        return Holiday.objects.filter(agency=agency).order_by("day")

    def create_with(self, **data: Any) -> Holiday:
        return policy.holiday_add(agency=self.agency, actor=self.actor, **data)

    def perform_destroy(self, instance: Holiday) -> None:
        policy.holiday_remove(agency=self.agency, actor=self.actor, holiday=instance)
