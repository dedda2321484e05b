"""The field staff's side: their own jobs, `/api/my/jobs/{id}/…` (area my_jobs), from
preparation to the customer's acceptance and rework."""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, TenantViewSet
from agency.models import Agency
from agency.parsers import UPLOAD_PARSERS
from agency.permissions import Area
from orders.models import (
    Assignment,
    SignedVia,
)
from orders.service import selectors
from orders.service.serializers.acceptance import (
    CustomerAcceptanceSerializer,
    InspectionSerializer,
    ReworkDoneSerializer,
    SignSerializer,
    failures,
)
from orders.service.serializers.jobs import MyJobDetailSerializer, MyJobSerializer
from orders.service.serializers.log import (
    ChangeApproveSerializer,
    ChangeDeclineSerializer,
    ChangeRequestCreateSerializer,
    CorrectionSerializer,
    JobChangeWithdrawSerializer,
    JobDeclineSerializer,
    NoteSerializer,
    PositionSerializer,
    PreparationSerializer,
    TaskSerializer,
)
from orders.service.services.acceptance import (
    CustomerVerdict,
    acceptance_sign_customer,
    acceptance_sign_lead,
    rework_done,
    rework_submit,
)
from orders.service.services.changes import (
    change_request_approve,
    change_request_create,
    change_request_decline,
    change_request_withdraw,
)
from orders.service.services.field import job_acknowledge, job_decline
from orders.service.services.service_log import (
    Position,
    log_check_in,
    log_check_out,
    log_correction,
    log_departure,
    log_inspection,
    log_note,
    log_preparation,
    log_task,
)

#: Six decimals (about 10 cm) is what the log stores; devices send more.
COORDINATE = Decimal("0.000001")


def position(data: dict[str, Any]) -> Position | None:
    if data["latitude"] is None:
        return None
    return Position(
        latitude=Decimal(str(data["latitude"])).quantize(COORDINATE),
        longitude=Decimal(str(data["longitude"])).quantize(COORDINATE),
        accuracy_m=data["accuracy_m"],
    )


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

    # --- the staff member's answer ---

    @extend_schema(
        summary="Acknowledge the job (确认接单)",
        description="The staff member takes the job on, proposed or confirmed; until then the "
        "dispatcher is told when the agency's time to acknowledge runs out. A repeat changes "
        "nothing.",
        request=None,
        responses={200: MyJobDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        job_acknowledge(assignment=job, actor=self.actor)
        return self.job_response(job, status.HTTP_200_OK)

    @extend_schema(
        summary="Decline the job, with the reason",
        description="Before the service: the staff member is released and the dispatchers "
        "told. The job then leaves the list; the answer is the released assignment.",
        request=JobDeclineSerializer,
        responses={200: MyJobSerializer},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        data = self.job_input(JobDeclineSerializer, job)
        released = job_decline(assignment=job, actor=self.actor, reason=data["reason"])
        return Response(MyJobSerializer(released, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Set out (出发): the customer is told the staff member is on the way",
        description="From when the address may be read until check-in, once.",
        request=None,
        responses={201: MyJobDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def depart(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        log_departure(assignment=job, actor=self.actor)
        return self.job_response(job)

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
            verdict=CustomerVerdict.signed(
                data, via=SignedVia.DEVICE, user_agent=request.headers.get("User-Agent", "")
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
