"""Calls the office owes customers (回电): asked for by the customer, done by the office."""

import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.idempotency import refuse_repeat, save_once
from orders.models import Callback, Customer, Order
from orders.timeline import note as timeline_note


@transaction.atomic
def callback_complete(*, callback: Callback, actor: Actor, outcome: str) -> Callback:
    """The office called the customer back; what was said is kept."""
    current = Callback.objects.select_for_update().get(pk=callback.pk)
    if current.done_at is not None:
        raise StateConflict(_("This callback is already done."))
    if not outcome.strip():
        raise ValidationError({"outcome": _("Note what the customer said.")})
    current.done_at = timezone.now()
    current.done_by = actor.user
    current.outcome = outcome.strip()
    current.save(update_fields=["done_at", "done_by", "outcome"])
    audit_record(agency=current.agency, actor=actor, action="callback.complete", target=current)
    return current


@transaction.atomic
def callback_request(
    *,
    customer: Customer,
    actor: Actor,
    note: str,
    when: datetime | None = None,
    order: Order | None = None,
    submission_key: uuid.UUID | None = None,
) -> Callback:
    """The customer asks to be called back (their portal): it lands on the office's callback
    queue, due at the time they chose or at once (DESIGN.md, "Feedback and revisits":
    customer-requested callbacks). About one of their orders, it is on that order's timeline.

    Portal entry: `callback_request(customer=…, actor=Actor.customer(customer.pk, ip_address=…),
    note=…, when=…, order=…, submission_key=…)`; the same key again raises
    `RepeatedSubmission` with the first callback.
    """
    if actor.customer_id != customer.pk:
        raise PermissionDenied(_("Only the customer asks to be called back from their portal."))
    callbacks = Callback.objects.filter(agency_id=customer.agency_id)
    refuse_repeat(callbacks, submission_key, _asked)
    now = timezone.now()
    errors = {}
    if not note.strip():
        errors["note"] = _("Say what you would like to talk about.")
    if when is not None and when < now:
        errors["when"] = _("Choose a time from now on.")
    if order is not None and order.customer_id != customer.pk:
        errors["order"] = _("Choose one of your orders.")
    if errors:
        raise ValidationError(errors)
    callback = Callback(
        agency_id=customer.agency_id,
        customer=customer,
        order=order,
        due_at=when or now,
        reason=(_("The customer asked to be called back: %(note)s") % {"note": note.strip()})[:255],
        submission_key=submission_key,
    )
    save_once(callback, callbacks, _asked)
    if order is not None:
        timeline_note(order, actor=actor, text=callback.reason)
    audit_record(
        agency=customer.agency,
        actor=actor,
        action="callback.request",
        target=callback,
        changes={"due_at": callback.due_at.isoformat(timespec="minutes")},
    )
    return callback


def _asked(earlier: Callback) -> str:
    return _("You asked already; we will call you by %(due)s.") % {
        "due": formats.date_format(timezone.localtime(earlier.due_at), "SHORT_DATETIME_FORMAT")
    }
