"""What the customer and the office are told about an order, from the services that
write its events (messaging.rules: the customer's and the office's rules).

Each function runs inside its caller's transaction and names its event once in the
key, so the same event announced again (a retried request, a second click) writes
nothing. The customer's links are signed links (orders.links) in full; the office's
in-app notices link to the page where they act.
"""

import dataclasses
from collections.abc import Callable, Mapping, Sequence

from django.urls import reverse
from django.utils import translation

from messaging.recipients import Recipient
from messaging.rules import Event, rules_of
from messaging.services import Announced, announce, office_recipients
from orders.billing.documents import format_money
from orders.billing.selectors import link_order
from orders.links import link_path
from orders.messages import customer_recipient, job_context, order_topics, site_url
from orders.models import (
    AcceptanceRound,
    CustomerSignature,
    Invoice,
    Order,
    Payment,
    Refund,
    SignaturePurpose,
    SignedVia,
    Stage,
)

#: The signatures the dispatcher is told of (DESIGN.md: quote, staff card, acceptance).
TOLD_SIGNATURES = (
    SignaturePurpose.CONFIRM_ORDER,
    SignaturePurpose.CONFIRM_STAFF,
    SignaturePurpose.ACCEPT_SERVICE,
)


def booking_confirmed(order: Order) -> None:
    """The customer's booking is confirmed (the quote they agreed to names it once)."""
    _tell_customer(
        order,
        event=Event.BOOKING_CONFIRMED,
        key=f"order:{order.pk}:confirmed:{order.confirmed_quote_id}",
    )


def staff_card_sent(
    order: Order, *, url: str, proposed: Sequence[int], lead_name: str
) -> Announced:
    """The customer's link to the proposed staff's card; one proposal is sent once."""
    ids = "-".join(str(pk) for pk in sorted(proposed))
    return _tell_customer(
        order,
        event=Event.STAFF_CARD,
        key=f"order:{order.pk}:staff_card:{ids}",
        extra={"staff_name": lead_name, "link": url},
        link=url,
    )


def order_moved(order: Order, *, key: str) -> Announced:
    """The customer's booking moved to another time (the schedule board); once per move."""
    return _tell_customer(order, event=Event.ORDER_MOVED, key=key)


def acceptance_to_sign(order: Order, *, round_: AcceptanceRound, url: str) -> Announced:
    """The acceptance round waits for the customer's signature: the link, once a round."""
    return _tell_customer(
        order,
        event=Event.ACCEPTANCE_TO_SIGN,
        key=f"round:{round_.pk}:to_sign",
        extra={"link": url},
        link=url,
    )


def customer_signed(order: Order, *, signature: CustomerSignature) -> None:
    """The dispatchers of the order's branch hear that the customer signed.

    Not when the office verified in the customer's place: the office did it itself.
    """
    if signature.purpose not in TOLD_SIGNATURES or signature.via == SignedVia.OFFICE:
        return
    purpose = SignaturePurpose(signature.purpose)
    announce(
        agency=order.agency,
        event=Event.CUSTOMER_SIGNED,
        key=f"signature:{signature.pk}:signed",
        context=_with(order, lambda: {"document": str(purpose.label)}),
        office=_linked(
            office_recipients(
                order.agency, roles=_roles(Event.CUSTOMER_SIGNED), branch_id=order.branch_id
            ),
            link=reverse("order_detail", kwargs={"pk": order.pk}),
        ),
        topics=order_topics(order),
        branch_id=order.branch_id,
    )


def acceptance_stage_waits(
    order: Order, *, round_: AcceptanceRound, stage: int, not_to: Sequence[int] = ()
) -> None:
    """A supervisor's stage waits: the supervisors of the order's branch hear of it, but
    not those who may not sign it (`not_to`: the team supervisor, for the office stage)."""
    label = Stage(stage).label
    people = [
        person
        for person in office_recipients(
            order.agency, roles=_roles(Event.ACCEPTANCE_STAGE), branch_id=order.branch_id
        )
        if person.user is None or person.user.pk not in not_to
    ]
    announce(
        agency=order.agency,
        event=Event.ACCEPTANCE_STAGE,
        key=f"round:{round_.pk}:stage:{stage}",
        context=_with(order, lambda: {"stage": str(label)}),
        office=_linked(people, link=reverse("order_acceptance", kwargs={"pk": order.pk})),
        topics=order_topics(order),
        branch_id=order.branch_id,
    )


