"""The pay rules page (issue 21): the agency's pay policy and its rates, each rate added,
changed or removed through `payroll.rules`."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView

from agency.action_views import ActionMixin
from agency.permissions import Area
from agency.tenant_views import ServiceFormMixin, TenantMixin, TenantObjectMixin, attach_errors
from payroll import selectors
from payroll.forms import PayRateForm, policy_form_class
from payroll.models import PayRate
from payroll.rates import policy_for
from payroll.rules import RATE_FIELDS, pay_policy_save, pay_rate_delete, pay_rate_save


class RulesView(TenantMixin, View):
    """The policy (a form) above the rates (a table with their edit and remove buttons)."""

    area = Area.PAYROLL
    template_name = "payroll/rules.html"

    def page(self, form: Any, status: int = 200) -> HttpResponse:
        context = {"policy_form": form, "rates": selectors.pay_rates_for(agency=self.agency)}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.page(policy_form_class()(instance=policy_for(self.agency)))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = policy_form_class()(request.POST, instance=policy_for(self.agency))
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            pay_policy_save(agency=self.agency, actor=self.actor, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
            return self.page(form, status=400)
        messages.success(request, _("Pay policy saved."))
        return redirect("payroll_rules")


class RateFormMixin(ServiceFormMixin):
    agency: Any
    actor: Any
    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["agency"] = self.agency
        return kwargs

    def get_success_url(self) -> str:
        return reverse("payroll_rules")

    def save(self, form: PayRateForm, rate: PayRate | None) -> None:
        data = {name: form.cleaned_data[name] for name in RATE_FIELDS}
        pay_rate_save(agency=self.agency, actor=self.actor, rate=rate, **data)
        messages.success(self.request, _("Pay rate saved."))


class RateCreateView(RateFormMixin, TenantMixin, FormView):
    area = Area.PAYROLL
    template_name = "payroll/rate_form.html"
    form_class = PayRateForm

    def perform(self, form: PayRateForm) -> None:
        self.save(form, None)


class RateEditView(RateFormMixin, TenantObjectMixin, FormView):
    area = Area.PAYROLL
    model = PayRate
    template_name = "payroll/rate_form.html"
    form_class = PayRateForm

    def get_queryset(self) -> QuerySet[PayRate]:
        return selectors.pay_rates_for(agency=self.agency)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(rate=self.object, **kwargs)

    def perform(self, form: PayRateForm) -> None:
        self.save(form, self.object)


class RateDeleteView(ActionMixin, TenantObjectMixin, DetailView):
    area = Area.PAYROLL
    model = PayRate

    def get_queryset(self) -> QuerySet[PayRate]:
        return selectors.pay_rates_for(agency=self.agency)

    def back(self) -> HttpResponse:
        return redirect("payroll_rules")

    def act(self, rate: PayRate, form: None) -> str:
        pay_rate_delete(rate=rate, actor=self.actor)
        return _("Pay rate removed.")
