"""The staff API: staff records, certificates, trainings, working pattern, time off.

Thin, like the pages: reads through `staff.selectors` for the request's agency,
writes through `staff.services`. Photos and scans are uploaded as
multipart/form-data. Every endpoint is for office roles (Area.STAFF); deciding
on time off needs a supervisor or manager.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, ServiceCreateMixin, ServiceUpdateMixin, TenantViewSet
from agency.models import Agency
from agency.parsers import UPLOAD_PARSERS
from agency.permissions import Area
from staff import selectors
from staff.filters import CertificateFilter, StaffFilter, TimeOffFilter, TrainingFilter
from staff.models import Certificate, StaffMember, TimeOff, Training
from staff.serializers import (
    CertificateCreateSerializer,
    CertificateSerializer,
    SkillSetSerializer,
    StaffDetailSerializer,
    StaffSerializer,
    TimeOffRejectSerializer,
    TimeOffRequestSerializer,
    TimeOffSerializer,
    TrainingSerializer,
    WorkingPatternSerializer,
)
from staff.services.qualifications import certificate_add, certificate_update, training_add
from staff.services.records import staff_create, staff_skills_set, staff_update
from staff.services.time_off import time_off_approve, time_off_reject, time_off_request
from staff.services.working_hours import WorkingBlock, working_hours_set


@extend_schema_view(
    create=extend_schema(request=StaffSerializer),
    update=extend_schema(request=StaffSerializer),
    partial_update=extend_schema(request=StaffSerializer),
)
class StaffViewSet(
    ActionInputMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    TenantViewSet,
):
    """Staff members (服务人员) with their phone: office roles only."""

    area = Area.STAFF
    model = StaffMember
    filterset_class = StaffFilter
    ordering_fields = ["name", "years_experience", "rating", "started_on"]
    parser_classes = UPLOAD_PARSERS

    input_serializer_class = StaffSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return StaffSerializer if self.action == "list" else StaffDetailSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[StaffMember]:
        if self.action == "list":
            return selectors.staff_list(agency=agency)
        return self.detail_queryset(agency)

    def detail_queryset(self, agency: Agency) -> QuerySet[StaffMember]:
        today = agency.today()
        rows = selectors.trainings_count_this_year(
            selectors.staff_detail(agency=agency), agency=agency, today=today
        )
        return selectors.with_certificates_expiring(rows, today=today)

    def detail_of(self, staff: StaffMember) -> dict[str, Any]:
        """The staff member as the detail shows it, read again after a service changed it."""
        fresh = self.detail_queryset(self.agency).get(pk=staff.pk)
        return dict(StaffDetailSerializer(fresh, context=self.get_serializer_context()).data)

    def create_with(self, **data: Any) -> StaffMember:
        staff = staff_create(agency=self.agency, actor=self.actor, **data)
        return self.detail_queryset(self.agency).get(pk=staff.pk)

    def update_with(self, instance: StaffMember, **data: Any) -> StaffMember:
        staff_update(staff=instance, actor=self.actor, **data)
        return self.detail_queryset(self.agency).get(pk=instance.pk)

    @extend_schema(
        summary="Replace the weekly working pattern",
        request=WorkingPatternSerializer,
        responses=StaffDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="working-hours")
    def working_hours(self, request: Request, pk: str | None = None) -> Response:
        staff = self.get_object()
        data = self.action_input(WorkingPatternSerializer)
        blocks = [WorkingBlock(**block) for block in data["blocks"]]
        working_hours_set(staff=staff, actor=self.actor, blocks=blocks)
        return Response(self.detail_of(staff))

    @extend_schema(
        summary="Set the skills and their levels (skills not listed are removed)",
        request=SkillSetSerializer,
        responses=StaffDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def skills(self, request: Request, pk: str | None = None) -> Response:
        staff = self.get_object()
        data = self.action_input(SkillSetSerializer)
        skills = {skill["code"]: skill["level"] for skill in data["skills"]}
        staff_skills_set(staff=staff, actor=self.actor, skills=skills)
        return Response(self.detail_of(staff))

    @extend_schema(
        summary="Request time off for the staff member (a supervisor or manager decides)",
        request=TimeOffRequestSerializer,
        responses={201: TimeOffSerializer},
    )
    @action(detail=True, methods=["post"], url_path="time-off")
    def time_off(self, request: Request, pk: str | None = None) -> Response:
        staff = self.get_object()
        data = self.action_input(TimeOffRequestSerializer)
        time_off = time_off_request(staff=staff, actor=self.actor, **data)
        fresh = selectors.time_off_for(agency=self.agency).get(pk=time_off.pk)
        return Response(TimeOffSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(create=extend_schema(request=CertificateCreateSerializer))
class CertificateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    TenantViewSet,
):
    """Certificates (证书): `?expiring_within_days=30` lists those due for renewal."""

    area = Area.STAFF
    model = Certificate
    serializer_class = CertificateSerializer
    input_serializer_class = CertificateCreateSerializer
    filterset_class = CertificateFilter
    ordering_fields = ["expires_on", "issued_on"]
    parser_classes = UPLOAD_PARSERS

    def tenant_queryset(self, agency: Agency) -> QuerySet[Certificate]:
        return selectors.certificates_for(agency=agency)

    def create_with(self, **data: Any) -> Certificate:
        certificate = certificate_add(actor=self.actor, **data)
        return self.tenant_queryset(self.agency).get(pk=certificate.pk)

    def update_with(self, instance: Certificate, **data: Any) -> Certificate:
        certificate = certificate_update(certificate=instance, actor=self.actor, **data)
        return self.tenant_queryset(self.agency).get(pk=certificate.pk)


class TrainingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceCreateMixin, TenantViewSet
):
    """Trainings (培训) and assessments (考核); `?year=` for one year's."""

    area = Area.STAFF
    model = Training
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilter
    ordering_fields = ["held_on"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Training]:
        return selectors.trainings_for(agency=agency)

    def create_with(self, **data: Any) -> Training:
        training = training_add(actor=self.actor, **data)
        return self.tenant_queryset(self.agency).get(pk=training.pk)


class TimeOffViewSet(
    ActionInputMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """Time off (请假). Requested through `/api/staff/{id}/time-off/`; decided here."""

    area = Area.STAFF
    write_area = Area.STAFF_DECISIONS
    model = TimeOff
    serializer_class = TimeOffSerializer
    filterset_class = TimeOffFilter

    def tenant_queryset(self, agency: Agency) -> QuerySet[TimeOff]:
        return selectors.time_off_for(agency=agency)

    def decided(self, time_off: TimeOff) -> Response:
        fresh = self.tenant_queryset(self.agency).get(pk=time_off.pk)
        return Response(TimeOffSerializer(fresh).data)

    @extend_schema(
        summary="Approve (refused if it overlaps other approved time off of the person)",
        request=None,
        responses=TimeOffSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self.decided(time_off_approve(time_off=self.get_object(), actor=self.actor))

    @extend_schema(summary="Reject", request=TimeOffRejectSerializer, responses=TimeOffSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        time_off = self.get_object()
        data = self.action_input(TimeOffRejectSerializer)
        return self.decided(time_off_reject(time_off=time_off, actor=self.actor, note=data["note"]))
