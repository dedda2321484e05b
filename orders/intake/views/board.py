from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils.dateparse import parse_date
from django_filters.views import FilterView

from agency.permissions import Area
from agency.tenant_views import TenantMixin
from orders import selectors
from orders.intake import selectors as intake_selectors
from orders.intake.filters import OrderFilter
from orders.models import Order


class OrderBoardView(TenantMixin, FilterView):
    """The dispatcher's day: orders touching one day, or a search across all days."""

    area = Area.ORDERS
    template_name = "orders/board.html"
    filterset_class = OrderFilter
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Order]:
        return selectors.orders_for(agency=self.agency).order_by("starts_at", "id")

    @property
    def day(self) -> date:
        return parse_date(self.request.GET.get("day", "")) or self.agency.today()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            day=self.day,
            previous_day=self.day - timedelta(days=1),
            next_day=self.day + timedelta(days=1),
            searching=self._searching(),
            waiting=intake_selectors.booking_requests_banner(agency=self.agency),
            **kwargs,
        )

    def paginate_queryset(self, queryset: QuerySet[Order], page_size: int) -> Any:
        # A search or an explicit date range looks across days; otherwise the board is one day.
        if not self._searching():
            queryset = selectors.orders_on_day(queryset, agency=self.agency, day=self.day)
        return super().paginate_queryset(queryset, page_size)

    def _searching(self) -> bool:
        params = self.request.GET
        return any(params.get(key) for key in ("q", "starts_after", "starts_before", "customer"))
