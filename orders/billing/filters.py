"""Filters of the billing list and the billing API (the same rules for both).

Choices of branches and customers come from the request's agency only;
"overdue" is judged by the agency's own date, not the server's.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agency.filters import DayFilter
from agency.models import Branch
from agency.widgets import DateInput
from orders.billing import selectors
from orders.models import Customer, Invoice, InvoiceKind, InvoiceStatus
from orders.selectors import number_or_customer_search


class InvoiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("status"), choices=InvoiceStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=InvoiceKind.choices)
    unpaid = django_filters.BooleanFilter(label=_("unpaid"), method="filter_unpaid")
    overdue = django_filters.BooleanFilter(
        label=_("overdue"),
        method="filter_overdue",
        widget=forms.Select(
            choices=[("", _("all")), ("true", _("overdue only")), ("false", _("not overdue"))]
        ),
    )
    issued_after = DayFilter(
        label=_("issued from"),
        field_name="issued_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    issued_before = DayFilter(
        label=_("issued until"),
        field_name="issued_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )
    customer = django_filters.ModelChoiceFilter(
        label=_("customer"), queryset=Customer.objects.none()
    )
    branch = django_filters.ModelChoiceFilter(label=_("branch"), queryset=Branch.objects.none())

    class Meta:
        model = Invoice
        fields = [
            "q",
            "status",
            "kind",
            "unpaid",
            "overdue",
            "issued_after",
            "issued_before",
            "customer",
            "branch",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.request.agency
        self.filters["branch"].queryset = Branch.objects.filter(agency=agency)
        self.filters["customer"].queryset = Customer.objects.filter(agency=agency)

    def search(self, queryset: QuerySet[Invoice], name: str, value: str) -> QuerySet[Invoice]:
        """By invoice number, customer name, or (any part of) the customer's phone."""
        return number_or_customer_search(queryset, value, agency=self.request.agency)

    def filter_unpaid(
        self, queryset: QuerySet[Invoice], name: str, value: bool | None
    ) -> QuerySet[Invoice]:
        if value is None:
            return queryset
        return queryset.filter(selectors.UNPAID if value else ~selectors.UNPAID)

    def filter_overdue(
        self, queryset: QuerySet[Invoice], name: str, value: bool | None
    ) -> QuerySet[Invoice]:
        if value is None:
            return queryset
        overdue = selectors.overdue_q(self.request.agency.today())
        return queryset.filter(overdue if value else ~overdue)
