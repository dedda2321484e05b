"""The order's API at one URL (`/api/orders/`): intake's viewset with staffing's actions.

Each wing brings its own actions on the order; this module only puts them together,
as `orders.urls` does for the pages.
"""

from orders.intake.api import OrderIntakeViewSet
from orders.staffing.api import OrderStaffingActions


class OrderViewSet(OrderStaffingActions, OrderIntakeViewSet):
    """Orders (订单): intake, quote, confirmation, cancellation. Status changes only in services."""
