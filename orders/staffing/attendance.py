"""Attendance (DESIGN.md: field staff lateness is recorded): when a job becomes a no-show."""

from datetime import datetime, timedelta

from orders.models.orders import Order


def no_show_due(order: Order) -> datetime:
    """No check-in by the start and the agency's no-show time makes a no-show."""
    return order.starts_at + timedelta(minutes=order.agency.no_show_after_minutes)
