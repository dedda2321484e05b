"""The staff API's shapes. Thin: they parse input and show objects; every rule is a service's.

The staff API is for office roles only (Area.STAFF), so it carries the staff
member's phone; nothing here is ever shown to a customer.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.bounds import PlausibleDateTimeField
from agency.models import Branch, Role, User
from agency.serializers import SignedFileField, SignedImageField, TenantPrimaryKeyRelatedField
from staff import models

# Enums with a component name of their own: `status` and `kind` mean different
# things on different models, which drf-spectacular cannot name apart by itself.


@extend_schema_field(
    {"type": "string", "enum": list(models.EmploymentStatus.values)},
    component_name="EmploymentStatusEnum",
)
class EmploymentStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=models.EmploymentStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(models.Gender.values)}, component_name="GenderEnum"
)
class GenderField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=models.Gender.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(models.TimeOffStatus.values)},
    component_name="TimeOffStatusEnum",
)
class TimeOffStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=models.TimeOffStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(models.CertificateKind.values)},
    component_name="CertificateKindEnum",
)
class CertificateKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=models.CertificateKind.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(models.TrainingKind.values)}, component_name="TrainingKindEnum"
)
class TrainingKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=models.TrainingKind.choices, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class StaffLoginField(serializers.PrimaryKeyRelatedField):
    """A login (user id) of a field staff member of the request's agency, or null."""

    def get_queryset(self) -> QuerySet[User]:
        agency = getattr(self.context.get("request"), "agency", None)
        if agency is None:
            return User.objects.none()
        return User.objects.filter(
            memberships__agency=agency, memberships__role=Role.STAFF, memberships__is_active=True
        )


class StaffSkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.StaffSkill
        fields = ["code", "level"]
        read_only_fields = fields


class StaffSerializer(serializers.ModelSerializer):
    """A staff member as a list row shows it; also what create and update take.

    `photo` is uploaded as multipart/form-data (JPEG, PNG or WebP, at most 5 MB);
    send it as null to remove it.
    """

    home_branch = TenantPrimaryKeyRelatedField(Branch)
    home_branch_name = serializers.CharField(source="home_branch.name", read_only=True)
    user = StaffLoginField(allow_null=True, required=False)
    status = EmploymentStatusField(required=False)
    gender = GenderField()
    photo = SignedImageField(required=False, allow_null=True)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False, allow_empty=True
    )
    districts = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, allow_empty=True
    )
    skills = StaffSkillSerializer(many=True, read_only=True)
    trainings_this_year = serializers.IntegerField(
        read_only=True, help_text="Trainings and assessments in the agency's current year."
    )
    certificates_expiring = serializers.IntegerField(
        read_only=True, help_text="Certificates expiring within 30 days and not renewed."
    )

    class Meta:
        model = models.StaffMember
        fields = [
            "id",
            "name",
            "photo",
            "gender",
            "birth_year",
            "home_branch",
            "home_branch_name",
            "user",
            "phone",
            "languages",
            "districts",
            "years_experience",
            "accepts_live_in",
            "status",
            "started_on",
            "left_on",
            "emergency_contact",
            "notes",
            "notify_by_sms",
            "notify_in_app",
            "rating",
            "rating_count",
            "skills",
            "trainings_this_year",
            "certificates_expiring",
            "created_at",
        ]
        read_only_fields = ["rating", "rating_count", "created_at"]


class CertificateBriefSerializer(serializers.ModelSerializer):
    kind = CertificateKindField(read_only=True)
    scan = SignedFileField(read_only=True)

    class Meta:
        model = models.Certificate
        fields = ["id", "kind", "number", "issued_on", "expires_on", "scan"]
        read_only_fields = fields


class TrainingBriefSerializer(serializers.ModelSerializer):
    kind = TrainingKindField(read_only=True)

    class Meta:
        model = models.Training
        fields = ["id", "kind", "course", "held_on", "hours", "score", "result"]
        read_only_fields = fields


class WorkingBlockSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="0 is Monday.")
    starts = serializers.TimeField()
    ends = serializers.TimeField()


class WorkingPatternSerializer(serializers.Serializer):
    """The whole weekly pattern; setting it replaces the previous one."""

    blocks = WorkingBlockSerializer(many=True, allow_empty=True)


class StaffTimeOffSerializer(serializers.ModelSerializer):
    status = TimeOffStatusField(read_only=True)
    starts = serializers.DateTimeField(source="period.lower", read_only=True)
    ends = serializers.DateTimeField(source="period.upper", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = models.TimeOff
        fields = ["id", "starts", "ends", "reason", "status", "decided_by", "decided_at"]
        read_only_fields = fields


class StaffDetailSerializer(StaffSerializer):
    """A staff member with certificates, trainings, working pattern and time off."""

    certificates = CertificateBriefSerializer(many=True, read_only=True)
    trainings = TrainingBriefSerializer(many=True, read_only=True)
    working_hours = serializers.SerializerMethodField()
    time_off = StaffTimeOffSerializer(many=True, read_only=True)

    class Meta(StaffSerializer.Meta):
        fields = [
            *StaffSerializer.Meta.fields,
            "certificates",
            "trainings",
            "working_hours",
            "time_off",
        ]

    @extend_schema_field(WorkingBlockSerializer(many=True))
    def get_working_hours(self, staff: models.StaffMember) -> list[dict[str, Any]]:
        blocks: list[models.WorkingHours] = list(staff.working_hours.all())
        return list(WorkingBlockSerializer(blocks, many=True).data)


class SkillLevelSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=50)
    level = serializers.IntegerField(min_value=1, max_value=5)


class SkillSetSerializer(serializers.Serializer):
    """All the staff member's skills; skills not listed are removed."""

    skills = SkillLevelSerializer(many=True, allow_empty=True)


class TimeOffRequestSerializer(serializers.Serializer):
    starts = PlausibleDateTimeField()
    ends = PlausibleDateTimeField()
    reason = serializers.CharField(max_length=255)


# --- certificates, trainings, time off ------------------------------------------------


class CertificateSerializer(serializers.ModelSerializer):
    """A certificate; `scan` is uploaded as multipart/form-data (PDF, JPEG or PNG, ≤ 5 MB)."""

    kind = CertificateKindField()
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    scan = SignedFileField(required=False, allow_null=True)

    class Meta:
        model = models.Certificate
        fields = [
            "id",
            "staff",
            "staff_name",
            "kind",
            "number",
            "issued_on",
            "expires_on",
            "scan",
        ]
        read_only_fields = ["staff"]


class CertificateCreateSerializer(CertificateSerializer):
    staff = TenantPrimaryKeyRelatedField(models.StaffMember)

    class Meta(CertificateSerializer.Meta):
        read_only_fields = []


class TrainingSerializer(serializers.ModelSerializer):
    kind = TrainingKindField()
    staff = TenantPrimaryKeyRelatedField(models.StaffMember)
    staff_name = serializers.CharField(source="staff.name", read_only=True)

    class Meta:
        model = models.Training
        fields = [
            "id",
            "staff",
            "staff_name",
            "kind",
            "course",
            "held_on",
            "hours",
            "score",
            "result",
        ]


class TimeOffSerializer(StaffTimeOffSerializer):
    staff: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    staff_name = serializers.CharField(source="staff.name", read_only=True)

    class Meta(StaffTimeOffSerializer.Meta):
        fields = [
            "id",
            "staff",
            "staff_name",
            *StaffTimeOffSerializer.Meta.fields[1:],
            "created_at",
        ]
        read_only_fields = fields


class TimeOffRejectSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Why rejected."
    )
