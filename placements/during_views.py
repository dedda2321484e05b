"""Pages of the placement's follow-up: the briefing and the start on the placement page,
the replacement the customer asked for, and the customer's trial answer by link."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from agency.action_views import ActionMixin
from agency.errors import StateConflict
from placements.during import briefing_items, briefing_record, placement_start
from placements.during_forms import BriefingForm, TrialAnswerForm, TrialReplaceForm
from placements.during_trial import (
    trial_answer_by_link,
    trial_assignment_by_token,
    trial_question,
    trial_replace,
)
from placements.models import Placement, TrialChoice, TrialDecision
from placements.views import PlacementDetailView


class DuringActionView(ActionMixin, PlacementDetailView):
    """A button of the follow-up panel: back to the placement page."""

    page_name = "placement_detail"


class BriefingView(DuringActionView):
    form_class = BriefingForm
    form_context_name = "briefing_form"

    def form_kwargs(self) -> dict[str, Any]:
        return {"items": briefing_items(self.agency)}

    def act(self, placement: Placement, form: forms.Form) -> str:
        briefing = briefing_record(
            placement=placement,
            actor=self.actor,
            ticked=form.cleaned_data["ticked"],
            staff_present=form.cleaned_data["staff_present"],
        )
        return _("Briefing done.") if briefing.done_at else _("Briefing saved: not complete yet.")


class StartView(DuringActionView):
    def act(self, placement: Placement, form: None) -> str:
        placement_start(placement=placement, actor=self.actor)
        return _("The placement has started.")


class TrialReplaceView(DuringActionView):
    form_class = TrialReplaceForm
    form_context_name = "trial_replace_form"

    def form_kwargs(self) -> dict[str, Any]:
        return {"placement": self.object}

    def act(self, placement: Placement, form: forms.Form) -> str:
        decision = (
            TrialDecision.objects.filter(
                agency=self.agency,
                placement=placement,
                choice=TrialChoice.REPLACE,
                replacement__isnull=True,
            )
            .order_by("-answered_at")
            .first()
        )
        if decision is None:
            raise StateConflict(_("The customer has not asked for a replacement."))
        trial_replace(decision=decision, actor=self.actor, staff=form.cleaned_data["staff"])
        return _("Replacement proposed in place of the staff member.")


class TrialAnswerView(View):
    """The customer's signed link at the end of the trial (no account, their language)."""

    template_name = "placements/during/trial_answer.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            self.assignment = trial_assignment_by_token(kwargs["token"])
        except ValidationError:
            return render(request, "orders/link_invalid.html", status=404)
        order = self.assignment.order
        language = order.customer.preferred_language or order.agency.default_language
        with translation.override(language):
            request.LANGUAGE_CODE = language
            return super().dispatch(request, *args, **kwargs)

    def page(self, form: forms.Form, status: int = 200, error: str = "") -> HttpResponse:
        context = {
            "assignment": self.assignment,
            "order": self.assignment.order,
            "decision": trial_question(self.assignment),
            "form": form,
            "error": error,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.page(TrialAnswerForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = TrialAnswerForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            trial_answer_by_link(
                token=kwargs["token"],
                choice=form.cleaned_data["choice"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
            return self.page(form, status=400)
        except StateConflict as conflict:
            return self.page(form, status=409, error=str(conflict))
        return self.page(TrialAnswerForm())
