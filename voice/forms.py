"""Forms of the staff's own voice."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.idempotency import submission_key_field
from agency.widgets import DateInput
from voice.models import QuestionKind, SurveyQuestion
from voice.services import SURVEY_OPEN_DAYS


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())

    def __init__(self, *args: Any, today: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if today is not None:
            self.fields["closes_on"].initial = today + timedelta(days=SURVEY_OPEN_DAYS)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question (Chinese)"), max_length=300)
    text_en = forms.CharField(label=_("Question (English)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)


class VoiceSettingsForm(forms.Form):
    six_monthly_survey = forms.BooleanField(
        label=_("Open the next staff survey six months after the last"), required=False
    )


class SuggestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your suggestion"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    submission_key = submission_key_field()


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class SurveyAnswerForm(forms.Form):
    """One field per question, in the reader's language: a score 1–5 or a free text."""

    def __init__(self, *args: Any, questions: list[SurveyQuestion], language: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.SCORE:
                self.fields[name] = forms.ChoiceField(
                    label=question.text_in(language),
                    choices=[(str(n), str(n)) for n in range(1, 6)],
                    widget=forms.RadioSelect(attrs={"class": "score"}),
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text_in(language),
                    required=False,
                    max_length=TEXT_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    def answers(self) -> dict[int, str]:
        return {int(name[1:]): str(value or "") for name, value in self.cleaned_data.items()}
