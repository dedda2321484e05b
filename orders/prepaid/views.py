"""The office's prepaid pages: products (a manager's), cards with their balances, a card
and its ledger, selling a card from the customer's page, paying an invoice from a card
(from the invoice page), and the refunds: asked, approved, paid back.

Each action posts to its own URL (agency.action_views); the rules live in
`orders.prepaid.services` and `orders.prepaid.refunds`.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView

from agency.action_views import ActionMixin, QuickActionMixin
from agency.audit import Actor
from agency.idempotency import RepeatedSubmission
from agency.permissions import Area, can_access
from agency.tenant_views import ServiceFormMixin, TenantMixin, TenantObjectMixin, attach_errors
from orders.models import (
    CardRefund,
    CardStatus,
    Customer,
    Invoice,
    PrepaidCard,
    PrepaidProduct,
)
from orders.prepaid import refunds, selectors, services
from orders.prepaid.filters import CardFilter
from orders.prepaid.forms import CardPayForm, CardRefundForm, PayBackForm, ProductForm, SellForm
from orders.prepaid.ledger import balance_of
from orders.prepaid.refunds import refund_terms

# --- products: the manager's -----------------------------------------------------------


class ProductListView(TenantMixin, TemplateView):
    area = Area.PRICES
    template_name = "prepaid/products.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            products=list(selectors.products_for(agency=self.agency)), **kwargs
        )


class ProductFormView(ServiceFormMixin, FormView):
    """The product form of both pages; the page's tenant mixin gives `actor`."""

    actor: Actor
    template_name = "prepaid/product_form.html"
    form_class = ProductForm
    success_url = reverse_lazy("prepaid_product_list")

    def perform(self, form: ProductForm) -> None:
        product = services.product_save(product=form.save(commit=False), actor=self.actor)
        messages.success(self.request, _("%(product)s saved.") % {"product": product.name})


class ProductCreateView(TenantMixin, ProductFormView):
    area = Area.PRICES

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agency": self.agency}


class ProductEditView(TenantObjectMixin, ProductFormView):
    area = Area.PRICES
    model = PrepaidProduct

    def get_queryset(self) -> QuerySet[PrepaidProduct]:
        return selectors.products_for(agency=self.agency)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agency": self.agency, "instance": self.object}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(product=self.object, **kwargs)


# --- cards -----------------------------------------------------------------------------


class CardListView(TenantMixin, FilterView):
    """Every card with its balance (one query for the page's rows), filtered."""

    area = Area.PREPAID
    template_name = "prepaid/cards.html"
    filterset_class = CardFilter
    paginate_by = 100

    def get_queryset(self) -> QuerySet[PrepaidCard]:
        return selectors.cards_for(agency=self.agency).order_by("-sold_at", "-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            currency=self.agency.currency,
            open_refunds=selectors.refunds_open(agency=self.agency).count(),
            filtered=any(self.request.GET.get(name) for name in self.filterset.form.fields),
            **kwargs,
        )


class CardDetailView(TenantObjectMixin, DetailView):
    """A card: its terms, its ledger with the balance after each line, its refunds."""

    area = Area.PREPAID
    model = PrepaidCard
    template_name = "prepaid/card.html"
    context_object_name = "card"

    def get_queryset(self) -> QuerySet[PrepaidCard]:
        return selectors.cards_for(agency=self.agency).select_related("sold_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        card: PrepaidCard = self.object
        entries = list(selectors.card_ledger(card))
        kwargs.setdefault("refund_form", CardRefundForm())
        return super().get_context_data(
            ledger=selectors.balance_after(entries, package=card.is_package),
            refunds=[
                (refund, PayBackForm(auto_id=f"payback-{refund.pk}-%s"))
                for refund in card.refunds.select_related("requested_by", "decided_by")
            ],
            terms=refund_terms(card) if card.status == CardStatus.ACTIVE else None,
            currency=self.agency.currency,
            **kwargs,
        )


class CardSellView(TenantObjectMixin, FormView):
    """Sell a card to the customer (from the customer's page); a double click sells one."""

    area = Area.PREPAID
    model = Customer
    template_name = "prepaid/sell.html"
    form_class = SellForm

    def get_queryset(self) -> QuerySet[Customer]:
        return Customer.objects.filter(agency=self.agency)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agency": self.agency}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(customer=self.object, **kwargs)

    def form_valid(self, form: SellForm) -> HttpResponse:
        try:
            card = services.card_sell(customer=self.object, actor=self.actor, **form.cleaned_data)
        except RepeatedSubmission as repeat:
            messages.info(self.request, repeat.message)
            return redirect("prepaid_card_detail", pk=repeat.earlier.pk)
        except ValidationError as error:
            attach_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Card %(number)s sold to %(customer)s.")
            % {"number": card.number, "customer": self.object.name},
        )
        return redirect("prepaid_card_detail", pk=card.pk)


