"""Pages behind a customer's signed link, and their PDFs, are never stored by a browser."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agency import documents
from agency.models import Document
from feedback.models import FeedbackRequest
from feedback.services import token_for
from orders import links
from orders.models import SignaturePurpose
from tests.orders.test_billing_pages import paid


def _not_stored(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_every_customer_link_answer_says_no_store(world):
    invoice = paid(world.a)
    order = invoice.lines.first().order
    token = links.make_token(order=order, purpose=SignaturePurpose.VIEW_INVOICE, ref=invoice.pk)
    receipt = {"token": token, "payment_id": invoice.payments.get().pk}
    feedback = FeedbackRequest.objects.create(
        agency=world.a.agency,
        order=order,
        customer=order.customer,
        sent_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=14),
    )
    customer = Client()
    answers = {
        reverse("customer_link", kwargs={"token": token}): 200,
        # Being prepared: a page that asks again; built below, then the file.
        reverse("customer_link_invoice_pdf", kwargs={"token": token}): 202,
        reverse("customer_link_receipt_pdf", kwargs=receipt): 202,
        reverse("customer_link", kwargs={"token": "tampered"}): 404,
        reverse("customer_link_invoice_pdf", kwargs={"token": "tampered"}): 404,
        reverse("feedback_form", kwargs={"token": token_for(feedback)}): 200,
        reverse("feedback_form", kwargs={"token": "tampered"}): 404,
    }
    for url, status in answers.items():
        response = customer.get(url)
        assert (response.status_code, _not_stored(response)) == (status, True), url
    for document in Document.objects.all():
        assert documents.build(document.pk)
    for name, kwargs in [
        ("customer_link_invoice_pdf", {"token": token}),
        ("customer_link_receipt_pdf", receipt),
    ]:
        response = customer.get(reverse(name, kwargs=kwargs))
        assert response["Content-Type"] == "application/pdf" and _not_stored(response), name
    with time_machine.travel(feedback.expires_at + timedelta(minutes=1), tick=False):
        expired = customer.get(reverse("feedback_form", kwargs={"token": token_for(feedback)}))
    assert expired.status_code == 410 and _not_stored(expired)
