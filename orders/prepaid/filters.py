"""Filters of the cards list and the cards API (the same rules for both)."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from orders.models import CardStatus, PrepaidCard, ProductKind
from orders.selectors import number_or_customer_search


class CardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("status"), choices=CardStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ProductKind.choices)

    class Meta:
        model = PrepaidCard
        fields = ["q", "status", "kind"]

    def search(self, queryset: QuerySet[PrepaidCard], name: str, value: str) -> QuerySet:
        """By card number, customer name or phone, as the billing list searches invoices."""
        return number_or_customer_search(queryset, value, agency=self.request.agency)
