"""Billing documents as PDF: invoices, credit notes (红字发票) and receipts (收据).

In the customer's language (the invoice's `language`, fixed when it
was drafted), with the agency's name, logo and details, a CJK font so Chinese
renders and footers with page numbers in the same font (`templates/pdf/base.html`).
Lines read from what they were derived from (DESIGN.md, "Billing"): a manual
adjustment shows as such with its reason and the manager who approved it, a
credit note names the invoice it corrects. Texts the services compose are
rendered here again in the document's language, so a sweep or a manager
working in another language does not leak into the customer's document.

Every text carries the translation context "billing document": the documents'
own words, translated apart from the pages'.

Two queries for an invoice (the invoice with its people, the lines), one for a
receipt, and one more when the invoice was paid from a prepaid card (what the card
held right after: issue 18); the logo is read from storage and embedded as a data: URI, so
WeasyPrint needs no server to fetch it.

Built only by the reports queue's worker (agency.documents; registered in
orders/apps.py): `invoice_document` and `receipt_document` name the document a page
asks for, with a version that changes with everything the document shows.
"""

import base64
import mimetypes
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from agency.documents import DocumentKey, content_version
from agency.models import Agency, Document, User
from agency.pdf import render_pdf
from orders.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    LineKind,
    Payment,
    PaymentMethod,
    PricingUnit,
)
from orders.prepaid.selectors import CardUse, card_uses
from orders.pricing import money

INVOICE_DOCUMENT = "invoice"
RECEIPT_DOCUMENT = "receipt"


def invoice_document(invoice: Invoice, *, agency: Agency, filename: str = "") -> DocumentKey:
    """The invoice's or credit note's document: another version once it is issued, paid,
    credited or adjusted, or the letterhead changes. No query with its customer at hand
    (`agency` is the invoice's)."""
    return DocumentKey(
        agency_id=agency.pk,
        kind=INVOICE_DOCUMENT,
        ref=invoice.pk,
        version=content_version(
            invoice.status,
            invoice.number,
            invoice.issued_at,
            invoice.due_on,
            invoice.customer.name,
            invoice.subtotal,
            invoice.tax,
            invoice.total,
            invoice.paid,
            invoice.credited,
            invoice.note,
            *_letterhead(agency),
        ),
        language=_language(invoice, agency),
        filename=filename or invoice_filename(invoice),
    )


def receipt_document(payment: Payment, *, agency: Agency, filename: str = "") -> DocumentKey:
    """A payment's receipt: recorded once, it reads differently only when its invoice's
    total or the letterhead changes. No query with the payment's invoice at hand."""
    invoice = payment.invoice
    return DocumentKey(
        agency_id=agency.pk,
        kind=RECEIPT_DOCUMENT,
        ref=payment.pk,
        version=content_version(
            payment.amount,
            payment.method,
            payment.received_at,
            payment.receipt_number,
            payment.reference,
            payment.taken_by_id,
            invoice.number,
            invoice.total,
            invoice.currency,
            *_letterhead(agency),
        ),
        language=_language(invoice, agency),
        filename=filename or receipt_filename(payment),
    )


def invoice_filename(invoice: Invoice) -> str:
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        return f"credit-note-{invoice.number}.pdf"
    return f"invoice-{invoice.number or f'draft-{invoice.pk}'}.pdf"


def receipt_filename(payment: Payment) -> str:
    return f"receipt-{payment.receipt_number}.pdf"


def build_invoice(document: Document) -> bytes:
    """agency.documents' builder of INVOICE_DOCUMENT (on the reports queue's worker)."""
    return invoice_pdf(Invoice.objects.get(agency_id=document.agency_id, pk=document.ref))


def build_receipt(document: Document) -> bytes:
    """agency.documents' builder of RECEIPT_DOCUMENT (on the reports queue's worker)."""
    return receipt_pdf(Payment.objects.get(agency_id=document.agency_id, pk=document.ref))