# --- billing ------------------------------------------------------------------------


def invoice_issued(invoice: Invoice) -> None:
    """The customer's invoice, with the link to see and download it where it names an order."""
    if invoice.total <= 0:
        return  # nothing is owed: a goodwill visit is not billed to the customer
    order = link_order(list(invoice.lines.select_related("order")))
    url = _invoice_url(order, invoice)
    _tell_about_invoice(
        invoice,
        order=order,
        event=Event.INVOICE_ISSUED,
        key=f"invoice:{invoice.pk}:issued",
        extra={
            "invoice_number": invoice.number,
            "amount": format_money(invoice.total, invoice.currency),
            "link": url,
        },
        link=url,
    )


def payment_received(payment: Payment, *, order: Order | None) -> None:
    """The customer's receipt: its number, the amount, the link to the invoice and receipts.
    `order` is the one the invoice's link names (`link_order`)."""
    invoice = payment.invoice
    url = _invoice_url(order, invoice)
    _tell_about_invoice(
        invoice,
        order=order,
        event=Event.PAYMENT_RECEIVED,
        key=f"payment:{payment.pk}:received",
        extra={
            "receipt_number": payment.receipt_number,
            "amount": format_money(payment.amount, invoice.currency),
            "link": url,
        },
        link=url,
    )


def refund_told(refund: Refund, *, event: Event) -> None:
    """REFUND_APPROVED or REFUND_PAID, once each per refund."""
    invoice = refund.invoice
    _tell_about_invoice(
        invoice,
        order=link_order(list(invoice.lines.select_related("order"))),
        event=event,
        key=f"refund:{refund.pk}:{event.value}",
        extra={"amount": format_money(refund.amount, invoice.currency)},
    )


# --- shared -------------------------------------------------------------------------


def _tell_customer(
    order: Order,
    *,
    event: Event,
    key: str,
    extra: Mapping[str, str] | None = None,
    link: str = "",
) -> Announced:
    return announce(
        agency=order.agency,
        event=event,
        key=key,
        context=_with(order, lambda: dict(extra or {})),
        customer=customer_recipient(order.customer, link=link),
        topics=order_topics(order),
        branch_id=order.branch_id,
    )


def _tell_about_invoice(
    invoice: Invoice,
    *,
    order: Order | None,
    event: Event,
    key: str,
    extra: Mapping[str, str],
    link: str = "",
) -> None:
    number = order.number if order is not None else invoice.number
    topics = [f"customer:{invoice.customer_id}", f"invoice:{invoice.pk}"]
    if order is not None:
        topics.append(f"order:{order.pk}")
    announce(
        agency=invoice.agency,
        event=event,
        key=key,
        context={"order_number": number, **extra},
        customer=customer_recipient(invoice.customer, link=link),
        topics=topics,
        reread=False,
    )


def _with(
    order: Order, extra: Callable[[], Mapping[str, str]]
) -> Callable[[str], Mapping[str, str]]:
    """The job's variables and `extra`, both made in the reader's language."""
    job = job_context(order)

    def values(language: str) -> Mapping[str, str]:
        with translation.override(language):
            return {**job(language), **extra()}

    return values


def _linked(people: list[Recipient], *, link: str) -> list[Recipient]:
    return [dataclasses.replace(person, link=link) for person in people]


def _roles(event: Event) -> tuple[str, ...]:
    return tuple(role for rule in rules_of(event) for role in rule.roles)


def _invoice_url(order: Order | None, invoice: Invoice) -> str:
    if order is None:
        return ""
    return site_url(link_path(order=order, purpose=SignaturePurpose.VIEW_INVOICE, ref=invoice.pk))
