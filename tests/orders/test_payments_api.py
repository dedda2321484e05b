"""The online payment API: a checkout started for an invoice, the finance lists, the provider
accounts with write-only secrets."""

from django.urls import reverse

from agency.models import Role
from orders.payments.fake_provider import private_pem
from orders.payments.models import ProviderAccount, RefusedNotification
from orders.payments.secrets import unseal
from tests.orders.payments_setup import issued_invoice


def test_finance_starts_a_checkout_and_lists_it(world, client_for, accounts):
    invoice = issued_invoice(world.a)
    client = client_for(world.a.user(Role.FINANCE))

    started = client.post(
        reverse("checkout-list"),
        {"invoice": invoice.pk, "provider": "wechat", "channel": "native"},
        content_type="application/json",
    )

    assert started.status_code == 201, started.content
    assert started.json()["code_url"].startswith("weixin://")
    assert started.json()["amount"] == "150.00"
    listed = client.get(reverse("checkout-list")).json()
    assert [row["id"] for row in listed["results"]] == [started.json()["id"]]


def test_a_checkout_for_another_agencys_invoice_is_refused_like_a_missing_one(
    world, client_for, accounts
):
    theirs = issued_invoice(world.b)
    response = client_for(world.a.user(Role.FINANCE)).post(
        reverse("checkout-list"),
        {"invoice": theirs.pk, "provider": "wechat"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "invoice" in response.json()


def test_a_paid_invoice_answers_409(world, client_for, accounts):
    from decimal import Decimal

    paid = issued_invoice(world.a, status="paid", paid=Decimal("150.00"))
    response = client_for(world.a.user(Role.FINANCE)).post(
        reverse("checkout-list"),
        {"invoice": paid.pk, "provider": "alipay"},
        content_type="application/json",
    )
    assert response.status_code == 409


def test_refusals_list_only_the_agencys_own(world, client_for, django_assert_num_queries):
    for agency in (world.a.agency, world.a.agency, world.b.agency):
        RefusedNotification.objects.create(agency=agency, provider="alipay", reason="amount")
    client = client_for(world.a.user(Role.FINANCE))
    client.get(reverse("refusednotification-list"))  # the session and membership, warmed
    # session, user, membership, count, page
    with django_assert_num_queries(5):
        answer = client.get(reverse("refusednotification-list")).json()
    assert answer["count"] == 2
    assert client.get(reverse("reconciliationdifference-list")).status_code == 200


def test_a_manager_enters_an_account_and_its_secrets_never_come_back(world, client_for, fake):
    values = {**fake.account_values("alipay"), "provider": "alipay"}
    client = client_for(world.a.user(Role.MANAGER))

    created = client.post(reverse("provideraccount-list"), values, content_type="application/json")
    changed = client.patch(
        reverse("provideraccount-detail", kwargs={"pk": created.json()["id"]}),
        {"is_active": False, "private_key": ""},
        content_type="application/json",
    )
    listed = client.get(reverse("provideraccount-list"))

    assert created.status_code == 201, created.content
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    secret = private_pem(fake.alipay_app_key).splitlines()[1]
    for answer in (created, changed, listed):
        body = answer.content.decode()
        assert secret not in body and "private_key_encrypted" not in body
        assert '"private_key"' not in body
    account = ProviderAccount.objects.get(agency=world.a.agency)
    assert secret not in account.private_key_encrypted
    assert unseal(account.private_key_encrypted) == values["private_key"].strip()  # kept


def test_keys_that_do_not_load_are_refused(world, client_for, fake):
    values = {**fake.account_values("alipay"), "provider": "alipay", "private_key": "not a key"}
    response = client_for(world.a.user(Role.MANAGER)).post(
        reverse("provideraccount-list"), values, content_type="application/json"
    )
    assert response.status_code == 400 and "private_key" in response.json()
    assert not ProviderAccount.objects.exists()


def test_finance_cannot_change_the_accounts(world, client_for, fake):
    response = client_for(world.a.user(Role.FINANCE)).post(
        reverse("provideraccount-list"),
        fake.account_values("alipay"),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_retried_start_with_the_same_idempotency_key_answers_the_same_checkout(
    world, client_for, accounts
):
    import uuid

    invoice = issued_invoice(world.a)
    client = client_for(world.a.user(Role.FINANCE))
    key = str(uuid.uuid4())
    answers = [
        client.post(
            reverse("checkout-list"),
            {"invoice": invoice.pk, "provider": "alipay", "channel": "page"},
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["pay_url"].startswith("http://127.0.0.1:")