class CardRefundRequestView(ActionMixin, CardDetailView):
    page_name = "prepaid_card_detail"
    form_class = CardRefundForm
    form_context_name = "refund_form"

    def act(self, card: PrepaidCard, form: CardRefundForm) -> str:
        refund = refunds.card_refund_request(card=card, actor=self.actor, **form.cleaned_data)
        return _("Refund of %(amount)s asked for; a manager approves it.") % {
            "amount": refund.amount
        }


# --- paying an invoice from a card (a button of the invoice page) ------------------------


class InvoiceCardPayView(QuickActionMixin, TenantObjectMixin, View):
    """Finance applies one of the customer's cards to the invoice, back to the invoice."""

    area = Area.BILLING
    model = Invoice
    page_name = "invoice_detail"

    def get_queryset(self) -> QuerySet[Invoice]:
        return Invoice.objects.filter(agency=self.agency)

    def make_form(self) -> CardPayForm:
        invoice: Invoice = self.object
        return CardPayForm(self.request.POST, agency=self.agency, customer_id=invoice.customer_id)

    def act(self, invoice: Invoice, form: CardPayForm) -> str:
        card = form.cleaned_data["card"]
        payment = services.card_pay(
            card=card, invoice=invoice, actor=self.actor, amount=form.cleaned_data["amount"]
        )
        left = balance_of(card)
        return _(
            "%(amount)s %(currency)s paid from card %(card)s (receipt %(receipt)s); "
            "left on the card: %(left)s."
        ) % {
            "amount": payment.amount,
            "currency": invoice.currency,
            "card": card.number,
            "receipt": payment.receipt_number,
            "left": _("%(visits)s visits") % {"visits": left.visits}
            if card.is_package
            else left.amount,
        }


# --- refunds: a manager approves, finance pays back ------------------------------------


class RefundQueueView(TenantMixin, TemplateView):
    """Card refunds waiting for a manager, and approved ones waiting for finance."""

    area = Area.PREPAID
    template_name = "prepaid/refunds.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        role = self.membership.role
        return super().get_context_data(
            refunds=[
                (refund, PayBackForm(auto_id=f"payback-{refund.pk}-%s"))
                for refund in selectors.refunds_open(agency=self.agency)[:200]
            ],
            may_decide=can_access(role, Area.BILLING_DECISIONS),
            may_pay_back=can_access(role, Area.BILLING),
            **kwargs,
        )


class RefundActionView(QuickActionMixin, TenantObjectMixin, View):
    model = CardRefund

    def get_queryset(self) -> QuerySet[CardRefund]:
        return selectors.refunds_for(agency=self.agency)

    def default_url(self) -> str:
        return reverse("prepaid_refund_queue")


class RefundDecisionView(RefundActionView):
    area = Area.APPROVALS
    approve = True

    def act(self, refund: CardRefund, form: None) -> str:
        refunds.card_refund_decide(refund=refund, actor=self.actor, approve=self.approve)
        done = (
            _("Refund of card %(card)s approved: finance pays back %(amount)s.")
            if self.approve
            else _("Refund of card %(card)s rejected: the card is active again.")
        )
        return done % {"card": refund.card.number, "amount": refund.amount}


class RefundPayBackView(RefundActionView):
    area = Area.BILLING
    form_class = PayBackForm
    invalid_message = gettext_lazy("Choose how the money was paid back.")

    def act(self, refund: CardRefund, form: PayBackForm) -> str:
        refunds.card_refund_pay_back(refund=refund, actor=self.actor, **form.cleaned_data)
        return _("%(amount)s paid back; card %(card)s is closed.") % {
            "amount": refund.amount,
            "card": refund.card.number,
        }
