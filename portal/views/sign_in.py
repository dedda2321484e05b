"""Signing in with a texted code, signing out, and the portal's language switch."""

from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from agency.masking import mask_phone
from portal import services, session
from portal.forms import CodeForm, PhoneForm
from portal.views.base import LANGUAGE_KEY, PortalMixin

#: The phone a code was just asked for, per agency, until it is used to sign in.
PENDING_KEY = "portal_pending_phone"


def sent_message() -> str:
    """The one answer to every request for a code: nothing says whether the phone is known."""
    return _("If this number is registered with us, we have sent it a code.")


class SignInView(PortalMixin, FormView):
    template_name = "portal/sign_in.html"
    form_class = PhoneForm

    def enter(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if self.customer is not None:
            return _next_or(request, self.portal_url("home"))
        return super().enter(request, *args, **kwargs)

    def form_valid(self, form: PhoneForm) -> HttpResponse:
        phone = form.cleaned_data["phone"]
        try:
            services.code_request(
                agency=self.agency,
                phone=phone,
                ip_address=get_client_ip_address(self.request),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        pending = dict(self.request.session.get(PENDING_KEY, {}))
        pending[str(self.agency.pk)] = phone
        self.request.session[PENDING_KEY] = pending
        messages.info(self.request, sent_message())
        return redirect(_with_next(self.portal_url("sign_in_code"), self.request))


class CodeView(PortalMixin, FormView):
    template_name = "portal/code.html"
    form_class = CodeForm

    def enter(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not self.pending_phone():
            return redirect(self.portal_url("sign_in"))
        return super().enter(request, *args, **kwargs)

    def pending_phone(self) -> str:
        return str(self.request.session.get(PENDING_KEY, {}).get(str(self.agency.pk), ""))

    def form_valid(self, form: CodeForm) -> HttpResponse:
        outcome = services.code_verify(
            agency=self.agency,
            phone=self.pending_phone(),
            code=form.cleaned_data["code"],
            ip_address=get_client_ip_address(self.request),
        )
        if isinstance(outcome, services.Refusal):
            form.add_error("code", outcome.message)
            return self.form_invalid(form)
        pending = dict(self.request.session.get(PENDING_KEY, {}))
        pending.pop(str(self.agency.pk), None)
        self.request.session[PENDING_KEY] = pending
        session.sign_in(self.request, agency=self.agency, customer_id=outcome.pk)
        return _next_or(self.request, self.portal_url("home"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(masked_phone=mask_phone(self.pending_phone()), **kwargs)


class SignOutView(PortalMixin, TemplateView):
    """GET asks; POST forgets this agency's sign-in only."""

    template_name = "portal/sign_out.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session.sign_out(request, agency=self.agency)
        messages.success(request, _("You are signed out."))
        return redirect(self.portal_url("sign_in"))


class LanguageView(PortalMixin):
    """POST: the portal's language switch; kept in the session, then back to the page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = request.POST.get("language", "")
        if language in dict(settings.LANGUAGES):
            request.session[LANGUAGE_KEY] = language
        return _next_or(request, self.portal_url("home"))


def _with_next(url: str, request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    return f"{url}?{urlencode({'next': target})}" if _safe(request, target) else url


def _next_or(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or request.GET.get("next", "")
    return HttpResponseRedirect(target if _safe(request, target) else default)


def _safe(request: HttpRequest, target: str) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
