"""Steps the browser tests share."""

from tests.factories import PASSWORD
from tests.portal.conftest import texted_code


def click_and_wait(page, target):
    """Click something that loads a new page; return once that page has loaded.

    A page's scripts are deferred: a test that acts on the next page before its
    load event can beat the listeners (an auto-submitting select, the menu).
    Waiting here also keeps a following goto() from cancelling the request.
    """
    with page.expect_navigation(wait_until="load"):
        target.click()


def portal_sign_in(page, *, agency_slug, phone, sms_outbox):
    """A customer signs in to their portal (in Chinese) with the code texted to `phone`."""
    page.goto(f"/c/{agency_slug}/", timeout=120_000)  # the first request imports every view
    page.get_by_label("您的手机号码").fill(phone)
    click_and_wait(page, page.get_by_role("button", name="发送验证码"))
    page.get_by_label("短信中的验证码").fill(texted_code(sms_outbox, phone))
    click_and_wait(page, page.get_by_role("button", name="登录"))


def office_log_in(page, user):
    """A member logs in to the office (in Chinese)."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="登录"))
