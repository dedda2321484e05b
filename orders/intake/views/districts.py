"""The manager's list of district centres (under the agency settings): list, add, edit."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from agency.permissions import Area
from agency.tenant_views import ServiceFormMixin, TenantMixin, TenantObjectMixin
from orders.intake import selectors
from orders.intake.forms import DistrictForm
from orders.intake.services.districts import district_create, district_update
from orders.models import District


class DistrictListView(TenantMixin, ListView):
    area = Area.SETTINGS
    template_name = "orders/district_list.html"

    def get_queryset(self) -> QuerySet[District]:
        return selectors.districts_for(agency=self.agency)


class DistrictCreateView(TenantMixin, ServiceFormMixin, FormView):
    area = Area.SETTINGS
    template_name = "orders/district_form.html"
    form_class = DistrictForm
    success_url = reverse_lazy("district_list")

    def perform(self, form: DistrictForm) -> None:
        district = district_create(agency=self.agency, actor=self.actor, **form.cleaned_data)
        messages.success(self.request, _("%(district)s added.") % {"district": district.name})


class DistrictEditView(TenantObjectMixin, ServiceFormMixin, FormView):
    area = Area.SETTINGS
    model = District
    template_name = "orders/district_form.html"
    form_class = DistrictForm
    success_url = reverse_lazy("district_list")

    def get_queryset(self) -> QuerySet[District]:
        return selectors.districts_for(agency=self.agency)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(district=self.object, **kwargs)

    def perform(self, form: DistrictForm) -> None:
        district_update(district=self.object, actor=self.actor, **form.cleaned_data)
        messages.success(self.request, _("%(district)s saved.") % {"district": self.object.name})
