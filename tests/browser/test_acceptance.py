"""The acceptance sign-off in a real browser, in Chinese: the office supervisor signs stage 3,
texts the customer, the customer accepts on a phone with a score, and the manager
downloads the acceptance record."""

import subprocess
from unittest import mock

import pytest
from playwright.sync_api import expect

from agency.audit import Actor
from agency.models import Role
from config.celery import app
from orders.models import OrderStatus, Signoff, Stage
from orders.service.services.acceptance import acceptance_sign_lead, acceptance_sign_supervisor
from tests.browser.steps import click_and_wait
from tests.factories import PASSWORD
from tests.orders.conftest import team_job  # noqa: F401 - the job to accept
from tests.orders.service_steps import serve


def build_at_once(name, args=(), **options):
    app.loader.import_default_modules()
    return app.tasks[name].apply(args=args, throw=True)


pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_and_the_customer_sign_and_the_manager_downloads_the_record(
    new_page,
    world,
    team_job,  # noqa: F811
):
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save()
    job = team_job
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    acceptance_sign_supervisor(
        order=job.order,
        stage=Stage.TEAM_SUPERVISOR,
        actor=Actor(user=world.a.user(Role.SUPERVISOR)),
        passed=True,
    )

    office = new_page("zh-CN")
    office.goto("/accounts/login/")
    office.get_by_label("用户名").fill(world.a.user(Role.MANAGER).username)
    office.get_by_label("密码").fill(PASSWORD)
    click_and_wait(office, office.get_by_role("button", name="登录"))

    office.goto("/orders/acceptance/?stage=3")
    office.get_by_role("link", name=job.order.number).click()
    office.get_by_label("合格", exact=True).check()
    office.get_by_role("button", name="以“办公室主管”身份签字").click()
    expect(office.locator(".message-success")).to_be_visible()

    office.get_by_role("button", name="短信发送验收链接给客户").click()
    link = office.locator("#customer-link").input_value()

    phone = new_page("zh-CN", viewport={"width": 390, "height": 844})
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("请查看并验收服务")
    phone.get_by_label("合格", exact=True).check()
    phone.get_by_role("radio", name="4", exact=True).check()
    phone.get_by_label("意见").fill("很干净")
    phone.get_by_label("您的全名").fill("王芳")
    phone.get_by_role("button", name="签字").click()
    expect(phone.locator(".message-success")).to_contain_text("您已验收本次服务")
    assert job.reload().status == OrderStatus.ACCEPTED
    assert Signoff.objects.get(stage=Stage.CUSTOMER).score == 4

    office.reload()
    # The reports worker's part, done as soon as the page's request sends the build.
    with mock.patch.object(app, "send_task", side_effect=build_at_once):
        office.get_by_role("link", name="验收记录（PDF，中文）").click()
        # The page says it is being prepared, asks again by itself and offers the file.
        expect(office.get_by_text("文件已生成。")).to_be_visible(timeout=15_000)
    with office.expect_download() as download:
        office.get_by_role("link", name="下载 PDF").click()
    text = subprocess.run(
        ["pdftotext", download.value.path(), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "验收记录" in text
    assert "满意度 4/5" in text
