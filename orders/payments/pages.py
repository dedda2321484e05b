"""The pay pages, as plain functions any page can answer with: the office's invoice page and
the staff member's job page show a QR code (`pay_code`); the customer's invoice link, and
later the portal, send the customer to the provider's phone page (`pay_online`).

The entry point for the portal: `pay_online(request, invoice=…, actor=Actor.customer(…),
back_url=…)` from its own view, which has found the customer's invoice. Not a `views` module,
so that other wings may call it (tests/layers.py: wings never import each other's views).
"""

from typing import Any
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from agency.audit import Actor
from agency.errors import StateConflict
from orders.models import Invoice, InvoiceStatus
from orders.payments.models import Checkout, PayChannel, Provider, ProviderAccount
from orders.payments.services import checkout_start


def qr_svg(content: str) -> str:
    """The QR code of `content` as inline SVG, drawn on the server (no script, no CDN)."""
    return segno.make(content, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff")


def providers_of(invoice: Invoice) -> list[tuple[str, str]]:
    """The providers the invoice's agency takes, as (value, label)."""
    configured = set(
        ProviderAccount.objects.filter(agency_id=invoice.agency_id, is_active=True).values_list(
            "provider", flat=True
        )
    )
    return [(value, str(label)) for value, label in Provider.choices if value in configured]


def pay_code(
    request: HttpRequest,
    *,
    invoice: Invoice,
    actor: Actor,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """GET: the providers to choose from; POST `provider`: its QR code for what is open."""
    checkout: Checkout | None = None
    error = ""
    if request.method == "POST":
        try:
            checkout = checkout_start(
                invoice=invoice,
                provider=request.POST.get("provider", ""),
                channel=PayChannel.NATIVE,
                actor=actor,
                client_ip=actor.ip_address or "",
            )
        except (ValidationError, StateConflict) as refusal:
            error = _refusal(refusal)
    return render(
        request,
        template,
        {
            **context,
            "invoice": invoice,
            "payable": invoice.status == InvoiceStatus.ISSUED and invoice.open_amount > 0,
            "providers": providers_of(invoice),
            "checkout": checkout,
            "qr": qr_svg(checkout.code_url) if checkout and checkout.code_url else "",
            "error": error,
        },
        status=400 if error else 200,
    )


#: WeChat Pay's phone (H5) pages; Alipay's phone (WAP) page is its gateway.
WECHAT_PAGES = "https://wx.tenpay.com"


def provider_pages() -> list[str]:
    """The origins `pay_online`'s form leads to. The site's policy lets a form post only to
    'self', and browsers hold the redirect that follows the post to it too (form-action):
    without these, the browser refuses to go to the provider."""
    alipay = urlsplit(settings.ALIPAY_GATEWAY)
    return [WECHAT_PAGES, f"{alipay.scheme}://{alipay.netloc}"]


def pay_online(
    request: HttpRequest, *, invoice: Invoice, actor: Actor, back_url: str
) -> HttpResponse:
    """GET: the customer chooses WeChat Pay or Alipay; POST: off to the provider's page."""
    if request.method == "POST":
        try:
            checkout = checkout_start(
                invoice=invoice,
                provider=request.POST.get("provider", ""),
                channel=PayChannel.PHONE,
                actor=actor,
                client_ip=actor.ip_address or "",
                return_url=request.build_absolute_uri(back_url),
            )
        except (ValidationError, StateConflict) as refusal:
            messages.error(request, _refusal(refusal))
        else:
            return HttpResponseRedirect(checkout.pay_url)
    page = render(
        request,
        "payments/pay_online.html",
        {
            "agency": invoice.agency,
            "invoice": invoice,
            "payable": invoice.status == InvoiceStatus.ISSUED and invoice.open_amount > 0,
            "providers": providers_of(invoice),
            "back_url": back_url,
        },
    )
    page._csp_update = {"form-action": provider_pages()}  # type: ignore[attr-defined]
    return page


def _refusal(error: ValidationError | StateConflict) -> str:
    return " ".join(error.messages if isinstance(error, ValidationError) else [str(error)])
