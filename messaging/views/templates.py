"""The message templates pages (a manager's): every rule's words, and an editor per rule
and language with the allowed variables, a live preview on a real order and a reset.

Saving is `template_save` (refused with the reason on the field, nothing saved), the
reset `template_reset`; both are upserts of the one row per rule and language, so a
double click writes the same thing twice and needs no submission key.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from agency.permissions import Area
from agency.tenant_views import TenantMixin, attach_errors
from messaging import selectors
from messaging.forms import PreviewForm, TemplateForm
from messaging.rules import Rule
from messaging.services import template_problems, template_reset, template_save


class TemplateListView(TenantMixin, TemplateView):
    """Every rule by audience: its channels, and per language whose words are in force."""

    area = Area.MESSAGES
    template_name = "messaging/templates.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = selectors.words_by_rule(self.agency)
        return super().get_context_data(groups=selectors.by_audience(rows), **kwargs)


class TemplateMixin(TenantMixin):
    """A page of one rule in one language (an unknown one is a 404)."""

    area = Area.MESSAGES
    kwargs: dict[str, Any]

    @cached_property
    def rule(self) -> Rule:
        return selectors.rule_or_404(self.kwargs["rule"], self.kwargs["language"])

    @property
    def language(self) -> str:
        return str(self.kwargs["language"])


class TemplateEditView(TemplateMixin, TemplateView):
    """The words of one rule and language: save them, preview them, or go back to default."""

    template_name = "messaging/template_edit.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # The address's rule and language arrive as kwargs; the page shows their objects.
        kwargs.pop("rule", None)
        kwargs.pop("language", None)
        words = selectors.words_of(self.agency, self.rule, self.language)
        form = kwargs.pop("form", None) or TemplateForm(
            initial={"subject": words.subject, "body": words.body}
        )
        subject = form["subject"].value() or ""
        body = form["body"].value() or ""
        return super().get_context_data(
            rule=self.rule,
            words=words,
            form=form,
            variables=selectors.variables_of(self.rule),
            syntax_help=_(
                "Write a variable as %(variable)s; %(condition)s shows a part only when it "
                "has a value. Nothing else is allowed."
            )
            % {"variable": "{{ name }}", "condition": "{% if name %}…{% endif %}"},
            preview=self.preview_of(subject, body, number=""),
            **kwargs,
        )

    def preview_of(self, subject: str, body: str, *, number: str) -> dict[str, Any]:
        """The preview fragment's context: the rendering, or why it cannot render."""
        problems = template_problems(code=self.rule.code, subject=subject, body=body)
        if problems:
            return {"problems": [p for each in problems.values() for p in each]}
        return {
            "result": selectors.template_preview(
                agency=self.agency,
                rule=self.rule,
                language=self.language,
                subject=subject,
                body=body,
                number=number,
            )
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                template_save(
                    agency=self.agency,
                    actor=self.actor,
                    code=self.rule.code,
                    language=self.language,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Saved: messages written from now on use these words."))
                return redirect(
                    "message_template_edit", rule=self.rule.code, language=self.language
                )
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TemplatePreviewView(TemplateEditView):
    """The live preview (HTMX, as the manager types): the words on an order or the samples."""

    http_method_names = ["post"]
    template_name = "messaging/_preview.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = PreviewForm(request.POST)
        form.is_valid()  # what is typed so far: an empty field is a problem the preview says
        data = form.cleaned_data
        preview = self.preview_of(
            data.get("subject", ""), data.get("body", ""), number=data.get("order", "")
        )
        return self.render_to_response({"preview": preview, "rule": self.rule})


class TemplateResetView(TemplateMixin, View):
    """Back to the shipped words of this rule and language."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        template_reset(
            agency=self.agency, actor=self.actor, code=self.rule.code, language=self.language
        )
        messages.success(request, _("Back to the default words."))
        return redirect("message_template_edit", rule=self.rule.code, language=self.language)
