"""Pages of the staff's own voice: the office's surveys and suggestions, the field staff's
suggestions, and the survey's phone page behind a staff member's signed link."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from agency.action_views import ActionMixin, QuickActionMixin
from agency.errors import StateConflict
from agency.idempotency import RepeatedSubmission
from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin, attach_errors
from voice import selectors
from voice.forms import (
    AnswerForm,
    QuestionForm,
    SuggestionForm,
    SurveyAnswerForm,
    SurveyForm,
    VoiceSettingsForm,
)
from voice.links import SurveyClosed, survey_link_open
from voice.models import (
    StaffSurvey,
    Suggestion,
    SuggestionStatus,
    SurveyInvitation,
    SurveyStatus,
    VoiceSettings,
)
from voice.services import (
    QuestionInput,
    question_add,
    suggestion_answer,
    suggestion_submit,
    survey_answer,
    survey_close,
    survey_create,
    survey_open,
    voice_settings_save,
)


class SurveyListView(TenantMixin, ListView):
    """The agency's surveys with their participation; a new one; the six-monthly setting."""

    area = Area.STAFF_VOICE
    template_name = "voice/survey_list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[StaffSurvey]:
        return selectors.surveys_for(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        row = VoiceSettings.objects.filter(agency=self.agency).first()
        return super().get_context_data(
            survey_form=SurveyForm(today=self.agency.today()),
            settings_form=VoiceSettingsForm(
                initial={"six_monthly_survey": row.six_monthly_survey if row else True}
            ),
            new_suggestions=selectors.suggestions_for(
                agency=self.agency, status=SuggestionStatus.NEW
            ).count(),
            **kwargs,
        )


class SurveyCreateView(TenantMixin, FormView):
    """A new draft survey, with the default questions to reword on its page."""

    area = Area.STAFF_VOICE
    template_name = "voice/survey_form.html"
    form_class = SurveyForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "today": self.agency.today()}

    def form_valid(self, form: SurveyForm) -> HttpResponse:
        try:
            survey = survey_create(
                agency=self.agency,
                actor=self.actor,
                title=form.cleaned_data["title"],
                closes_on=form.cleaned_data["closes_on"],
            )
        except ValidationError as error:
            attach_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Survey drafted: check its questions, then open it."))
        return redirect("voice_survey", pk=survey.pk)


class VoiceSettingsView(TenantMixin, View):
    area = Area.STAFF_VOICE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = VoiceSettingsForm(request.POST)
        form.is_valid()
        try:
            voice_settings_save(
                agency=self.agency,
                actor=self.actor,
                six_monthly_survey=form.cleaned_data.get("six_monthly_survey", False),
            )
        except PermissionDenied as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Settings saved."))
        return redirect("voice_home")


class SurveyDetailView(TenantObjectMixin, DetailView):
    """A survey: its questions (editable while a draft) and its results in groups of five."""

    area = Area.STAFF_VOICE
    model = StaffSurvey
    template_name = "voice/survey_detail.html"
    context_object_name = "survey"

    def get_queryset(self) -> QuerySet[StaffSurvey]:
        return StaffSurvey.objects.filter(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        survey: StaffSurvey = self.object
        kwargs.setdefault("question_form", QuestionForm())
        return super().get_context_data(
            questions=list(survey.questions.order_by("position", "id")),
            results=selectors.survey_results(survey=survey),
            is_draft=survey.status == SurveyStatus.DRAFT,
            is_open=survey.status == SurveyStatus.OPEN,
            **kwargs,
        )


class SurveyActionView(ActionMixin, SurveyDetailView):
    page_name = "voice_survey"


class QuestionAddView(SurveyActionView):
    form_class = QuestionForm
    form_context_name = "question_form"

    def act(self, survey: StaffSurvey, form: forms.Form) -> str:
        question_add(
            survey=survey,
            actor=self.actor,
            question=QuestionInput(
                form.cleaned_data["text"], form.cleaned_data["text_en"], form.cleaned_data["kind"]
            ),
        )
        return _("Question added.")


class SurveyOpenView(SurveyActionView):
    def act(self, survey: StaffSurvey, form: None) -> str:
        opened = survey_open(survey=survey, actor=self.actor)
        invited = SurveyInvitation.objects.filter(survey=opened).count()
        return _("Survey open: %(count)s staff members are sent their link.") % {"count": invited}


class SurveyCloseView(SurveyActionView):
    def act(self, survey: StaffSurvey, form: None) -> str:
        survey_close(survey=survey, actor=self.actor)
        return _("Survey closed.")


class SuggestionListView(TenantMixin, ListView):
    """The staff's suggestions, new first by default, each answered on its row."""

    area = Area.STAFF_VOICE
    template_name = "voice/suggestions.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Suggestion]:
        status = self.request.GET.get("status", SuggestionStatus.NEW)
        if status not in SuggestionStatus.values:
            status = ""
        return selectors.suggestions_for(agency=self.agency, status=status or None)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            status=self.request.GET.get("status", SuggestionStatus.NEW),
            statuses=SuggestionStatus.choices,
            answer_form=AnswerForm(),
            **kwargs,
        )


