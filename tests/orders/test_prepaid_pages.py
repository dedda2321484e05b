"""The office's prepaid pages: products, selling from the customer's page, paying an invoice
from the invoice page, the cards list and a card's ledger, and the refund steps."""

import uuid
from decimal import Decimal

from django.urls import reverse

from agency.models import Role
from orders.models import (
    CardRefund,
    CardRefundStatus,
    CardStatus,
    InvoiceStatus,
    PaymentMethod,
    PrepaidCard,
    PrepaidProduct,
    ProductKind,
)
from orders.prepaid.ledger import balance_of
from tests.factories import (
    CustomerFactory,
    PrepaidCardFactory,
    PrepaidProductFactory,
    ServiceTypeFactory,
)
from tests.orders.test_billing import issued_invoice


def test_a_manager_sets_up_a_package(world, client_for):
    service = ServiceTypeFactory(agency=world.a.agency)
    client = client_for(world.a.user(Role.MANAGER))
    response = client.post(
        reverse("prepaid_product_create"),
        {
            "kind": ProductKind.PACKAGE,
            "name_zh": "日常保洁套餐 10次×3小时",
            "name_en": "Cleaning package 10 × 3 h",
            "price": "1350.00",
            "credit": "999",  # not a package's: dropped
            "service_type": service.pk,
            "visits": "10",
            "hours_per_visit": "3",
            "validity_days": "365",
            "refund_fee_percent": "0",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    product = PrepaidProduct.objects.get()
    assert (product.visits, product.credit, product.service_type) == (10, None, service)
    assert client.get(reverse("prepaid_product_list")).status_code == 200


def test_a_package_without_its_visits_is_refused_on_the_form(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    response = client.post(
        reverse("prepaid_product_create"),
        {
            "kind": ProductKind.PACKAGE,
            "name_zh": "套餐",
            "name_en": "Package",
            "price": "100",
            "validity_days": "30",
            "refund_fee_percent": "0",
        },
    )
    assert response.status_code == 200
    assert "visits" in response.context["form"].errors


def test_the_desk_sells_a_card_once_on_a_double_click(world, client_for):
    customer = CustomerFactory(agency=world.a.agency)
    product = PrepaidProductFactory(agency=world.a.agency)
    client = client_for(world.a.user(Role.DISPATCHER))
    page = client.get(reverse("customer_detail", kwargs={"pk": customer.pk}))
    assert reverse("prepaid_card_sell", kwargs={"pk": customer.pk}) in page.content.decode()
    data = {
        "product": product.pk,
        "method": PaymentMethod.WECHAT_PAY,
        "reference": "42000",
        "submission_key": str(uuid.uuid4()),
    }
    url = reverse("prepaid_card_sell", kwargs={"pk": customer.pk})
    first = client.post(url, data)
    second = client.post(url, data)
    card = PrepaidCard.objects.get()
    assert (
        first["Location"]
        == second["Location"]
        == reverse("prepaid_card_detail", kwargs={"pk": card.pk})
    )
    detail = client.get(first["Location"]).content.decode()
    assert card.number in detail and "2200.00" in detail


def test_finance_pays_an_invoice_from_the_balance_on_the_invoice_page(world, client_for):
    card = PrepaidCardFactory(agency=world.a.agency)
    invoice = issued_invoice(world.a, customer=card.customer)
    client = client_for(world.a.user(Role.FINANCE))
    url = reverse("invoice_detail", kwargs={"pk": invoice.pk})
    assert card.number in client.get(url).content.decode()
    response = client.post(
        reverse("invoice_card_pay", kwargs={"pk": invoice.pk}),
        {"card": card.pk, "amount": ""},
        follow=True,
    )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert "2050.00" in response.content.decode()
    assert balance_of(card).amount == Decimal("2050.00")


def test_another_customers_card_is_not_offered_nor_taken(world, client_for):
    theirs = PrepaidCardFactory(agency=world.a.agency)
    invoice = issued_invoice(world.a)
    client = client_for(world.a.user(Role.FINANCE))
    assert (
        theirs.number
        not in client.get(reverse("invoice_detail", kwargs={"pk": invoice.pk})).content.decode()
    )
    client.post(reverse("invoice_card_pay", kwargs={"pk": invoice.pk}), {"card": theirs.pk})
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED


def test_the_refund_steps_from_the_card_to_paid_back(world, client_for):
    card = PrepaidCardFactory(agency=world.a.agency)
    desk = client_for(world.a.user(Role.DISPATCHER))
    desk.post(
        reverse("prepaid_card_refund", kwargs={"pk": card.pk}),
        {"reason": "搬家", "submission_key": str(uuid.uuid4())},
    )
    refund = CardRefund.objects.get()
    assert refund.amount == Decimal("2000.00")
    manager = client_for(world.a.user(Role.MANAGER))
    assert refund.card.number in manager.get(reverse("prepaid_refund_queue")).content.decode()
    manager.post(reverse("prepaid_refund_approve", kwargs={"pk": refund.pk}))
    finance = client_for(world.a.user(Role.FINANCE))
    finance.post(
        reverse("prepaid_refund_pay_back", kwargs={"pk": refund.pk}), {"method": PaymentMethod.CASH}
    )
    refund.refresh_from_db()
    card.refresh_from_db()
    assert (refund.status, card.status) == (CardRefundStatus.PAID_BACK, CardStatus.REFUNDED)


def test_the_cards_list_query_count_is_pinned(world, client_for, django_assert_num_queries):
    for _ in range(5):
        PrepaidCardFactory(agency=world.a.agency)
    client = client_for(world.a.user(Role.DISPATCHER))
    url = reverse("prepaid_card_list")
    client.get(url)
    # 1 session, 2 user, 3 membership, 4 the page's count, 5 the rows with their balances
    # (customer and product joined, the ledger summed per row), 6 the open refunds' count,
    # 7 the bell's unread count.
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.content.decode().count("card-balance") == 5
    assert client.get(url, {"q": "P0"}).status_code == 200
