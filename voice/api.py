"""The staff's own voice in the API: surveys (with their results in groups of five) and
suggestions (field staff post theirs; supervisors read and answer them)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, TenantViewSet
from agency.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent, key_of
from agency.models import Agency
from agency.permissions import Area
from voice import selectors
from voice.models import StaffSurvey, Suggestion
from voice.serializers import (
    StaffSurveyCreateSerializer,
    StaffSurveySerializer,
    SuggestionAnswerSerializer,
    SuggestionCreateSerializer,
    SuggestionSerializer,
    SurveyResultsSerializer,
)
from voice.services import (
    DEFAULT_QUESTIONS,
    QuestionInput,
    suggestion_answer,
    suggestion_submit,
    survey_create,
    survey_open,
)


@extend_schema_view(
    list=extend_schema(summary="Staff surveys, newest first, with their participation"),
    retrieve=extend_schema(summary="A staff survey and its questions"),
)
class StaffSurveyViewSet(
    ActionInputMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """The six-monthly staff satisfaction survey (issue 21), run by supervisors and the manager."""

    area = Area.STAFF_VOICE
    model = StaffSurvey
    serializer_class = StaffSurveySerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[StaffSurvey]:
        return selectors.surveys_for(agency=agency).prefetch_related("questions")

    def shown(self, survey: StaffSurvey) -> Response:
        fresh = self.tenant_queryset(self.agency).get(pk=survey.pk)
        return Response(StaffSurveySerializer(fresh).data)

    @extend_schema(
        summary="Draft a survey with its questions (the default six when none are given)",
        request=StaffSurveyCreateSerializer,
        responses={201: StaffSurveySerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.action_input(StaffSurveyCreateSerializer)
        questions = [QuestionInput(**q) for q in data.get("questions") or []] or DEFAULT_QUESTIONS
        survey = survey_create(
            agency=self.agency,
            actor=self.actor,
            title=data["title"],
            closes_on=data["closes_on"],
            opens_on=data.get("opens_on"),
            questions=questions,
        )
        response = self.shown(survey)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        summary="Open a draft: every active staff member is sent a signed link (409 if not a "
        "draft or another survey is open)",
        request=None,
        responses=StaffSurveySerializer,
    )
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str | None = None) -> Response:
        return self.shown(survey_open(survey=self.get_object(), actor=self.actor))

    @extend_schema(
        summary="Participation and per-question results, overall and per branch; groups of "
        "fewer than 5 responses show participation only",
        responses=SurveyResultsSerializer,
    )
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        results = selectors.survey_results(survey=self.get_object())
        return Response(SurveyResultsSerializer(results).data)


@extend_schema_view(list=extend_schema(summary="The staff's suggestions, newest first"))
class SuggestionViewSet(mixins.ListModelMixin, TenantViewSet):
    """Suggestions: supervisors read them; a field staff member posts their own."""

    area = Area.STAFF_VOICE
    write_area = Area.MY_JOBS
    model = Suggestion
    serializer_class = SuggestionSerializer
    filterset_fields = ["status"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Suggestion]:
        return selectors.suggestions_for(agency=agency)

    @extend_schema(
        summary="Send a suggestion (field staff, from their own account)",
        request=SuggestionCreateSerializer,
        responses={201: SuggestionSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = SuggestionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        staff = selectors.staff_of_user(agency=self.agency, user=self.user)
        if staff is None:
            raise ValidationError(_not_linked())
        suggestion = suggestion_submit(
            staff=staff,
            actor=self.actor,
            text=serializer.validated_data["text"],
            submission_key=key_of(request),
        )
        fresh = self.tenant_queryset(self.agency).get(pk=suggestion.pk)
        return Response(SuggestionSerializer(fresh).data, status=status.HTTP_201_CREATED)


def _not_linked() -> str:
    return _("Your account is not linked to a staff record yet.")


@extend_schema_view(retrieve=extend_schema(summary="A suggestion"))
class SuggestionAnswerViewSet(ActionInputMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """One suggestion, and the supervisor's answer to it (sent to the staff member)."""

    area = Area.STAFF_VOICE
    model = Suggestion
    serializer_class = SuggestionSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Suggestion]:
        return selectors.suggestions_for(agency=agency)

    @extend_schema(
        summary="Answer (once: 409 when answered already)",
        request=SuggestionAnswerSerializer,
        responses=SuggestionSerializer,
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        suggestion = self.get_object()
        data = self.action_input(SuggestionAnswerSerializer)
        answered = suggestion_answer(suggestion=suggestion, actor=self.actor, answer=data["answer"])
        fresh = self.tenant_queryset(self.agency).get(pk=answered.pk)
        return Response(SuggestionSerializer(fresh).data)
