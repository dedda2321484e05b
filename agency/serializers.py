from rest_framework import serializers

from agency.models import Agency, AuditLog, Branch, Membership, User


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "slug", "time_zone", "default_language", "currency"]


class BranchSerializer(serializers.ModelSerializer):
    class Meta:
        model = Branch
        fields = ["id", "name", "code", "address", "phone", "is_active"]


class MembershipSerializer(serializers.ModelSerializer):
    agency = AgencySerializer(read_only=True)
    branch = BranchSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "agency", "branch", "role"]


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "preferred_language"]


class MeSerializer(serializers.Serializer):
    user = UserSerializer()
    memberships = MembershipSerializer(many=True)
    active_membership = MembershipSerializer(allow_null=True)


class AuditLogSerializer(serializers.ModelSerializer):
    actor: serializers.StringRelatedField = serializers.StringRelatedField()

    class Meta:
        model = AuditLog
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
