from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from agency.permissions import Area
from agency.tenant_views import ServiceFormMixin, TenantMixin, TenantObjectMixin
from orders.intake import selectors
from orders.intake.forms import PriceForm, ServiceTypeForm
from orders.intake.services.catalogue import price_set, service_type_create, service_type_update
from orders.models import ServiceType


class CatalogueView(TenantMixin, ListView):
    """Services and their current prices; the office reads it, a manager edits it."""

    area = Area.ORDERS
    template_name = "orders/catalogue.html"

    def get_queryset(self) -> QuerySet[ServiceType]:
        return selectors.service_types_for(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = self.agency.today()
        rows = [(s, selectors.current_price(s, on=today)) for s in self.object_list]
        return super().get_context_data(rows=rows, **kwargs)


class ServiceTypeCreateView(TenantMixin, ServiceFormMixin, FormView):
    area = Area.PRICES
    template_name = "orders/service_type_form.html"
    form_class = ServiceTypeForm
    success_url = reverse_lazy("catalogue")

    def perform(self, form: ServiceTypeForm) -> None:
        service = service_type_create(agency=self.agency, actor=self.actor, **form.cleaned_data)
        messages.success(self.request, _("%(service)s added.") % {"service": service.name})


class ServiceTypeFormView(TenantObjectMixin, ServiceFormMixin, FormView):
    """A manager's form about one service of the catalogue (another agency's answers 404);
    back to the catalogue once saved."""

    area = Area.PRICES
    model = ServiceType
    success_url = reverse_lazy("catalogue")

    def get_queryset(self) -> QuerySet[ServiceType]:
        return selectors.service_types_for(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(service=self.object, **kwargs)


class ServiceTypeEditView(ServiceTypeFormView):
    template_name = "orders/service_type_form.html"
    form_class = ServiceTypeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def perform(self, form: ServiceTypeForm) -> None:
        service_type_update(service_type=self.object, actor=self.actor, **form.cleaned_data)
        messages.success(self.request, _("%(service)s saved.") % {"service": self.object.name})


class PriceSetView(ServiceTypeFormView):
    """A new price from a date on; old quotes keep the price they used."""

    template_name = "orders/price_form.html"
    form_class = PriceForm

    def get_initial(self) -> dict[str, Any]:
        return {"effective_from": self.agency.today()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(prices=self.object.prices.all(), **kwargs)

    def perform(self, form: PriceForm) -> None:
        service = self.object
        price_set(service_type=service, actor=self.actor, **form.cleaned_data)
        messages.success(
            self.request, _("New price of %(service)s saved.") % {"service": service.name}
        )
