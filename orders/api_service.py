"""The API of the service itself: field staff's jobs and service log, change requests, and the
four-stage acceptance with rework (DESIGN.md, "Service" and "Acceptance").

Thin, like `orders.api`: every write is one service of `orders.services`, which
holds the rules (who may sign which stage, in which order, once); the API only
parses input and shows the result. Objects are looked up with `get_object`, so
another agency's id — or, under `/api/my/jobs/`, another person's job — answers
404 like a missing one.

Field staff act from their own job, `/api/my/jobs/{id}/…` (area my_jobs); each
action answers with the job as its detail shows it, read again. The office
works from `/api/acceptance-rounds/`, `/api/rework-items/` and
`/api/change-requests/` (area orders).
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import django_filters
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, ServiceCreateMixin, TenantViewSet
from agency.models import Agency
from agency.parsers import UPLOAD_PARSERS
from agency.permissions import Area
from orders import links, selectors
from orders.models import (
    AcceptanceRound,
    Assignment,
    ChangeRequest,
    ChangeStatus,
    FailedItem,
    Order,
    RoundOutcome,
    SignaturePurpose,
    SignedVia,
    Signoff,
    Stage,
)
from orders.serializers_service import (
    AcceptanceRoundDetailSerializer,
    AcceptanceRoundSerializer,
    ChangeApproveSerializer,
    ChangeDeclineSerializer,
    ChangeRequestCreateSerializer,
    ChangeRequestSerializer,
    ChangeWithdrawSerializer,
    CorrectionSerializer,
    CustomerAcceptanceSerializer,
    CustomerLinkSerializer,
    InspectionSerializer,
    JobChangeWithdrawSerializer,
    MyJobDetailSerializer,
    MyJobSerializer,
    NoteSerializer,
    OfficeChangeRequestCreateSerializer,
    OfficeVerifySerializer,
    PositionSerializer,
    PreparationSerializer,
    ReworkDoneSerializer,
    ReworkItemSerializer,
    ReworkReassignSerializer,
    RoundCreateSerializer,
    SignSerializer,
    SupervisorSignSerializer,
    TaskSerializer,
)
from orders.services.acceptance import (
    AcceptanceConflict,
    CustomerVerdict,
    Failure,
    acceptance_send_link,
    acceptance_sign_customer,
    acceptance_sign_lead,
    acceptance_sign_supervisor,
    rework_done,
    rework_reassign,
    rework_submit,
)
from orders.services.changes import (
    change_request_approve,
    change_request_create,
    change_request_decline,
    change_request_send_link,
    change_request_withdraw,
)
from orders.services.service_log import (
    Position,
    log_check_in,
    log_check_out,
    log_correction,
    log_inspection,
    log_note,
    log_preparation,
    log_task,
)

#: Six decimals (about 10 cm) is what the log stores; devices send more.
COORDINATE = Decimal("0.000001")


def failures(items: list[dict[str, Any]]) -> list[Failure]:
    return [Failure(description=i["description"], responsible=i["responsible"]) for i in items]


def position(data: dict[str, Any]) -> Position | None:
    if data["latitude"] is None:
        return None
    return Position(
        latitude=Decimal(str(data["latitude"])).quantize(COORDINATE),
        longitude=Decimal(str(data["longitude"])).quantize(COORDINATE),
        accuracy_m=data["accuracy_m"],
    )


# --- field staff: my jobs ---------------------------------------------------------


class MyJobViewSet(
    ActionInputMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """The requesting staff member's own jobs (confirmed, or proposed to the customer), and
    everything they write on one: preparation, check-in, tasks, notes and photos,
    corrections, check-out, inspection, stage 1, change requests, the customer's
    signature on their device, rework.

    Never the customer's phone or street address: those are shown on the staff
    pages only inside the agency's window, each reveal audited.
    """

    area = Area.MY_JOBS
    model = Assignment
    #: The isolation sweep makes "own" objects belong to the requesting user through this.
    owner_lookup = "staff__user"

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return MyJobSerializer if self.action == "list" else MyJobDetailSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Assignment]:
        return selectors.jobs_of_staff_user(agency=agency, user=self.request.user)  # type: ignore[arg-type]

    def job_input(self, serializer_class: type[serializers.Serializer], job: Assignment) -> Any:
        """The body, with ids of log entries, failed items and changes of this job's order only."""
        context = {**self.get_serializer_context(), "order": job.order}
        serializer = serializer_class(data=self.request.data, context=context)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def job_response(self, job: Assignment, code: int = status.HTTP_201_CREATED) -> Response:
        """The job as its detail shows it, read again after a service changed it."""
        fresh = self.tenant_queryset(self.agency).get(pk=job.pk)
        return Response(
            MyJobDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    # --- the service log ---

    @extend_schema(
        summary="Tick a line of the preparation checklist (tools, materials, rehearsal)",
        request=PreparationSerializer,
        responses={201: MyJobDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def prepare(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(PreparationSerializer, job)
        log_preparation(assignment=job, actor=self.actor, item=data["item"])
        return self.job_response(job)

    @extend_schema(
        summary="Check in (the first check-in puts the order in service)",
        description="Preparation must be complete, and the job's window open. The position is "
        "optional: latitude and longitude together, or neither.",
        request=PositionSerializer,
        responses={201: MyJobDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(PositionSerializer, job)
        log_check_in(assignment=job, actor=self.actor, position=position(data))
        return self.job_response(job)

    @extend_schema(
        summary="Tick a task of the needs form's checklist as done",
        request=TaskSerializer,
        responses={201: MyJobDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def tasks(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(TaskSerializer, job)
        log_task(assignment=job, actor=self.actor, item=data["item"], text=data["text"])
        return self.job_response(job)

    @extend_schema(
        summary="Write a note, add a photo (multipart/form-data), or both",
        request=NoteSerializer,
        responses={201: MyJobDetailSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def notes(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(NoteSerializer, job)
        log_note(assignment=job, actor=self.actor, text=data["text"], photo=data["photo"])
        return self.job_response(job)

    @extend_schema(
        summary="Correct one's own entry by a new one, or withdraw it",
        description="The log is append-only: the correction names the entry it replaces.",
        request=CorrectionSerializer,
        responses={201: MyJobDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def corrections(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(CorrectionSerializer, job)
        log_correction(
            entry=data["entry"], actor=self.actor, text=data["text"], withdraw=data["withdraw"]
        )
        return self.job_response(job)

    @extend_schema(
        summary="Check out (the on-site lead's check-out opens acceptance round 1)",
        request=PositionSerializer,
        responses={201: MyJobDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(PositionSerializer, job)
        log_check_out(assignment=job, actor=self.actor, position=position(data))
        return self.job_response(job)

    @extend_schema(
        summary="The on-site lead's inspection of one line, before signing stage 1",
        request=InspectionSerializer,
        responses={201: MyJobDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def inspections(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(InspectionSerializer, job)
        log_inspection(assignment=job, actor=self.actor, **data)
        return self.job_response(job)

    # --- acceptance ---

    @extend_schema(
        summary="Sign stage 1 as the on-site lead: passed, or failed with the items",
        description="Out of turn or signed already: 409. Not the on-site lead: 403.",
        request=SignSerializer,
        responses={201: MyJobDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(SignSerializer, job)
        acceptance_sign_lead(
            assignment=job,
            actor=self.actor,
            passed=data["passed"],
            failures=failures(data["failed_items"]),
            comment=data["comment"],
        )
        return self.job_response(job)

    @extend_schema(
        summary="The customer signs stage 4 on this device, with a satisfaction score (1–5)",
        request=CustomerAcceptanceSerializer,
        responses={201: MyJobDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="customer-acceptance")
    def customer_acceptance(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(CustomerAcceptanceSerializer, job)
        acceptance_sign_customer(
            order=job.order,
            actor=self.actor,
            verdict=CustomerVerdict(
                signed_name=data["signed_name"],
                via=SignedVia.DEVICE,
                score=data["score"],
                comment=data["comment"],
                user_agent=request.headers.get("User-Agent", ""),
            ),
            passed=data["passed"],
            failures=failures(data["failed_items"]),
        )
        return self.job_response(job)

    @extend_schema(
        summary="Mark a failed item redone (by the person responsible or the on-site lead)",
        request=ReworkDoneSerializer,
        responses={201: MyJobDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def rework(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(ReworkDoneSerializer, job)
        rework_done(item=data["item"], actor=self.actor, text=data["note"])
        return self.job_response(job)

    @extend_schema(
        summary="Every failed item redone: acceptance runs again as a new round",
        request=None,
        responses={201: MyJobDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rework-submit", url_name="rework-submit")
    def submit_rework(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        rework_submit(order=job.order, actor=self.actor)
        return self.job_response(job)

    # --- change requests ---

    @extend_schema(
        summary="Ask the customer to approve a change of content or fee (priced from the list)",
        request=ChangeRequestCreateSerializer,
        responses={201: MyJobDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="change-requests")
    def change_requests(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(ChangeRequestCreateSerializer, job)
        change_request_create(order=job.order, actor=self.actor, **data)
        return self.job_response(job)

    @extend_schema(
        summary="The customer approves a change, signing on this device",
        request=ChangeApproveSerializer,
        responses=MyJobDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="approve-change")
    def approve_change(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(ChangeApproveSerializer, job)
        change_request_approve(
            change=data["change"],
            actor=self.actor,
            via=SignedVia.DEVICE,
            signed_name=data["signed_name"],
            user_agent=request.headers.get("User-Agent", ""),
        )
        return self.job_response(job, status.HTTP_200_OK)

    @extend_schema(
        summary="The customer declines a change, in person: the service goes on as agreed",
        request=ChangeDeclineSerializer,
        responses=MyJobDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="decline-change")
    def decline_change(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(ChangeDeclineSerializer, job)
        change_request_decline(
            change=data["change"], actor=self.actor, via=SignedVia.DEVICE, reason=data["reason"]
        )
        return self.job_response(job, status.HTTP_200_OK)

    @extend_schema(
        summary="Take back a change the customer has not answered",
        request=JobChangeWithdrawSerializer,
        responses=MyJobDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="withdraw-change")
    def withdraw_change(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(JobChangeWithdrawSerializer, job)
        change_request_withdraw(change=data["change"], actor=self.actor, reason=data["reason"])
        return self.job_response(job, status.HTTP_200_OK)


# --- the office: acceptance rounds ------------------------------------------------


class AcceptanceRoundFilter(django_filters.FilterSet):
    stage = django_filters.TypedChoiceFilter(
        label=gettext_lazy("waiting stage"),
        field_name="next_stage",
        choices=Stage.choices,
        coerce=int,
        help_text="Open rounds waiting for this stage to sign.",
    )
    outcome = django_filters.ChoiceFilter(
        label=gettext_lazy("outcome"), choices=RoundOutcome.choices
    )
    order = django_filters.ModelChoiceFilter(
        label=gettext_lazy("order"), queryset=Order.objects.none()
    )

    class Meta:
        model = AcceptanceRound
        fields = ["stage", "outcome", "order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["order"].queryset = Order.objects.filter(agency=self.request.agency)


@extend_schema_view(
    create=extend_schema(
        summary="After rework, run acceptance again: the next round, from stage 1",
        request=RoundCreateSerializer,
        responses={201: AcceptanceRoundDetailSerializer},
    )
)
class AcceptanceRoundViewSet(
    ActionInputMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    TenantViewSet,
):
    """Acceptance rounds (验收): the queue by waiting stage, each round's sign-offs, and the
    office's stages — 2 and 3 by a supervisor or manager (two different people), 4 verified
    on the customer's behalf or sent to the customer as a link.

    A round named in the URL that is no longer the order's open one answers 409.
    """

    area = Area.ORDERS
    model = AcceptanceRound
    filterset_class = AcceptanceRoundFilter
    ordering_fields = ["opened_at", "closed_at"]
    input_serializer_class = RoundCreateSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return (
            AcceptanceRoundSerializer if self.action == "list" else AcceptanceRoundDetailSerializer
        )

    def tenant_queryset(self, agency: Agency) -> QuerySet[AcceptanceRound]:
        rounds = selectors.acceptance_rounds_for(agency=agency).order_by("opened_at", "id")
        return rounds if self.action == "list" else selectors.with_signoffs(rounds)

    def detail_of(self, round_: AcceptanceRound, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.with_signoffs(selectors.acceptance_rounds_for(agency=self.agency)).get(
            pk=round_.pk
        )
        return Response(
            AcceptanceRoundDetailSerializer(fresh, context=self.get_serializer_context()).data,
            status=code,
        )

    def create_with(self, **data: Any) -> AcceptanceRound:
        round_ = rework_submit(order=data["order"], actor=self.actor)
        return selectors.with_signoffs(selectors.acceptance_rounds_for(agency=self.agency)).get(
            pk=round_.pk
        )

    def on_this_round(self, round_: AcceptanceRound, sign: Callable[[], Signoff]) -> None:
        """Sign through the service, but only the round in the URL: the services sign the
        order's open round, which is another one if this one closed meanwhile."""
        with transaction.atomic():
            signoff = sign()
            if signoff.round_id != round_.pk:
                raise AcceptanceConflict(_("This round is closed."))

    @extend_schema(
        summary="Sign stage 2 (team supervisor) or 3 (office supervisor)",
        description="A supervisor or manager; stage 3 by someone else than stage 2 (403). "
        "Out of turn or signed already: 409.",
        request=SupervisorSignSerializer,
        responses={201: AcceptanceRoundDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        round_ = self.get_object()
        data = self.action_input(SupervisorSignSerializer)
        self.on_this_round(
            round_,
            lambda: acceptance_sign_supervisor(
                order=round_.order,
                stage=data["stage"],
                actor=self.actor,
                passed=data["passed"],
                failures=failures(data["failed_items"]),
                comment=data["comment"],
            ),
        )
        return self.detail_of(round_, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Sign the customer's stage on their behalf: the office verifies and says why",
        description="Only the customer gives a score and a comment, so there are none here.",
        request=OfficeVerifySerializer,
        responses={201: AcceptanceRoundDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        round_ = self.get_object()
        data = self.action_input(OfficeVerifySerializer)
        self.on_this_round(
            round_,
            lambda: acceptance_sign_customer(
                order=round_.order,
                actor=self.actor,
                verdict=CustomerVerdict(
                    signed_name=data["signed_name"],
                    via=SignedVia.OFFICE,
                    verification_reason=data["verification_reason"],
                    score=data["score"],
                    comment=data["comment"],
                    user_agent=request.headers.get("User-Agent", ""),
                ),
                passed=data["passed"],
                failures=failures(data["failed_items"]),
            ),
        )
        return self.detail_of(round_, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Text the customer the signed link to accept this round (or say what failed)",
        request=None,
        responses=CustomerLinkSerializer,
    )
    @action(detail=True, methods=["post"], url_path="customer-link")
    def customer_link(self, request: Request, pk: str | None = None) -> Response:
        round_ = self.get_object()
        if round_.outcome != RoundOutcome.OPEN:
            raise AcceptanceConflict(_("This round is closed."))
        path = links.link_path(
            order=round_.order, purpose=SignaturePurpose.ACCEPT_SERVICE, ref=round_.number
        )
        url = request.build_absolute_uri(path)
        acceptance_send_link(order=round_.order, actor=self.actor, url=url)
        return Response(CustomerLinkSerializer({"url": url}).data)


# --- the office: rework -----------------------------------------------------------


class ReworkItemFilter(django_filters.FilterSet):
    order = django_filters.ModelChoiceFilter(
        label=gettext_lazy("order"), queryset=Order.objects.none()
    )
    responsible = django_filters.NumberFilter(
        label=gettext_lazy("responsible"), help_text="A staff member's id."
    )

    class Meta:
        model = FailedItem
        fields = ["order", "responsible"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["order"].queryset = Order.objects.filter(agency=self.request.agency)


class ReworkItemViewSet(
    ActionInputMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """Rework (返工): the list is the failed items still to redo on orders in rework; any
    failed item is retrieved by id. The office hands an item to another team member."""

    area = Area.ORDERS
    model = FailedItem
    serializer_class = ReworkItemSerializer
    filterset_class = ReworkItemFilter

    def tenant_queryset(self, agency: Agency) -> QuerySet[FailedItem]:
        if self.action == "list":
            return selectors.rework_due(agency=agency)
        return selectors.failed_items_for(agency=agency)

    @extend_schema(
        summary="Hand the item to another member of the order's team",
        request=ReworkReassignSerializer,
        responses=ReworkItemSerializer,
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        data = self.action_input(ReworkReassignSerializer)
        rework_reassign(item=item, staff=data["staff"], actor=self.actor)
        fresh = selectors.failed_items_for(agency=self.agency).get(pk=item.pk)
        return Response(ReworkItemSerializer(fresh, context=self.get_serializer_context()).data)


# --- the office: change requests --------------------------------------------------


class ChangeRequestFilter(django_filters.FilterSet):
    order = django_filters.ModelChoiceFilter(
        label=gettext_lazy("order"), queryset=Order.objects.none()
    )
    status = django_filters.ChoiceFilter(label=gettext_lazy("status"), choices=ChangeStatus.choices)

    class Meta:
        model = ChangeRequest
        fields = ["order", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["order"].queryset = Order.objects.filter(agency=self.request.agency)


@extend_schema_view(
    create=extend_schema(
        summary="Ask the customer to approve a change of content or fee (priced from the list)",
        request=OfficeChangeRequestCreateSerializer,
        responses={201: ChangeRequestSerializer},
    )
)
class ChangeRequestViewSet(
    ActionInputMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    TenantViewSet,
):
    """Change requests (变更): they take effect only once the customer approved them, by
    their signed link or in person on the device of staff on the job."""

    area = Area.ORDERS
    model = ChangeRequest
    serializer_class = ChangeRequestSerializer
    input_serializer_class = OfficeChangeRequestCreateSerializer
    filterset_class = ChangeRequestFilter
    ordering_fields = ["requested_at", "decided_at"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[ChangeRequest]:
        return selectors.change_requests_for(agency=agency).order_by("requested_at", "id")

    def create_with(self, **data: Any) -> ChangeRequest:
        change = change_request_create(actor=self.actor, **data)
        return self.tenant_queryset(self.agency).get(pk=change.pk)

    def shown(self, change: ChangeRequest) -> Response:
        fresh = self.tenant_queryset(self.agency).get(pk=change.pk)
        return Response(ChangeRequestSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Text the customer the signed link to approve or decline the change",
        request=None,
        responses=CustomerLinkSerializer,
    )
    @action(detail=True, methods=["post"], url_path="customer-link")
    def customer_link(self, request: Request, pk: str | None = None) -> Response:
        change = self.get_object()
        path = links.link_path(
            order=change.order, purpose=SignaturePurpose.APPROVE_CHANGE, ref=change.pk
        )
        url = request.build_absolute_uri(path)
        change_request_send_link(change=change, actor=self.actor, url=url)
        return Response(CustomerLinkSerializer({"url": url}).data)

    @extend_schema(
        summary="Take the change back while the customer has not answered",
        request=ChangeWithdrawSerializer,
        responses=ChangeRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        change = self.get_object()
        data = self.action_input(ChangeWithdrawSerializer)
        return self.shown(
            change_request_withdraw(change=change, actor=self.actor, reason=data["reason"])
        )
