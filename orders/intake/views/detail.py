"""The order page and the actions taken on it.

Each action is a POST to its own URL; a rejected form re-renders the order
page with the errors next to the fields, a refused action (wrong status, wrong
role) comes back as a message, and a success redirects to the order page.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from agency.action_views import ActionMixin
from agency.errors import StateConflict
from agency.permissions import Area
from agency.tenant_views import TenantObjectMixin
from messaging.views.log import page_log
from orders import links, selectors
from orders.intake.forms import CancelForm, ConfirmForm
from orders.intake.services.booking import order_confirm, order_quote, order_send_confirmation_link
from orders.intake.services.cancellation import cancellation_terms, order_request_cancellation
from orders.messages import customer_reachable
from orders.models import Order, OrderStatus, SignaturePurpose, SignedVia
from orders.staffing.selectors import assignments_of

#: Orders with a service log or an acceptance record to look at.
SERVICE_STATUSES = frozenset(
    {
        OrderStatus.IN_SERVICE,
        OrderStatus.INSPECTION,
        OrderStatus.REWORK,
        OrderStatus.ACCEPTED,
        OrderStatus.INVOICED,
        OrderStatus.PAID,
        OrderStatus.CLOSED,
    }
)


class OrderDetailView(TenantObjectMixin, DetailView):
    area = Area.ORDERS
    model = Order
    template_name = "orders/detail.html"
    context_object_name = "order"

    def get_queryset(self) -> QuerySet[Order]:
        return selectors.order_detail(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        order: Order = self.object
        latest = order.latest_quote()
        cancellations = list(order.cancellations.all())
        kwargs.setdefault(
            "confirm_form", ConfirmForm(initial={"quote_id": latest.pk if latest else None})
        )
        kwargs.setdefault("cancel_form", CancelForm())
        return super().get_context_data(
            latest_quote=latest,
            terms=cancellation_terms(order),
            pending_cancellation=next(
                (c for c in cancellations if c.status == "awaiting_approval"), None
            ),
            cancellations=cancellations,
            signatures=list(order.signatures.all()),
            service_statuses=SERVICE_STATUSES,
            customer_link=self.request.session.pop(f"order_link_{order.pk}", None),
            customer_reachable=customer_reachable(order.customer),
            **assignments_of(order),
            **page_log(agency=self.agency, topic=f"order:{order.pk}"),
            **kwargs,
        )


class OrderActionView(ActionMixin, OrderDetailView):
    page_name = "order_detail"


class OrderQuoteView(OrderActionView):
    def act(self, order: Order, form: None) -> str:
        quote = order_quote(order=order, actor=self.actor)
        return _("Quoted again: %(total)s %(currency)s.") % {
            "total": quote.total,
            "currency": quote.currency,
        }


class OrderConfirmView(OrderActionView):
    form_class = ConfirmForm
    form_context_name = "confirm_form"

    def act(self, order: Order, form: ConfirmForm) -> str:
        order_confirm(
            order=order,
            quote_id=form.cleaned_data["quote_id"],
            signed_name=form.cleaned_data["signed_name"],
            via=SignedVia.OFFICE,
            actor=self.actor,
            verification_reason=form.cleaned_data["verification_reason"],
        )
        return _("Order confirmed on the customer's behalf.")


class OrderConfirmationLinkView(OrderActionView):
    """Text the customer the signed link; it is also shown to copy into WeChat."""

    def act(self, order: Order, form: None) -> str:
        latest = order.latest_quote()
        if latest is None:
            raise ValidationError(_("Quote the order first."))
        url = links.link_url(
            self.request, order=order, purpose=SignaturePurpose.CONFIRM_ORDER, ref=latest.pk
        )
        order_send_confirmation_link(order=order, actor=self.actor, url=url)
        self.request.session[f"order_link_{order.pk}"] = url
        return _("The link was sent to the customer by SMS.")


class OrderCancellationLinkView(OrderActionView):
    """A link on which the customer requests the cancellation and signs it."""

    def act(self, order: Order, form: None) -> str:
        terms = cancellation_terms(order)
        if not terms.allowed:
            raise StateConflict(terms.refusal)
        self.request.session[f"order_link_{order.pk}"] = links.link_url(
            self.request, order=order, purpose=SignaturePurpose.CANCEL_ORDER
        )
        return _("Cancellation link ready: copy it to the customer.")


class OrderCancelView(OrderActionView):
    form_class = CancelForm
    form_context_name = "cancel_form"

    def act(self, order: Order, form: CancelForm) -> str:
        cancellation = order_request_cancellation(
            order=order, actor=self.actor, via=SignedVia.OFFICE, **form.cleaned_data
        )
        if cancellation.fee:
            return _("Cancellation recorded with a fee of %(fee)s; a manager decides.") % {
                "fee": cancellation.fee
            }
        return _("Order cancelled free of charge.")
