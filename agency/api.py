"""The API's tenant plumbing (base viewset, area permission, errors) and the agency endpoints."""

from typing import Any, ClassVar, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from knox.views import LoginView as KnoxLoginView
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from agency import selectors, services
from agency.audit import Actor
from agency.errors import StateConflict
from agency.filters import AuditLogFilter
from agency.invitations import SiteAddress
from agency.models import (
    Agency,
    AuditLog,
    Branch,
    Invitation,
    Membership,
    Notification,
    User,
)
from agency.parsers import BoundedJSONParser
from agency.permissions import Area, can_access
from agency.serializers import (
    AgencySettingsSerializer,
    AuditLogSerializer,
    BranchSerializer,
    InvitationSerializer,
    MemberInviteSerializer,
    MemberSerializer,
    MeSerializer,
    NotificationSerializer,
    TokenSerializer,
)
from agency.tenancy import AGENCY_HEADER, activate_membership, get_tenant_object_or_404

AGENCY_HEADER_PARAMETER = OpenApiParameter(
    AGENCY_HEADER,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Slug of the agency to act for (403 if the user is not a member of it); "
    "default: the session's, else the first.",
)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus the services' errors: a Django ValidationError is a 400 with
    field messages, a StateConflict (e.g. an illegal order transition) a 409."""
    if isinstance(exc, StateConflict):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        if "__all__" in detail:
            detail["non_field_errors"] = detail.pop("__all__")
        exc = ValidationError(detail=detail)
    return drf_exception_handler(exc, context)


class HasAreaAccess(BasePermission):
    """The role matrix (agency.permissions) for API views: `area` to read, `write_area` to write."""

    message = "Your role cannot use this endpoint."

    def has_permission(self, request: Request, view: Any) -> bool:
        membership = request.membership  # type: ignore[attr-defined]
        if membership is None:
            self.message = "Your account is not a member of this agency."
            return False
        area = view.area if request.method in SAFE_METHODS else (view.write_area or view.area)
        return can_access(membership.role, area)


class TenantAPIView(APIView):
    """Resolve the active agency after authentication (token clients have no session)."""

    permission_classes = [IsAuthenticated, HasAreaAccess]
    area: ClassVar[Area]
    write_area: ClassVar[Area | None] = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.perform_authentication(request)
        if request.user.is_authenticated:
            wanted_slug = request.headers.get(AGENCY_HEADER)
            activate_membership(request._request, request.user, wanted_slug=wanted_slug)
            if wanted_slug and request._request.membership is None:  # type: ignore[attr-defined]
                raise PermissionDenied(
                    _("You are not a member of the agency named in the %(header)s header.")
                    % {"header": AGENCY_HEADER}
                )
        else:
            request._request.membership = None  # type: ignore[attr-defined]
        super().initial(request, *args, **kwargs)

    @property
    def agency(self) -> Agency:
        return self.request.agency  # type: ignore[attr-defined]

    @property
    def actor(self) -> Actor:
        return Actor.from_request(self.request._request)

    @property
    def user(self) -> User:
        """The authenticated user (the permission classes refuse anyone else)."""
        return cast(User, self.request.user)


@extend_schema(parameters=[AGENCY_HEADER_PARAMETER])
class TenantViewSet(TenantAPIView, viewsets.GenericViewSet):
    """Base of every agency endpoint: it only ever sees the active agency's rows."""

    model: ClassVar[type[Model]]
    # Every API object is addressed by its integer id: `/api/orders/abc/` is an unknown
    # address (404), not a query that makes PostgreSQL refuse the text as an integer.
    lookup_value_regex = "[0-9]+"

    def tenant_queryset(self, agency: Agency) -> QuerySet[Any]:
        raise NotImplementedError("return a selector's queryset for the agency")

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no agency
            return self.model._default_manager.none()
        return self.tenant_queryset(self.agency)

    def get_object(self) -> Any:
        obj = get_tenant_object_or_404(
            self.filter_queryset(self.get_queryset()), agency=self.agency, pk=self.kwargs["pk"]
        )
        self.check_object_permissions(self.request, obj)
        return obj


class TokenLoginView(KnoxLoginView):
    """Exchange username and password for a new API token that expires; rate limited like
    the login page. Each login gets its own token (django-rest-knox, agency.accounts).

    django-axes marks a locked-out attempt on the request; say so with a 429
    instead of DRF's generic "unable to log in".
    """

    authentication_classes = ()
    permission_classes = (AllowAny,)
    serializer_class = AuthTokenSerializer
    # Anyone can reach this endpoint, so it gets the bounded JSON parser like every other one.
    parser_classes = (FormParser, MultiPartParser, BoundedJSONParser)

    @extend_schema(request=AuthTokenSerializer, responses=TokenSerializer)
    def post(self, request: Request, format: str | None = None) -> Response:
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {"detail": _("Too many failed logins. Try again in 15 minutes.")},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            raise
        request.user = serializer.validated_data["user"]
        return super().post(request, format=format)


@extend_schema(request=None, responses={204: None})
class TokenLogoutView(KnoxLogoutView):
    """End the API token this call is made with (the others of the account stay)."""


class MeView(TenantAPIView):
    """The user, their agencies, and the one this request acts for."""

    # Open to any signed-in user, also one without an agency: it says so.
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer, parameters=[AGENCY_HEADER_PARAMETER])
    def get(self, request: Request) -> Response:
        data = {
            "user": request.user,
            "memberships": request.memberships,  # type: ignore[attr-defined]
            "active_membership": request.membership,  # type: ignore[attr-defined]
        }
        return Response(MeSerializer(data).data)


