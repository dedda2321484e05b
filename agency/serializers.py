from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency import models
from agency.media import media_url
from agency.services import AGENCY_SETTINGS_FIELDS


@extend_schema_field(OpenApiTypes.INT)
class TenantPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A writable relation limited to the request's agency.

    Another agency's id fails like a missing one ("does not exist"), so a
    client can neither attach foreign objects nor learn that they exist.
    """

    def __init__(self, model: type[Model], **kwargs: Any) -> None:
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        agency = getattr(self.context.get("request"), "agency", None)
        manager = self.model._default_manager
        return manager.filter(agency=agency) if agency else manager.none()


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Agency
        fields = ["id", "name", "slug", "time_zone", "default_language", "currency"]


class AgencySettingsSerializer(serializers.ModelSerializer):
    """What a manager may change (AGENCY_SETTINGS_FIELDS), with the model's validators."""

    class Meta:
        model = models.Agency
        fields = list(AGENCY_SETTINGS_FIELDS)


class BranchSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Branch
        fields = ["id", "name", "code", "address", "phone", "is_active"]


class MembershipSerializer(serializers.ModelSerializer):
    agency = AgencySerializer(read_only=True)
    branch = BranchSerializer(read_only=True)

    class Meta:
        model = models.Membership
        fields = ["id", "agency", "branch", "role"]


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.User
        fields = ["id", "username", "first_name", "last_name", "email", "preferred_language"]


class MeSerializer(serializers.Serializer):
    user = UserSerializer()
    memberships = MembershipSerializer(many=True)
    active_membership = MembershipSerializer(allow_null=True)


class AuditLogSerializer(serializers.ModelSerializer):
    actor: serializers.StringRelatedField = serializers.StringRelatedField()

    class Meta:
        model = models.AuditLog
        fields = [
            "id",
            "created_at",
            "actor",
            "ip_address",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
        ]


class MemberSerializer(serializers.ModelSerializer):
    """A member as managers see it; `branch` is written by id, within the agency."""

    user = UserSerializer(read_only=True)
    branch = TenantPrimaryKeyRelatedField(models.Branch, allow_null=True, required=False)

    class Meta:
        model = models.Membership
        fields = ["id", "user", "role", "branch", "is_active"]


class MemberInviteSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150, required=False, default="")
    last_name = serializers.CharField(max_length=150, required=False, default="")
    role = serializers.ChoiceField(choices=models.Role.choices)
    branch = TenantPrimaryKeyRelatedField(
        models.Branch, allow_null=True, required=False, default=None
    )


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation as the manager sees it: what they sent, and whether it was accepted."""

    branch: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = models.Invitation
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "role",
            "branch",
            "created_at",
            "expires_at",
            "accepted_at",
        ]
        read_only_fields = fields


class TokenSerializer(serializers.Serializer):
    """A new API token: send it as `Authorization: Token <token>` until `expiry`."""

    token = serializers.CharField()
    expiry = serializers.DateTimeField()


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Notification
        fields = ["id", "title", "body", "link", "created_at", "read_at"]


class _SignedLink:
    """Shows a stored file as its signed, expiring link (agency.media), absolute when the
    request is known; uploads are read as the base field reads them."""

    context: dict[str, Any]

    def to_representation(self, value: Any) -> str | None:
        if not value:
            return None
        url = media_url(value)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class SignedFileField(_SignedLink, serializers.FileField):
    pass


class SignedImageField(_SignedLink, serializers.ImageField):
    pass
