"""A supervisor reads the dashboard in Chinese, with trends, and drills into the breaches."""

import pytest
import time_machine
from playwright.sync_api import expect

from agency.models import Role
from reports.models import WeeklyReport
from reports.services import build_weekly_report
from tests.browser.steps import click_and_wait
from tests.factories import PASSWORD
from tests.reports.conftest import MONDAY, a2, sh, week  # noqa: F401 - the known week

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_reads_the_week_in_chinese_and_drills_into_breaches(
    new_page,
    world,
    week,  # noqa: F811 - the known week
):
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save(update_fields=["default_language"])
    with time_machine.travel(sh(23, 9), tick=False):
        report = WeeklyReport.objects.create(agency=world.a.agency, week=MONDAY, language="zh-hans")
        build_weekly_report(report.pk)

    with time_machine.travel(sh(24, 9), tick=True):
        page = new_page("zh-CN")
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(world.a.user(Role.SUPERVISOR).username)
        page.get_by_label("密码").fill(PASSWORD)
        click_and_wait(page, page.get_by_role("button", name="登录"))

        page.goto("/reports/?period=last_week")
        satisfied = page.locator('[data-kpi="满意（4 分或 5 分）"]')
        expect(satisfied).to_contain_text("75.0%")
        expect(satisfied).to_contain_text("未达标")
        chart = satisfied.get_by_role("img", name="满意（4 分或 5 分），最近 12 周")
        expect(chart).to_be_visible()
        # Drawn in its colours under the CSP: SVG attributes, not refused inline CSS.
        expect(chart.locator("path[stroke='#2f6f9f']").first).to_have_css(
            "stroke", "rgb(47, 111, 159)"
        )

        breaches = page.locator('[data-kpi="未处理的超时"]')
        click_and_wait(page, breaches.get_by_role("link"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("投诉")
