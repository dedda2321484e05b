"""The online payment pages: the QR code at the office and on the staff phone, the customer's
"Pay online", the finance lists; secrets never shown back."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from agency.audit import Actor
from agency.models import Role
from orders import links
from orders.models import SignaturePurpose
from orders.payments.fake_provider import private_pem
from orders.payments.models import Checkout, RefusedNotification
from orders.payments.services import checkout_start
from tests.factories import AssignmentFactory, InvoiceLineFactory, StaffMemberFactory
from tests.orders.payments_setup import issued_invoice


def test_the_office_shows_a_wechat_qr_code_drawn_on_the_server(world, client_for, accounts):
    invoice = issued_invoice(world.a)
    client = client_for(world.a.user(Role.FINANCE))
    url = reverse("invoice_pay_code", kwargs={"pk": invoice.pk})

    choose = client.get(url)
    shown = client.post(url, {"provider": "wechat"})

    assert choose.status_code == 200 and "qr-code" not in choose.content.decode()
    page = shown.content.decode()
    assert shown.status_code == 200
    assert page.count('class="qr-code"') == 1 and "<svg" in page and "150.00" in page
    checkout = Checkout.objects.get()
    assert (checkout.provider, checkout.channel, checkout.invoice) == ("wechat", "native", invoice)
    assert (
        reverse("invoice_pay_code", kwargs={"pk": invoice.pk})
        in client.get(reverse("invoice_detail", kwargs={"pk": invoice.pk})).content.decode()
    )


def test_an_unconfigured_provider_is_refused_on_the_page(world, client_for, fake):
    invoice = issued_invoice(world.a)
    response = client_for(world.a.user(Role.FINANCE)).post(
        reverse("invoice_pay_code", kwargs={"pk": invoice.pk}), {"provider": "alipay"}
    )
    assert response.status_code == 400
    assert not Checkout.objects.exists()


def test_the_staff_member_shows_the_jobs_invoice_as_a_qr_code(world, client_for, accounts):
    staff_user = world.a.user(Role.STAFF)
    staff = StaffMemberFactory(agency=world.a.agency, user=staff_user)
    invoice = issued_invoice(world.a, total="150.00")
    line = InvoiceLineFactory(agency=world.a.agency, invoice=invoice)
    assignment = AssignmentFactory(agency=world.a.agency, staff=staff, order=line.order)
    client = client_for(staff_user)
    url = reverse("my_job_pay_code", kwargs={"pk": assignment.pk})

    response = client.post(url, {"provider": "alipay"})

    assert response.status_code == 200
    assert response.content.decode().count('class="qr-code"') == 1
    assert Checkout.objects.get().code_url.startswith("https://qr.alipay.com/")


def test_the_customer_link_offers_pay_online_and_sends_the_customer_to_the_provider(
    world, accounts
):
    invoice = issued_invoice(world.a)
    line = InvoiceLineFactory(
        agency=world.a.agency, invoice=invoice, order__customer=invoice.customer
    )
    token = links.make_token(
        order=line.order, purpose=SignaturePurpose.VIEW_INVOICE, ref=invoice.pk
    )
    customer = Client()
    pay_url = reverse("customer_link_pay", kwargs={"token": token})

    assert (
        pay_url in customer.get(reverse("customer_link", kwargs={"token": token})).content.decode()
    )
    choose = customer.get(pay_url)
    sent = customer.post(pay_url, {"provider": "wechat"})

    assert choose.status_code == 200
    assert sent.status_code == 302
    assert sent["Location"].startswith("https://wx.tenpay.com/")
    checkout = Checkout.objects.get()
    assert (checkout.channel, checkout.amount) == ("phone", Decimal("150.00"))


def test_finance_sees_the_refused_notifications_and_the_differences(world, client_for):
    RefusedNotification.objects.create(
        agency=world.a.agency, provider="wechat", reason="amount", detail="1.00 ≠ 150.00"
    )
    RefusedNotification.objects.create(
        agency=world.b.agency, provider="wechat", reason="signature", detail="b's"
    )
    client = client_for(world.a.user(Role.FINANCE))

    page = client.get(reverse("payment_refused")).content.decode()

    assert "1.00 ≠ 150.00" in page and "b&#x27;s" not in page and "b's" not in page
    assert client.get(reverse("payment_reconciliation")).status_code == 200


def test_another_agencys_invoice_has_no_qr_code(world, client_for, accounts):
    theirs = issued_invoice(world.b)
    client = client_for(world.a.user(Role.FINANCE))
    url = reverse("invoice_pay_code", kwargs={"pk": theirs.pk})
    assert client.post(url, {"provider": "wechat"}).status_code == 404
    assert not Checkout.objects.exists()


def test_a_customer_cannot_start_a_checkout_for_another_customers_invoice(world, accounts):
    import pytest
    from django.core.exceptions import PermissionDenied

    invoice = issued_invoice(world.a)
    with pytest.raises(PermissionDenied):
        checkout_start(
            invoice=invoice,
            provider="wechat",
            channel="phone",
            actor=Actor.customer(invoice.customer_id + 1000),
        )


def test_the_private_key_is_never_in_a_page(world, client_for, fake, accounts):
    invoice = issued_invoice(world.a)
    client = client_for(world.a.user(Role.MANAGER))
    pages = [
        client.get(reverse("invoice_pay_code", kwargs={"pk": invoice.pk})),
        client.post(reverse("invoice_pay_code", kwargs={"pk": invoice.pk}), {"provider": "wechat"}),
        client.get(reverse("payment_refused")),
    ]
    secret_line = private_pem(fake.wechat_merchant_key).splitlines()[1]
    for page in pages:
        assert secret_line not in page.content.decode()
        assert fake.apiv3_key not in page.content.decode()


def test_a_manager_enters_the_wechat_account_on_its_page_and_the_secrets_stay_hidden(
    world, client_for, fake
):
    from orders.payments.models import ProviderAccount

    client = client_for(world.a.user(Role.MANAGER))
    url = reverse("payment_account_wechat")
    values = fake.account_values("wechat")
    secret_line = private_pem(fake.wechat_merchant_key).splitlines()[1]

    saved = client.post(url, {**values, "is_active": "on"})
    failed = client.post(url, {**values, "merchant_id": "", "is_active": "on"})
    again = client.get(url)

    assert saved.status_code == 302
    account = ProviderAccount.objects.get(agency=world.a.agency, provider="wechat")
    assert account.merchant_id == values["merchant_id"]
    assert failed.status_code == 200 and failed.context["form"].errors
    for page in (failed, again):
        body = page.content.decode()
        assert secret_line not in body and values["api_key"] not in body
        assert "/pay/notify/wechat/" in body


def test_the_finance_lists_cost_the_same_few_queries_however_many_rows(
    world, client_for, django_assert_num_queries
):
    from orders.payments.models import ReconciliationDifference

    for n in range(5):
        RefusedNotification.objects.create(
            agency=world.a.agency, provider="alipay", reason="amount"
        )
        ReconciliationDifference.objects.create(
            agency=world.a.agency,
            provider="wechat",
            bill_date=f"2026-12-0{n + 1}",
            kind="amount",
            reference=f"4200{n}",
        )
    client = client_for(world.a.user(Role.FINANCE))
    client.get(reverse("payment_refused"))  # the session warmed
    # session, user, membership; refused notifications, refused refunds; unread notices
    with django_assert_num_queries(6):
        assert client.get(reverse("payment_refused")).status_code == 200
    # session, user, membership; differences, runs; unread notices
    with django_assert_num_queries(6):
        assert client.get(reverse("payment_reconciliation")).status_code == 200
