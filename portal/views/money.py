"""The customer's money pages: one invoice and paying it (WeChat Pay, Alipay, or a prepaid
card), and "My cards" with their ledgers (issue 18).

Online payment is `orders.payments.pages.pay_online`, reused as it is: the portal only
finds the customer's invoice and says where to come back. Paying from a card is
`orders.prepaid.services.card_pay` with the customer as the actor, after a page showing
the balance before and after.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from agency.errors import StateConflict
from orders.models import Invoice
from orders.payments.pages import pay_online, providers_of
from orders.prepaid.services import card_pay
from portal import money
from portal.views.base import PortalCustomerMixin


class InvoiceMixin(PortalCustomerMixin):
    """A page about one of the customer's issued invoices (`pk`); anyone else's is a 404."""

    model = Invoice

    def invoice(self) -> Invoice:
        invoices = money.invoices_of(agency=self.agency, customer=self.customer)
        return get_object_or_404(invoices, pk=self.kwargs["pk"])


class InvoiceDetailView(InvoiceMixin, TemplateView):
    """What is open, the receipts, and the ways to pay: online, or from a card."""

    template_name = "portal/money/invoice.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        invoice = self.invoice()
        payable = money.is_payable(invoice)
        mine = money.cards_of(agency=self.agency, customer=self.customer).select_related("agency")
        cards = list(mine)
        return super().get_context_data(
            invoice=invoice,
            payable=payable,
            online=payable and bool(providers_of(invoice)),
            cards=cards,
            usable=[card for card in cards if money.is_usable(card)] if payable else [],
            **kwargs,
        )


class InvoicePayView(InvoiceMixin, TemplateView):
    """WeChat Pay (H5 in the phone's browser) or Alipay (WAP): the payments wing's own page."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.pay(request)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.pay(request)

    def pay(self, request: HttpRequest) -> HttpResponse:
        invoice = self.invoice()
        back = self.portal_url("invoice", pk=invoice.pk)
        return pay_online(request, invoice=invoice, actor=self.actor, back_url=back)


class CardPayForm(forms.Form):
    card = forms.IntegerField(widget=forms.HiddenInput)
    #: The balance the customer saw: a second click (or another payment meanwhile) finds
    #: another balance and pays nothing.
    seen = forms.DecimalField(widget=forms.HiddenInput, max_digits=12, decimal_places=2)


class CardPayView(InvoiceMixin, TemplateView):
    """GET `?card=`: the balance before and after; POST: pay from the card, once."""

    template_name = "portal/money/card_pay.html"

    def card_preview(self, invoice: Invoice, card_id: Any) -> money.CardPreview:
        try:
            pk = int(card_id)
        except (TypeError, ValueError):
            raise Http404 from None
        card = money.cards_of(agency=self.agency, customer=self.customer).filter(pk=pk).first()
        if card is None:
            raise Http404
        return money.preview(card, invoice)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        invoice = self.invoice()
        if not money.is_payable(invoice):
            messages.error(request, _("This invoice is paid already."))
            return redirect(self.portal_url("invoice", pk=invoice.pk))
        if "card" not in request.GET:
            return redirect(self.portal_url("invoice", pk=invoice.pk))
        preview = self.card_preview(invoice, request.GET["card"])
        form = CardPayForm(initial={"card": preview.card.pk, "seen": preview.before})
        return self.render_to_response(self.get_context_data(preview=preview, form=form))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        invoice = self.invoice()
        form = CardPayForm(request.POST)
        if not form.is_valid():
            raise Http404
        preview = self.card_preview(invoice, form.cleaned_data["card"])
        back = redirect(self.portal_url("invoice", pk=invoice.pk))
        if not money.is_payable(invoice):
            messages.error(request, _("This invoice is paid already."))
            return back
        try:
            payment = card_pay(
                card=preview.card,
                invoice=preview.invoice,
                actor=self.actor,
                seen_balance=form.cleaned_data["seen"],
            )
        except (ValidationError, StateConflict) as refusal:
            text = refusal.messages if isinstance(refusal, ValidationError) else [str(refusal)]
            messages.error(request, " ".join(text))
            return back
        messages.success(
            request,
            _("Paid %(amount)s from card %(card)s. Receipt %(receipt)s.")
            % {
                "amount": payment.amount,
                "card": preview.card.number,
                "receipt": payment.receipt_number,
            },
        )
        return back


class CardListView(PortalCustomerMixin, TemplateView):
    """Each card with its balance and ledger; buying a card stays at the office."""

    template_name = "portal/money/cards.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        cards = money.cards_with_ledger(agency=self.agency, customer=self.customer)
        return super().get_context_data(cards=cards, **kwargs)
