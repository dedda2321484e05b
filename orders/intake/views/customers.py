from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from agency.permissions import Area
from agency.tenant_views import ServiceFormMixin, TenantMixin, TenantObjectMixin
from messaging.views.log import page_log
from orders import selectors as order_selectors
from orders.intake import selectors
from orders.intake.forms import CustomerForm
from orders.intake.services.customers import customer_reveal_contact, customer_update
from orders.models import Customer
from orders.prepaid.selectors import cards_for_customer


class CustomerListView(TenantMixin, ListView):
    area = Area.ORDERS
    template_name = "orders/customer_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Customer]:
        customers = selectors.customer_search(
            selectors.customers_for(agency=self.agency), self.request.GET.get("q", "")
        )
        if self.request.GET.get("special_attention"):
            customers = customers.filter(special_attention=True)
        return customers


class CustomerDetailView(TenantObjectMixin, DetailView):
    """The customer, masked, with the history of their orders."""

    area = Area.ORDERS
    model = Customer
    template_name = "orders/customer_detail.html"
    context_object_name = "customer"

    def get_queryset(self) -> QuerySet[Customer]:
        return selectors.customers_for(agency=self.agency).prefetch_related("addresses")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        orders = order_selectors.orders_for(agency=self.agency).filter(customer=self.object)
        return super().get_context_data(
            orders=orders.order_by("-starts_at")[:100],
            prepaid_cards=cards_for_customer(agency=self.agency, customer=self.object),
            currency=self.agency.currency,
            **page_log(agency=self.agency, topic=f"customer:{self.object.pk}"),
            **kwargs,
        )


class CustomerEditView(TenantObjectMixin, ServiceFormMixin, FormView):
    area = Area.ORDERS
    model = Customer
    template_name = "orders/customer_form.html"
    form_class = CustomerForm

    def get_queryset(self) -> QuerySet[Customer]:
        return selectors.customers_for(agency=self.agency)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def perform(self, form: CustomerForm) -> None:
        customer_update(customer=self.object, actor=self.actor, **form.cleaned_data)
        messages.success(self.request, _("Customer saved."))

    def get_success_url(self) -> str:
        return reverse("customer_detail", kwargs={"pk": self.object.pk})


class CustomerRevealView(TenantObjectMixin, DetailView):
    """HTMX POST: one full phone number or street address, audited (DESIGN.md)."""

    area = Area.ORDERS
    model = Customer
    http_method_names = ["post"]

    def get_queryset(self) -> QuerySet[Customer]:
        return selectors.customers_for(agency=self.agency).prefetch_related("addresses")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        customer = self.get_object()
        address_id = request.POST.get("address", "")
        address = next((a for a in customer.addresses.all() if str(a.pk) == address_id), None)
        try:
            value = customer_reveal_contact(
                customer=customer,
                actor=self.actor,
                field=request.POST.get("field", ""),
                address=address,
            )
        except ValidationError as error:
            return HttpResponseBadRequest(" ".join(error.messages))
        return render(request, "orders/_revealed.html", {"value": value})
