"""The one base of every action page: a POST that calls one service and goes back.

Every button that changes something (an order's, an invoice's, a complaint's,
a job's, a revisit's) posts to its own URL; the view parses its form, calls one
service (`act`), and answers the same way everywhere:

- a success: its message, and back to the page (`succeeded`, by default `back`);
- a refusal (wrong state, wrong role): the reason as a message, and back;
- a repeated submission (a double click): what the first one made, and back;
- bad input: the page again with the errors on the form (status 400), or, for a
  button without a form, the reason as a message.

Subclasses say where "back" is (`page_name`, or `back`) and, where their page
shows errors differently, override `form_invalid` or `rejected`; buttons on
lists and queues, which have no form page to show, use `QuickActionMixin`.
"""

from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from agency import tenant_views
from agency.errors import StateConflict
from agency.idempotency import RepeatedSubmission
from agency.tenant_views import attach_errors


class ActionMixin:
    """POST-only: run `act` on the page's object, then back to its page (`page_name`)."""

    http_method_names: Sequence[str] = ["post"]
    #: The object's page (a URL name taking `pk`) that `back` returns to.
    page_name: ClassVar[str] = ""
    form_class: ClassVar[type[forms.Form] | None] = None
    #: The name the page gives this action's form; a rejected form is shown there.
    form_context_name: ClassVar[str] = ""
    request: HttpRequest
    object: Any

    def act(self, obj: Any, form: Any) -> str:
        """Do it; return the success message."""
        raise NotImplementedError

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def make_form(self) -> forms.Form | None:
        if self.form_class is None:
            return None
        return self.form_class(self.request.POST, **self.form_kwargs())

    def back(self) -> HttpResponse:
        return redirect(self.page_name, pk=self.object.pk)

    def succeeded(self) -> HttpResponse:
        return self.back()

    def refused(self, message: str) -> HttpResponse:
        messages.error(self.request, message or _("This cannot be done now."))
        return self.back()

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        context = self.get_context_data(**{self.form_context_name: form})  # type: ignore[attr-defined]
        return self.render_to_response(context, status=400)  # type: ignore[attr-defined]

    def rejected(self, form: forms.Form | None, error: ValidationError) -> HttpResponse:
        """The service refused the input: on the form where there is one, else a message."""
        if form is None:
            return self.refused(" ".join(error.messages))
        attach_errors(form, error)
        return self.form_invalid(form)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.object  # another agency's, or someone else's job, is a 404 before anything
        form = self.make_form()
        if form is not None and not form.is_valid():
            return self.form_invalid(form)
        try:
            done = self.act(obj, form)
        except (StateConflict, PermissionDenied) as refusal:
            return self.refused(str(refusal))
        except RepeatedSubmission as repeat:
            messages.info(request, repeat.message)
            return self.back()
        except ValidationError as error:
            return self.rejected(form, error)
        messages.success(request, done)
        return self.succeeded()


class QuickActionMixin(ActionMixin):
    """The variant for buttons on lists, queues and boards: bad input is a message too,
    not a page of errors, and "back" is the page the button was on (`next`)."""

    #: Said when the form is invalid; "" says the form's own errors.
    invalid_message: ClassVar[str | Promise] = ""

    def default_url(self) -> str:
        """Where to go when the button's page did not say (`next`)."""
        return reverse(self.page_name, args=[self.object.pk])

    def back(self) -> HttpResponse:
        return tenant_views.back(self.request, default=self.default_url())

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return self.refused(str(self.invalid_message) or problems)

    def rejected(self, form: forms.Form | None, error: ValidationError) -> HttpResponse:
        return self.refused(" ".join(error.messages))
