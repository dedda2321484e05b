"""Contract pages: the manager's templates (a new version each save) and sending a
placement's contract for signature from its page."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from agency.action_views import ActionMixin
from agency.permissions import Area
from agency.tenant_views import ServiceFormMixin, TenantMixin
from placements.contract_forms import ContractPrepareForm, ContractTemplateForm
from placements.contract_selectors import contract_templates_for, placement_services
from placements.contracts import VARIABLES, contract_prepare, contract_template_save, default_body
from placements.models import ContractTemplate, Placement
from placements.views import PlacementDetailView


class ContractTemplateView(TenantMixin, ServiceFormMixin, FormView):
    """The agency's contract templates: edit one (service and language from the query)
    and save it as a new version; every version listed below."""

    area = Area.CONTRACTS
    template_name = "placements/contract/templates.html"
    form_class = ContractTemplateForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agency": self.agency}

    def get_initial(self) -> dict[str, Any]:
        services = placement_services(agency=self.agency)
        asked = self.request.GET.get("service", "")
        service = (services.filter(pk=asked).first() if asked.isdigit() else None) or (
            services.first()
        )
        language = self.request.GET.get("language", "zh-hans")
        if language not in ("zh-hans", "en"):
            language = "zh-hans"
        current = (
            ContractTemplate.objects.filter(
                agency=self.agency, service_type=service, language=language
            )
            .order_by("-version")
            .first()
        )
        body = current.body if current else default_body(language)
        return {"service_type": service, "language": language, "body": body}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            history=contract_templates_for(agency=self.agency), variables=VARIABLES, **kwargs
        )

    def perform(self, form: ContractTemplateForm) -> None:
        data = form.cleaned_data
        self.saved = contract_template_save(
            agency_id=self.agency.pk,
            service_type=data["service_type"],
            language=data["language"],
            body=data["body"],
            actor=self.actor,
        )
        messages.success(
            self.request, _("Version %(version)s saved.") % {"version": self.saved.version}
        )

    def form_invalid(self, form: ContractTemplateForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self) -> str:
        query = f"?service={self.saved.service_type_id}&language={self.saved.language}"
        return reverse("contract_templates") + query


class ContractPrepareView(ActionMixin, PlacementDetailView):
    """The placement page's "send for signature": refused, the page again (400) with
    the missing terms named."""

    http_method_names = ["post"]
    page_name = "placement_detail"
    form_class = ContractPrepareForm
    form_context_name = "contract_form"

    def act(self, placement: Placement, form: ContractPrepareForm) -> str:
        contract_prepare(
            placement=placement, actor=self.actor, language=form.cleaned_data["language"]
        )
        return _("The contract is out for signature.")

    def succeeded(self) -> HttpResponse:
        return redirect(reverse("placement_detail", kwargs={"pk": self.object.pk}) + "#contract")
