"""Prepaid cards in a real browser, in Chinese: the office sells a card from the customer's
page, pays an invoice from it on the invoice page, and sees the balance left."""

import pytest
from playwright.sync_api import expect

from agency.models import Role
from orders.models import InvoiceStatus, PrepaidCard
from tests.browser.steps import click_and_wait
from tests.factories import PASSWORD, CustomerFactory, PrepaidProductFactory
from tests.orders.test_billing import issued_invoice

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_sells_a_card_pays_an_invoice_from_it_and_sees_the_balance(new_page, world):
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save()
    customer = CustomerFactory(agency=world.a.agency, name="孙丽")
    product = PrepaidProductFactory(
        agency=world.a.agency, name_zh="储值卡 充2000送200", name_en="Stored-value card"
    )
    invoice = issued_invoice(world.a, customer=customer)  # 3 小时 × 50 = 150

    office = new_page("zh-CN")
    office.goto("/accounts/login/")
    office.get_by_label("用户名").fill(world.a.user(Role.MANAGER).username)
    office.get_by_label("密码").fill(PASSWORD)
    click_and_wait(office, office.get_by_role("button", name="登录"))

    office.goto(f"/customers/{customer.pk}/")
    click_and_wait(office, office.get_by_role("link", name="售卡"))
    office.locator("#id_product").select_option(str(product.pk))
    office.locator("#id_method").select_option("wechat_pay")
    office.locator("#id_reference").fill("4200002026120912345678")
    click_and_wait(office, office.get_by_role("button", name="确认售卡"))
    card = PrepaidCard.objects.get()
    expect(office.locator(".message-success")).to_contain_text(card.number)
    expect(office.locator(".card-balance").first).to_contain_text("2200.00")

    office.goto(f"/billing/invoices/{invoice.pk}/")
    office.locator("#card-pay-card").select_option(str(card.pk))
    click_and_wait(office, office.get_by_role("button", name="从卡内支付并开具收据"))
    expect(office.locator(".message-success")).to_contain_text("2050.00")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID

    office.goto(f"/customers/{customer.pk}/")
    expect(office.locator("#prepaid-cards .card-balance")).to_contain_text("2050.00")