class SuggestionAnswerView(QuickActionMixin, TenantObjectMixin, View):
    area = Area.STAFF_VOICE
    model = Suggestion
    page_name = "voice_suggestions"
    form_class = AnswerForm

    def get_queryset(self) -> QuerySet[Suggestion]:
        return Suggestion.objects.filter(agency=self.agency)

    def default_url(self) -> str:
        return reverse(self.page_name)

    def act(self, suggestion: Suggestion, form: forms.Form) -> str:
        suggestion_answer(
            suggestion=suggestion, actor=self.actor, answer=form.cleaned_data["answer"]
        )
        return _("Answer sent.")


class MySuggestionsView(TenantMixin, View):
    """The field staff member's own suggestions and their answers, and a new one (phone)."""

    area = Area.MY_JOBS
    template_name = "voice/my_suggestions.html"

    def page(self, form: SuggestionForm, *, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "staff": selectors.staff_of_user(agency=self.agency, user=self.user),
            "suggestions": selectors.suggestions_of_staff_user(agency=self.agency, user=self.user),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.page(SuggestionForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = SuggestionForm(request.POST)
        staff = selectors.staff_of_user(agency=self.agency, user=self.user)
        if not form.is_valid():
            return self.page(form, status=400)
        if staff is None:
            form.add_error(None, _("Your account is not linked to a staff record yet."))
            return self.page(form, status=400)
        try:
            suggestion_submit(
                staff=staff,
                actor=self.actor,
                text=form.cleaned_data["text"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except RepeatedSubmission as repeat:
            messages.info(request, repeat.message)
            return redirect("my_suggestions")
        except ValidationError as error:
            attach_errors(form, error)
            return self.page(form, status=400)
        except (PermissionDenied, StateConflict) as refusal:
            form.add_error(None, str(refusal))
            return self.page(form, status=400)
        messages.success(request, _("Thank you: your suggestion is sent."))
        return redirect("my_suggestions")


class SurveyLinkView(View):
    """The staff member's phone page by their signed link, in their language: the questions,
    answered once; a second time, the thank-you page and nothing written."""

    template_name = "voice/answer.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            self.invitation = survey_link_open(kwargs["token"])
        except SurveyClosed as closed:
            context = {"error": closed.message}
            return render(request, "voice/survey_closed.html", context, status=410)
        except ValidationError:
            return render(request, "orders/link_invalid.html", status=404)
        user = self.invitation.staff.user
        language = (
            user.preferred_language if user else ""
        ) or self.invitation.agency.default_language
        self.language = language
        with translation.override(language):
            request.LANGUAGE_CODE = language
            return super().dispatch(request, *args, **kwargs)

    def page(self, form: SurveyAnswerForm | None, *, status: int = 200) -> HttpResponse:
        context = {"survey": self.invitation.survey, "agency": self.invitation.agency, "form": form}
        return render(self.request, self.template_name, context, status=status)

    def form(self, data: Any = None) -> SurveyAnswerForm:
        questions = list(self.invitation.survey.questions.order_by("position", "id"))
        return SurveyAnswerForm(data, questions=questions, language=self.language)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.invitation.answered_on is not None:
            return self.page(None)
        return self.page(self.form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.invitation.answered_on is not None:
            return self.page(None)
        form = self.form(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            survey_answer(token=kwargs["token"], answers=form.answers())
        except ValidationError as error:
            attach_errors(form, error)
            return self.page(form, status=400)
        return self.page(None)