def _letterhead(agency: Agency) -> tuple[str, ...]:
    return (agency.name, agency.legal_name, agency.bank_account, agency.logo.name or "")


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice or credit note as a PDF in its language."""
    invoice = Invoice.objects.select_related("agency", "customer", "credits").get(
        pk=invoice.pk, agency_id=invoice.agency_id
    )
    lines = list(invoice.lines.select_related("approved_by", "cancellation", "order"))
    language = _language(invoice, invoice.agency)
    with translation.override(language), timezone.override(invoice.agency.zone):
        context = {
            **_agency_context(invoice.agency),
            "invoice": invoice,
            "is_credit_note": invoice.kind == InvoiceKind.CREDIT_NOTE,
            "lines": [_line(line, invoice) for line in lines],
            "totals": _totals(invoice),
            "issued_on": _date(invoice.issued_at),
            "due_on": _date(invoice.due_on),
            "corrects_issued_on": _date(invoice.credits.issued_at) if invoice.credits else "",
            "card_balances": _card_balances(invoice),
            "footer": _css_string(f"{_agency_name(invoice.agency)} · {_invoice_title(invoice)}"),
        }
        return render_pdf("billing/invoice_pdf.html", context, language=language)


def receipt_pdf(payment: Payment) -> bytes:
    """The receipt (收据) of one payment as a PDF, in its invoice's language."""
    payment = Payment.objects.select_related(
        "invoice__agency", "invoice__customer", "taken_by"
    ).get(pk=payment.pk, agency_id=payment.agency_id)
    invoice = payment.invoice
    language = _language(invoice, invoice.agency)
    with translation.override(language), timezone.override(invoice.agency.zone):
        context = {
            **_agency_context(invoice.agency),
            "payment": payment,
            "invoice": invoice,
            "received_on": _date(payment.received_at),
            "amount": format_money(payment.amount, invoice.currency),
            # 大写 is what a receipt in renminbi carries; an English reader gets the figures.
            "amount_in_capitals": rmb_in_capitals(payment.amount)
            if invoice.currency == "CNY" and language.startswith("zh")
            else "",
            "method": _method(payment.method),
            "invoice_total": format_money(invoice.total, invoice.currency),
            "taken_by": _person(payment.taken_by),
            "card_balance": _card_left(card_uses([payment.pk]).get(payment.pk), invoice.currency)
            if payment.method == PaymentMethod.PREPAID
            else "",
            "footer": _css_string(
                " · ".join(
                    [
                        _agency_name(invoice.agency),
                        pgettext("billing document", "Receipt") + " " + payment.receipt_number,
                    ]
                )
            ),
        }
        return render_pdf("billing/receipt_pdf.html", context, language=language)


# --- money and numbers ------------------------------------------------------------------


def format_money(amount: Decimal, currency: str) -> str:
    """Two decimals, thousands grouped, the currency after: 1,234.50 CNY."""
    return f"{money(amount):,.2f} {currency}"


