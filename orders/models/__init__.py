"""The orders app's data: customers, the catalogue and prices, orders and their records."""

from orders.models.assignments import (
    HOLDING,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    DoNotSend,
)
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
    "HOLDING",
    "Assignment",
    "AssignmentRole",
    "AssignmentStatus",
    "Callback",
    "Cancellation",
    "CancellationStatus",
    "Customer",
    "CustomerAddress",
    "CustomerSignature",
    "DoNotSend",
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
