"""The staff's own voice (issue 21): the staff satisfaction survey and suggestions.

Anonymity of the survey is kept by the tables themselves: a `SurveyResponse` names
the survey, the respondent's branch (for group results) and the day only — no staff
member, no invitation, no time of day — and a `SurveyInvitation` knows who was asked
and whether they answered, but not which response is theirs. Nothing joins the two.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.models import Branch, TenantModel
from staff.models import StaffMember


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class QuestionKind(models.TextChoices):
    SCORE = "score", _("Score from 1 to 5")
    TEXT = "text", _("Free text")


class StaffSurvey(TenantModel):
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    #: Only voice.services assigns it.
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff survey")
        verbose_name_plural = _("staff surveys")
        ordering = ["-opens_on", "-id"]
        constraints = [
            # One survey open at a time per agency: the six-monthly sweep may run twice.
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(status="open"),
                name="voice_one_open_survey",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(TenantModel):
    survey = models.ForeignKey(StaffSurvey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question (Chinese)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SCORE
    )

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="voice_question_position")
        ]

    def __str__(self) -> str:
        return self.text

    def text_in(self, language: str) -> str:
        """The question as a reader of `language` reads it (Chinese when no English is set)."""
        return self.text_en if language == "en" and self.text_en else self.text


class SurveyInvitation(TenantModel):
    """Who was asked, and whether they answered: never which response is theirs."""

    survey = models.ForeignKey(StaffSurvey, on_delete=models.CASCADE, related_name="invitations")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    #: The staff member's branch when asked: participation per branch.
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    #: The day only: a time would let one match it to a response's.
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "staff"], name="voice_one_invitation")
        ]


class SurveyResponse(TenantModel):
    """One anonymous set of answers: no staff member, no invitation, the day only."""

    survey = models.ForeignKey(StaffSurvey, on_delete=models.CASCADE, related_name="responses")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        # No ordering by id: the order of insertion says nothing to anyone reading results.
        indexes = [models.Index(fields=["survey", "branch"], name="voice_response_group")]


class SurveyAnswer(TenantModel):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="voice_one_answer"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="voice_score_1_to_5",
            ),
        ]


class VoiceSettings(TenantModel):
    """The agency's choices for the staff's voice; no row means the defaults."""

    six_monthly_survey = models.BooleanField(
        _("open the next staff survey six months after the last"), default=True
    )

    class Meta:
        verbose_name = _("staff voice settings")
        verbose_name_plural = _("staff voice settings")
        constraints = [models.UniqueConstraint(fields=["agency"], name="voice_one_settings")]


class SuggestionStatus(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")


class Suggestion(TenantModel):
    """A staff member's suggestion from the phone, read and answered by a supervisor."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("suggestion"), max_length=TEXT_MAX_LENGTH)
    submitted_at = models.DateTimeField(auto_now_add=True)
    #: Only voice.services assigns it.
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.NEW,
    )
    answer = models.TextField(_("answer"), blank=True, max_length=TEXT_MAX_LENGTH)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="voice_suggestion_submission_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["agency", "submitted_at"],
                condition=Q(status="new"),
                name="voice_suggestion_new",
            )
        ]

    def __str__(self) -> str:
        return self.text[:50]
