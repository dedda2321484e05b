"""The customer's words for where things stand: never the office's status names.

"Inspection" or "Invoiced" mean something to a dispatcher; a customer wants to
know whether someone is coming, whether it is done and whether they owe money.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from complaints.models import Status as ComplaintStatus
from orders.models import BookingRequestStatus, OrderStatus

ORDER_STATUS = {
    OrderStatus.INTAKE: pgettext_lazy("portal", "Request received"),
    OrderStatus.QUOTED: pgettext_lazy("portal", "Waiting for your confirmation"),
    OrderStatus.CONFIRMED: pgettext_lazy("portal", "Booked: we are choosing your staff"),
    OrderStatus.ASSIGNED: pgettext_lazy("portal", "Booked: staff assigned"),
    OrderStatus.IN_SERVICE: pgettext_lazy("portal", "Under way"),
    OrderStatus.INSPECTION: pgettext_lazy("portal", "Done: being checked"),
    OrderStatus.REWORK: pgettext_lazy("portal", "Being put right"),
    OrderStatus.ACCEPTED: pgettext_lazy("portal", "Done"),
    OrderStatus.INVOICED: pgettext_lazy("portal", "Done: invoice sent"),
    OrderStatus.PAID: pgettext_lazy("portal", "Done and paid"),
    OrderStatus.CLOSED: pgettext_lazy("portal", "Done and paid"),
    OrderStatus.CANCELLED: pgettext_lazy("portal", "Cancelled"),
}

COMPLAINT_STATUS = {
    ComplaintStatus.OPEN: pgettext_lazy("portal", "Received"),
    ComplaintStatus.RESPONDING: pgettext_lazy("portal", "Being handled"),
    ComplaintStatus.RESOLVED: pgettext_lazy("portal", "Resolved"),
    ComplaintStatus.FOLLOWED_UP: pgettext_lazy("portal", "Resolved"),
    ComplaintStatus.CLOSED: pgettext_lazy("portal", "Closed"),
    ComplaintStatus.REOPENED: pgettext_lazy("portal", "Being handled again"),
}


REQUEST_STATUS = {
    BookingRequestStatus.WAITING: pgettext_lazy("portal", "Waiting: we will call you with a price"),
    BookingRequestStatus.TAKEN: pgettext_lazy("portal", "Being quoted"),
    BookingRequestStatus.DECLINED: pgettext_lazy("portal", "Declined"),
}


class TodoKind(models.TextChoices):
    QUOTE = "quote", pgettext_lazy("portal", "Confirm your booking and its price")
    STAFF = "staff", pgettext_lazy("portal", "Confirm the staff we propose")
    ACCEPTANCE = "acceptance", pgettext_lazy("portal", "Check and sign off the service")
    INVOICE = "invoice", pgettext_lazy("portal", "Pay your invoice")


def order_status(status: str) -> str:
    return str(ORDER_STATUS[OrderStatus(status)])


def complaint_status(status: str) -> str:
    return str(COMPLAINT_STATUS[ComplaintStatus(status)])


def request_status(status: str) -> str:
    """A booking request's status: waiting, being quoted (an order made of it), declined."""
    return str(REQUEST_STATUS[BookingRequestStatus(status)])


def move_answer(*, moved: bool) -> str:
    """What the customer is told after asking to move a booking."""
    if moved:
        return _("Your booking is moved.")
    return _("We have your wish and will call you to agree the new time.")


def cancel_answer(*, fee: Decimal) -> str:
    """What the customer is told after signing a cancellation."""
    if fee:
        return _("Your cancellation is recorded; the agency's manager confirms the fee.")
    return _("Your booking is cancelled, free of charge.")
