"""The API of message rules and templates (a manager's): read the rules, read and change
an agency's words per rule and language, go back to the default, and preview.

The same reads and services as the pages (messaging.selectors, messaging.services): an
update is refused with the reasons by field (400) and nothing is saved.
"""

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import AGENCY_HEADER_PARAMETER, TenantAPIView
from agency.permissions import Area
from messaging import selectors
from messaging.models import MessageTemplate
from messaging.rendering import SUBJECT_MAX_CHARS
from messaging.rules import RULES, Audience, Rule, Via
from messaging.services import template_problems, template_reset, template_save

# DRF's metaclass takes declared fields out of the class body, so a field may be called
# `label` (the API's word) although mypy sees it shadow Field.label.


class VariableSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField(help_text='"event:audience", e.g. "job.assigned:staff".')
    event = serializers.CharField(source="event.value")
    label = serializers.CharField()  # type: ignore[assignment]
    audience = serializers.ChoiceField(choices=Audience.choices)
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Via.choices))
    variables = serializers.SerializerMethodField()
    urgent = serializers.BooleanField(help_text="Sent in quiet hours too.")
    promotional = serializers.BooleanField(
        help_text="Never sent in quiet hours, nor to a customer who opted out."
    )

    @extend_schema_field(VariableSerializer(many=True))
    def get_variables(self, rule: Rule) -> Any:
        return VariableSerializer(selectors.variables_of(rule), many=True).data


class WordsSerializer(serializers.Serializer):
    rule = serializers.CharField(source="rule.code")
    language = serializers.CharField()
    subject = serializers.CharField()
    body = serializers.CharField()
    is_default = serializers.SerializerMethodField(
        help_text="True while the shipped words are in force (no words of the agency's own)."
    )

    def get_is_default(self, words: selectors.Words) -> bool:
        return not words.own


class TemplateInputSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=SUBJECT_MAX_CHARS)
    body = serializers.CharField(
        max_length=MessageTemplate._meta.get_field("body").max_length, trim_whitespace=False
    )


class PreviewInputSerializer(TemplateInputSerializer):
    order = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="The order number to render on; the latest order when absent, the sample "
        "values when the agency has none.",
    )


class PreviewChannelSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(source="via", choices=Via.choices)
    text = serializers.CharField(help_text="As sent: an SMS carries the signature 【agency】.")
    characters = serializers.IntegerField()
    segments = serializers.IntegerField(help_text="SMS segments (0 for other channels).")


class PreviewSerializer(serializers.Serializer):
    example = serializers.CharField(help_text='The order rendered on; "" for the samples.')
    subject = serializers.CharField()
    body = serializers.CharField()
    channels = PreviewChannelSerializer(many=True)


class MessageRuleListView(TenantAPIView):
    """GET /api/message-rules/: every rule of who hears what (a manager)."""

    area = Area.MESSAGES

    @extend_schema(
        summary="Every message rule: event, audience, channels and allowed variables",
        parameters=[AGENCY_HEADER_PARAMETER],
        responses=RuleSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(RuleSerializer(RULES, many=True).data)


class MessageTemplateListView(TenantAPIView):
    """GET /api/message-templates/: the words in force for every rule and language."""

    area = Area.MESSAGES

    @extend_schema(
        summary="The words in force for every rule and language (the agency's or the default)",
        parameters=[AGENCY_HEADER_PARAMETER],
        responses=WordsSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        words = [w for row in selectors.words_by_rule(self.agency) for w in row.words]
        return Response(WordsSerializer(words, many=True).data)


class TemplateAPIView(TenantAPIView):
    """One rule in one language, named by the address (an unknown one is a 404)."""

    area = Area.MESSAGES

    def rule(self) -> Rule:
        return selectors.rule_or_404(self.kwargs["rule"], self.kwargs["language"])


class MessageTemplateView(TemplateAPIView):
    """/api/message-templates/{rule}/{language}/: read, change, reset the words."""

    @extend_schema(
        summary="The words in force for one rule and language",
        parameters=[AGENCY_HEADER_PARAMETER],
        responses=WordsSerializer,
    )
    def get(self, request: Request, rule: str, language: str) -> Response:
        words = selectors.words_of(self.agency, self.rule(), language)
        return Response(WordsSerializer(words).data)

    @extend_schema(
        summary="Save the agency's words (held for messages written from now on)",
        description="Refused with the reason by field (400) when a template does not read, "
        "uses a variable the rule does not list, renders empty, or is too long for an SMS.",
        parameters=[AGENCY_HEADER_PARAMETER],
        request=TemplateInputSerializer,
        responses=WordsSerializer,
    )
    def put(self, request: Request, rule: str, language: str) -> Response:
        found = self.rule()
        serializer = TemplateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        template_save(
            agency=self.agency,
            actor=self.actor,
            code=found.code,
            language=language,
            **serializer.validated_data,
        )
        return Response(WordsSerializer(selectors.words_of(self.agency, found, language)).data)

    @extend_schema(
        summary="Go back to the default words",
        parameters=[AGENCY_HEADER_PARAMETER],
        request=None,
        responses={204: None},
    )
    def delete(self, request: Request, rule: str, language: str) -> Response:
        found = self.rule()
        template_reset(agency=self.agency, actor=self.actor, code=found.code, language=language)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MessageTemplatePreviewView(TemplateAPIView):
    """POST /api/message-templates/{rule}/{language}/preview/: render words, save nothing."""

    @extend_schema(
        summary="Render words on an order of the agency (or the samples), as they would go out",
        description="Nothing is saved. Words that could not be saved answer 400 with the "
        "reasons by field, as an update would.",
        parameters=[AGENCY_HEADER_PARAMETER],
        request=PreviewInputSerializer,
        responses=PreviewSerializer,
    )
    def post(self, request: Request, rule: str, language: str) -> Response:
        found = self.rule()
        serializer = PreviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        problems = template_problems(code=found.code, subject=data["subject"], body=data["body"])
        if problems:
            raise serializers.ValidationError(problems)
        preview = selectors.template_preview(
            agency=self.agency,
            rule=found,
            language=language,
            subject=data["subject"],
            body=data["body"],
            number=data.get("order", ""),
        )
        return Response(PreviewSerializer(preview).data)