class AgencySettingsView(TenantAPIView):
    """GET/PATCH /api/agency/settings/: the active agency's settings (a manager)."""

    area = Area.SETTINGS

    @extend_schema(
        summary="The agency's settings, billing details and the targets the reports measure",
        parameters=[AGENCY_HEADER_PARAMETER],
        responses=AgencySettingsSerializer,
    )
    def get(self, request: Request) -> Response:
        return Response(AgencySettingsSerializer(self.agency).data)

    @extend_schema(
        summary="Change some of the settings (e.g. a target)",
        parameters=[AGENCY_HEADER_PARAMETER],
        request=AgencySettingsSerializer,
        responses=AgencySettingsSerializer,
    )
    def patch(self, request: Request) -> Response:
        serializer = AgencySettingsSerializer(self.agency, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        agency = services.agency_update_settings(
            agency=self.agency, actor=self.actor, **serializer.validated_data
        )
        return Response(AgencySettingsSerializer(agency).data)


class ActionInputMixin:
    """Parse an action's body with its own serializer (400 with field messages)."""

    def action_input(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        view: Any = self
        serializer = serializer_class(data=view.request.data, context=view.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class ServiceCreateMixin:
    """POST through a service: validate with `input_serializer_class`, then `create_with`.

    The response shows the created object with the viewset's own serializer.
    """

    input_serializer_class: ClassVar[type[serializers.Serializer] | None] = None
    #: When what is created is not the viewset's own object (an invitation, not a member).
    output_serializer_class: ClassVar[type[serializers.Serializer] | None] = None

    def create_with(self, **data: Any) -> Model:
        raise NotImplementedError

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view: Any = self
        input_class = self.input_serializer_class or view.get_serializer_class()
        serializer = input_class(data=request.data, context=view.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        instance = self.create_with(**serializer.validated_data)
        output_class = self.output_serializer_class or view.get_serializer_class()
        output = output_class(instance, context=view.get_serializer_context())
        return Response(output.data, status=status.HTTP_201_CREATED)


class ServiceUpdateMixin(mixins.UpdateModelMixin):
    """PUT and PATCH through a service: `update_with(instance, **changed_fields)`."""

    def update_with(self, instance: Any, **data: Any) -> Model:
        raise NotImplementedError

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view: Any = self
        instance = view.get_object()
        serializer = view.get_serializer(
            instance, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        instance = self.update_with(instance, **serializer.validated_data)
        return Response(view.get_serializer(instance).data)


class BranchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    TenantViewSet,
):
    """Branches (门店): every member reads them, a manager opens and edits them."""

    area = Area.HOME
    write_area = Area.BRANCHES
    model = Branch
    serializer_class = BranchSerializer
    filterset_fields = ["is_active", "code"]
    ordering_fields = ["name", "code"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Branch]:
        return selectors.branches_for(agency=agency)

    def create_with(self, **data: Any) -> Branch:
        return services.branch_create(agency=self.agency, actor=self.actor, **data)

    def update_with(self, instance: Branch, **data: Any) -> Branch:
        return services.branch_update(branch=instance, actor=self.actor, **data)


@extend_schema_view(
    create=extend_schema(
        summary="Invite a person by email; they join once they accept",
        request=MemberInviteSerializer,
        responses={201: InvitationSerializer},
    )
)
class MemberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    TenantViewSet,
):
    """People and their roles in the agency, for managers. Adding one is an invitation."""

    area = Area.MEMBERS
    model = Membership
    serializer_class = MemberSerializer
    input_serializer_class = MemberInviteSerializer
    output_serializer_class = InvitationSerializer
    filterset_fields = ["role", "branch", "is_active"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Membership]:
        return selectors.members_for(agency=agency)

    def create_with(self, **data: Any) -> Invitation:
        site = SiteAddress(domain=self.request.get_host(), use_https=self.request.is_secure())
        return services.member_invite(agency=self.agency, actor=self.actor, site=site, **data)

    def update_with(self, instance: Membership, **data: Any) -> Membership:
        return services.member_update(membership=instance, actor=self.actor, **data)


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Invitations not accepted yet (expired ones too), for managers."""

    area = Area.MEMBERS
    model = Invitation
    serializer_class = InvitationSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Invitation]:
        return selectors.open_invitations_for(agency=agency)


class AuditLogViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The agency's audit log (操作日志), for managers."""

    area = Area.AUDIT
    model = AuditLog
    serializer_class = AuditLogSerializer
    filterset_class = AuditLogFilter

    def tenant_queryset(self, agency: Agency) -> QuerySet[AuditLog]:
        return selectors.audit_log_for(agency=agency)


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """My in-app notices (e.g. complaint escalations), newest first; `?unread=true` filters."""

    area = Area.HOME
    model = Notification
    #: One's own notices only (the isolation sweep makes its object the requester's).
    owner_lookup = "user"
    serializer_class = NotificationSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Notification]:
        notices = selectors.notifications_for(agency=agency, user=self.user)
        if self.request.query_params.get("unread") == "true":
            notices = notices.filter(read_at__isnull=True)
        return notices

    @extend_schema(summary="Mark this notice read", request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notice = self.get_object()
        services.notifications_mark_read(agency=self.agency, user=self.user, pk=notice.pk)
        notice.refresh_from_db()
        return Response(NotificationSerializer(notice).data)

    @extend_schema(summary="Mark all my notices read", request=None, responses={204: None})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        services.notifications_mark_read(agency=self.agency, user=self.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
