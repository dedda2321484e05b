"""The review reminder: the plan's owner is told once per review date, on the daily sweep."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from agency.models import Notification, Role
from complaints.models import RiskReviewReminder
from complaints.quality import services
from complaints.quality.services import RiskPlan
from complaints.quality.tasks import remind_risk_reviews

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_due_review_reminds_its_owner_once(world, manager):
    owner = world.a.user(Role.SUPERVISOR)
    document = services.risk_document_save(
        agency=world.a.agency,
        actor=manager,
        plan=RiskPlan(
            kind="injury",
            title="服务人员受伤应急预案",
            owner=owner,
            review_by=date(2026, 12, 12),
            plan_text="先处理伤口，再报告主管。",
        ),
    )
    # The evening before: not yet due.
    with time_machine.travel(datetime(2026, 12, 11, 23, 30, tzinfo=SHANGHAI)):
        assert remind_risk_reviews() == 0
    # Just after midnight in Shanghai (still the 11th in UTC): due, told once.
    with time_machine.travel(datetime(2026, 12, 12, 0, 30, tzinfo=SHANGHAI)):
        assert remind_risk_reviews() == 1
        assert remind_risk_reviews() == 0
    with time_machine.travel(datetime(2026, 12, 15, 9, 0, tzinfo=SHANGHAI)):
        assert remind_risk_reviews() == 0

    [notice] = Notification.objects.filter(user=owner)
    assert "服务人员受伤应急预案" in notice.title
    assert notice.link == "/risks/"
    assert not Notification.objects.filter(user=world.a.user(Role.MANAGER)).exists()
    assert RiskReviewReminder.objects.get().review_by == date(2026, 12, 12)

    # Reviewed: the next date has its own reminder, in its turn.
    services.risk_document_save(
        agency=world.a.agency,
        actor=manager,
        document=document,
        plan=RiskPlan(
            kind="injury",
            title="服务人员受伤应急预案",
            owner=owner,
            review_by=date(2027, 6, 1),
            plan_text="先处理伤口，再报告主管和经理。",
        ),
    )
    with time_machine.travel(datetime(2027, 6, 1, 9, 0, tzinfo=SHANGHAI)):
        assert remind_risk_reviews() == 1
    assert Notification.objects.filter(user=owner).count() == 2
