"""The orders app's data: customers, the catalogue and prices, orders and their records."""

from orders.models.catalogue import Price, PricingUnit, ServiceCategory, ServiceType
from orders.models.customers import Customer, CustomerAddress
from orders.models.orders import (
    Callback,
    Cancellation,
    CancellationStatus,
    CustomerSignature,
    DocumentCounter,
    NeedsForm,
    Order,
    OrderEvent,
    OrderStatus,
    Quote,
    RecurringPlan,
    ScheduleKind,
    SignaturePurpose,
    SignedVia,
)

__all__ = [
    "Callback",
    "Cancellation",
    "CancellationStatus",
    "Customer",
    "CustomerAddress",
    "CustomerSignature",
    "DocumentCounter",
    "NeedsForm",
    "Order",
    "OrderEvent",
    "OrderStatus",
    "Price",
    "PricingUnit",
    "Quote",
    "RecurringPlan",
    "ScheduleKind",
    "ServiceCategory",
    "ServiceType",
    "SignaturePurpose",
    "SignedVia",
]
