"""API shapes of the staff's own voice."""

from rest_framework import serializers

from agency.bounds import TEXT_MAX_LENGTH
from voice.models import QuestionKind, StaffSurvey, Suggestion, SurveyQuestion


class SurveyQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyQuestion
        fields = ["id", "position", "text", "text_en", "kind"]
        read_only_fields = ["id", "position"]


class StaffSurveySerializer(serializers.ModelSerializer):
    questions = SurveyQuestionSerializer(many=True, read_only=True)
    invited = serializers.IntegerField(read_only=True, default=None)
    answered = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = StaffSurvey
        fields = [
            "id",
            "title",
            "opens_on",
            "closes_on",
            "status",
            "invited",
            "answered",
            "questions",
        ]
        read_only_fields = fields


class QuestionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    text_en = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=QuestionKind.choices, default=QuestionKind.SCORE)


class StaffSurveyCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    closes_on = serializers.DateField()
    opens_on = serializers.DateField(required=False)
    questions = QuestionInputSerializer(
        many=True,
        required=False,
        help_text="The questions in order; left out, the default six (Chinese and English).",
    )


class QuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question.pk")
    text = serializers.CharField(source="question.text")
    kind = serializers.CharField(source="question.kind")
    average = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    scored = serializers.IntegerField()
    texts = serializers.ListField(child=serializers.CharField())


class GroupResultSerializer(serializers.Serializer):
    branch = serializers.IntegerField(source="branch.pk", allow_null=True, default=None)
    branch_name = serializers.CharField(source="branch.name", allow_null=True, default=None)
    invited = serializers.IntegerField()
    answered = serializers.IntegerField()
    participation = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    responses = serializers.IntegerField()
    shown = serializers.BooleanField(
        help_text="False for a group of fewer than 5 responses: then no score nor text."
    )
    questions = QuestionResultSerializer(many=True)


class SurveyResultsSerializer(serializers.Serializer):
    survey = serializers.IntegerField(source="survey.pk")
    overall = GroupResultSerializer()
    branches = GroupResultSerializer(many=True)


class SuggestionSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    branch_name = serializers.CharField(source="branch.name", read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "staff",
            "staff_name",
            "branch",
            "branch_name",
            "text",
            "submitted_at",
            "status",
            "answer",
            "answered_at",
        ]
        read_only_fields = fields


class SuggestionCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class SuggestionAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=TEXT_MAX_LENGTH)
