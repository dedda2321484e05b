"""Filters of the order board and the orders API (the same rules for both)."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agency.filters import DayFilter
from agency.models import Branch
from orders.models import Customer, Order, OrderStatus, ServiceType
from orders.selectors import number_or_customer_search


class OrderFilter(django_filters.FilterSet):
    """Choices of branches, services and customers come from the request's agency only."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.MultipleChoiceFilter(
        label=_("status"), choices=OrderStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    branch = django_filters.ModelChoiceFilter(label=_("branch"), queryset=Branch.objects.none())
    service_type = django_filters.ModelChoiceFilter(
        label=_("service"), queryset=ServiceType.objects.none()
    )
    customer = django_filters.ModelChoiceFilter(
        label=_("customer"), queryset=Customer.objects.none()
    )
    starts_after = DayFilter(label=_("from"), field_name="starts_at", lookup_expr="date__gte")
    starts_before = DayFilter(label=_("to"), field_name="starts_at", lookup_expr="date__lte")
    urgent = django_filters.BooleanFilter(label=_("urgent"), field_name="is_urgent")

    class Meta:
        model = Order
        fields = [
            "q",
            "status",
            "branch",
            "service_type",
            "customer",
            "starts_after",
            "starts_before",
            "urgent",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.request.agency
        self.filters["branch"].queryset = Branch.objects.filter(agency=agency)
        self.filters["service_type"].queryset = ServiceType.objects.filter(agency=agency)
        self.filters["customer"].queryset = Customer.objects.filter(agency=agency)

    def search(self, queryset: QuerySet[Order], name: str, value: str) -> QuerySet[Order]:
        return number_or_customer_search(queryset, value, agency=self.request.agency)
