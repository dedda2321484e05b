"""A customer on a phone, in Chinese, pays on the portal (issue 18): an issued invoice through
the fake WeChat Pay, then another invoice from a card sold at the office."""

import re
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest
from playwright.sync_api import expect

from agency.notifications import deliver_due
from orders.models import Payment
from orders.payments.fake_provider import FakeProviders
from tests.browser.steps import click_and_wait
from tests.factories import CustomerFactory
from tests.orders.payments_setup import configure
from tests.portal.money_setup import card_of, invoice_of

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SCREEN = {"width": 390, "height": 844}
PHONE = "13912345678"


@pytest.fixture
def providers(settings, live_server, world):
    """The fake providers, the agency's accounts at them, notifications sent to this server."""
    fake = FakeProviders().start()
    settings.WECHATPAY_GATEWAY = fake.wechat_gateway
    settings.ALIPAY_GATEWAY = fake.alipay_gateway
    settings.SITE_URL = live_server.url
    configure(fake, world.a)
    yield fake
    fake.stop()


def sign_in(page, agency, sms_outbox):
    """The portal's way in, as test_portal.py walks it: the phone, then the texted code."""
    page.goto(f"/c/{agency.slug}/invoices/", timeout=120_000)
    page.get_by_label("您的手机号码").fill(PHONE)
    click_and_wait(page, page.get_by_role("button", name="发送验证码"))
    deliver_due()
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1][1]).group(1)
    page.get_by_label("短信中的验证码").fill(code)
    click_and_wait(page, page.get_by_role("button", name="登录"))


def test_a_customer_pays_by_wechat_pay_then_from_a_card_on_a_phone(
    new_page, world, sms_outbox, providers
):
    agency = world.a.agency
    agency.default_language = "zh-hans"
    agency.save()
    customer = CustomerFactory(agency=agency, name="王芳", phone=PHONE)
    first = invoice_of(world.a, customer, total="150.00")
    page = new_page(locale="zh-CN", viewport=PHONE_SCREEN)

    def wechat_h5(route):
        """Hearth sends the phone to WeChat's H5 page (a route sees no redirect's target, so
        the answer is caught here): the customer pays there (the fake's `simulate`, whose
        signed notification reaches Hearth) and WeChat sends them back to the invoice."""
        if route.request.method != "POST":
            route.continue_()
            return
        location = route.fetch(max_redirects=0).headers["location"]
        assert location.startswith("https://wx.tenpay.com/")
        trade = parse_qs(urlsplit(location).query)["prepay_id"][0]
        with urlopen(f"{providers.url}/simulate/pay?out_trade_no={trade}") as answer:  # noqa: S310
            assert answer.read() == b"Hearth answered 204: "
        route.fulfill(status=302, headers={"Location": f"/c/{agency.slug}/invoices/{first.pk}/"})

    page.route(f"**/c/{agency.slug}/invoices/{first.pk}/pay/", wechat_h5)
    sign_in(page, agency, sms_outbox)

    click_and_wait(page, page.get_by_role("link", name=first.number))
    expect(page.get_by_text("150.00 CNY").first).to_be_visible()
    click_and_wait(page, page.get_by_role("link", name="在线支付（微信支付或支付宝）"))
    click_and_wait(page, page.get_by_role("button", name="使用微信支付付款"))

    receipt = Payment.objects.get(invoice=first).receipt_number
    expect(page.get_by_text("已全部付清，谢谢。")).to_be_visible()
    expect(page.get_by_role("link", name=f"收据 {receipt}（PDF）")).to_be_visible()

    card = card_of(customer)
    second = invoice_of(world.a, customer, total="300.00")
    page.goto(f"/c/{agency.slug}/invoices/{second.pk}/")
    expect(page.get_by_text("余额 2200.00 元")).to_be_visible()
    click_and_wait(page, page.get_by_role("link", name=f"用我的卡 {card.number} 支付"))
    expect(page.locator(".balance-before")).to_have_text("2200.00 CNY")
    expect(page.locator(".balance-after")).to_have_text("1900.00 CNY")
    click_and_wait(page, page.get_by_role("button", name="确认支付"))

    expect(page.get_by_text(f"已从卡 {card.number} 支付 300.00")).to_be_visible()
    expect(page.get_by_text("余额 1900.00 元")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