def _plain_number(value: Decimal) -> str:
    """A quantity or a percentage without trailing zeros: 3, 1.5, 6.25."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def rmb_in_capitals(amount: Decimal) -> str:
    """An amount of renminbi in Chinese capital numerals (大写), as receipts write it.

    150.00 → 壹佰伍拾元整; 1005.50 → 壹仟零伍元伍角整; 0.05 → 伍分;
    100010.30 → 壹拾万零壹拾元叁角整. The rules of the 《支付结算办法》: 整 after
    元 or 角 when there are no 分; one 零 for a run of zeros inside the yuan,
    and before 分 when there are no 角.
    """
    cents = int(money(amount) * 100)
    if cents < 0:
        return "负" + rmb_in_capitals(Decimal(-cents) / 100)
    if cents >= 10**16:
        raise ValueError("Too large for Chinese capital numerals.")
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text = _yuan_in_capitals(yuan) + "元" if yuan else ""
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif fen and yuan:
        text += "零"
    if fen:
        return text + _DIGITS[fen] + "分"
    return (text or "零元") + "整"


def _yuan_in_capitals(yuan: int) -> str:
    groups = []
    while yuan:
        groups.append(yuan % 10_000)
        yuan //= 10_000
    text = ""
    zero_pending = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = bool(text)
            continue
        if text and (zero_pending or group < 1000):
            text += "零"
        text += _group_in_capitals(group) + _GROUPS[index]
        zero_pending = False
    return text


def _group_in_capitals(group: int) -> str:
    """Up to four digits: 1005 → 壹仟零伍, 10 → 壹拾, 110 → 壹佰壹拾."""
    digits = [group // 1000, group // 100 % 10, group // 10 % 10, group % 10]
    while digits and digits[0] == 0:
        digits.pop(0)
    text = ""
    zero_pending = False
    for position, digit in enumerate(digits):
        place = len(digits) - 1 - position
        if digit == 0:
            zero_pending = True
            continue
        if zero_pending:
            text += "零"
            zero_pending = False
        text += _DIGITS[digit] + _PLACES[place]
    return text


# --- what the templates show ------------------------------------------------------------


@dataclass(frozen=True)
class DocumentLine:
    description: str
    detail: str
    quantity: str
    unit: str
    unit_price: str
    amount: str


def _line(line: InvoiceLine, invoice: Invoice) -> DocumentLine:
    description, detail = line.description, ""
    if line.kind == LineKind.CHANGE:
        detail = pgettext("billing document", "Change approved by the customer")
    elif line.kind == LineKind.ADJUSTMENT:
        description = pgettext("billing document", "Manual adjustment")
        detail = pgettext("billing document", "%(reason)s — approved by %(manager)s") % {
            "reason": line.reason,
            "manager": _person(line.approved_by),
        }
    elif line.kind == LineKind.CANCELLATION_FEE and line.cancellation and line.order:
        cancellation = line.cancellation
        description = pgettext("billing document", "Cancellation fee, order %(number)s") % {
            "number": line.order.number
        }
        detail = pgettext(
            "billing document", "%(percent)s%% of %(price)s, cancelled late: %(reason)s"
        ) % {
            "percent": _plain_number(cancellation.fee_percent),
            "price": format_money(cancellation.price, invoice.currency),
            "reason": cancellation.reason,
        }
    elif line.kind == LineKind.CREDIT and invoice.credits:
        description = pgettext("billing document", "Credit on invoice %(number)s") % {
            "number": invoice.credits.number
        }
        detail = line.reason
    return DocumentLine(
        description=description,
        detail=detail,
        quantity=_plain_number(line.quantity),
        unit=_unit(line.unit),
        unit_price=format_money(line.unit_price, invoice.currency),
        amount=format_money(line.amount, invoice.currency),
    )


def _totals(invoice: Invoice) -> list[tuple[str, str, bool]]:
    """(label, amount, emphasised) rows under the lines."""
    currency = invoice.currency
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        # A credit note takes off an amount of the invoice's total, tax included.
        return [
            (
                pgettext("billing document", "Total credited"),
                format_money(invoice.total, currency),
                True,
            )
        ]
    rows = [
        (pgettext("billing document", "Subtotal"), format_money(invoice.subtotal, currency), False),
        (
            pgettext("billing document", "Tax (%(rate)s%%)")
            % {"rate": _plain_number(invoice.tax_rate_percent)},
            format_money(invoice.tax, currency),
            False,
        ),
        (pgettext("billing document", "Total"), format_money(invoice.total, currency), True),
    ]
    if invoice.credited:
        rows.append(
            (
                pgettext("billing document", "Credit notes"),
                format_money(-invoice.credited, currency),
                False,
            )
        )
    rows.append((pgettext("billing document", "Paid"), format_money(invoice.paid, currency), False))
    rows.append(
        (
            pgettext("billing document", "Open amount"),
            format_money(invoice.open_amount, currency),
            True,
        )
    )
    return rows


def _card_balances(invoice: Invoice) -> list[tuple[str, str]]:
    """(card number, what it held after paying) for each payment made from a prepaid card."""
    if invoice.kind != InvoiceKind.INVOICE or not invoice.paid:
        return []
    paid_by_card = invoice.payments.filter(method=PaymentMethod.PREPAID).values_list(
        "pk", flat=True
    )
    uses = card_uses(paid_by_card)
    return [(use.card_number, _card_left(use, invoice.currency)) for use in uses.values()]


def _card_left(use: CardUse | None, currency: str) -> str:
    if use is None:
        return ""
    if use.is_package:
        return pgettext("billing document", "%(visits)s visits") % {"visits": use.visits_left}
    return format_money(use.amount_left, currency)


def _agency_context(agency: Agency) -> dict[str, Any]:
    return {
        "agency": agency,
        "agency_name": _agency_name(agency),
        "logo": _logo_uri(agency),
    }


def _agency_name(agency: Agency) -> str:
    return agency.legal_name or agency.name


def _logo_uri(agency: Agency) -> str:
    """The logo as a data: URI; none when unset or gone from storage (the document still prints)."""
    if not agency.logo:
        return ""
    try:
        with agency.logo.open("rb") as logo:
            content = logo.read()
    except OSError:
        return ""
    mime = mimetypes.guess_type(agency.logo.name or "")[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def _invoice_title(invoice: Invoice) -> str:
    title = (
        pgettext("billing document", "Credit note")
        if invoice.kind == InvoiceKind.CREDIT_NOTE
        else pgettext("billing document", "Invoice")
    )
    number = invoice.number or pgettext("billing document", "draft")
    return f"{title} {number}"


def _language(invoice: Invoice, agency: Agency) -> str:
    languages = dict(settings.LANGUAGES)
    if invoice.language in languages:
        return invoice.language
    return agency.default_language


def _date(value: datetime | date | None) -> str:
    """Through Django's localisation: 2026年11月23日, or Nov. 23, 2026."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return date_format(value, "DATE_FORMAT")


def _person(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _unit(unit: str) -> str:
    units = {
        PricingUnit.HOUR.value: pgettext("billing document", "hours"),
        PricingUnit.VISIT.value: pgettext("billing document", "visits"),
        PricingUnit.DAY.value: pgettext("billing document", "days"),
        PricingUnit.SQUARE_METRE.value: pgettext("billing document", "m²"),
    }
    return units.get(unit, unit)


def _method(method: str) -> str:
    methods = {
        PaymentMethod.CASH.value: pgettext("billing document", "Cash"),
        PaymentMethod.BANK_TRANSFER.value: pgettext("billing document", "Bank transfer"),
        PaymentMethod.WECHAT_PAY.value: pgettext("billing document", "WeChat Pay"),
        PaymentMethod.ALIPAY.value: pgettext("billing document", "Alipay"),
        PaymentMethod.CARD.value: pgettext("billing document", "Card"),
        PaymentMethod.PREPAID.value: pgettext("billing document", "Prepaid balance"),
    }
    return methods.get(method, method)


def _css_string(text: str) -> SafeString:
    """Text for a CSS string in the page's margin box (`content: "…"` in a <style>).

    HTML escaping does not apply inside <style>, so quotes, backslashes and `<`
    are escaped the CSS way; otherwise a name such as `A "B" & C` would break
    or show as `&quot;`.
    """
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\<>&\n\r' else char for char in text.replace("\x00", "")
    )
    return mark_safe(escaped)  # noqa: S308 - escaped for a CSS string above
