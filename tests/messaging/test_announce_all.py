"""Announcing many events at once (a sweep's batch): the same messages as `announce`, in
a constant number of queries, with each agency's own words read once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agency.audit import Actor
from agency.models import OutboundMessage, Role
from messaging.recipients import Recipient
from messaging.rules import Event, Via
from messaging.services import (
    Announcement,
    announce,
    announce_all,
    template_save,
    wordings_by_agency,
    wordings_of,
)

CODE = "jobs.tomorrow:staff"
CONTEXT = {"job_date": "12月10日 周四", "job_count": "1", "jobs_list": "09:00 徐汇区 日常保洁"}


def member(n: int) -> Recipient:
    return Recipient(
        name=f"服务人员{n}",
        language="zh-hans",
        via=(Via.SMS,),
        phone=f"1390000{n:04d}",
        context={"staff_name": f"服务人员{n}"},
    )


def reminders(agency, count: int) -> list[Announcement]:
    return [
        Announcement(
            agency=agency,
            event=Event.JOBS_TOMORROW,
            key=f"staff:{n}:jobs",
            context=CONTEXT,
            staff=[member(n)],
        )
        for n in range(count)
    ]


@pytest.fixture
def own_words(world):
    manager = Actor(user=world.a.user(Role.MANAGER), ip_address="192.0.2.1")
    template_save(
        agency=world.a.agency,
        actor=manager,
        code=CODE,
        language="zh-hans",
        subject="明日工单",
        body="{{ staff_name }}，明天 {{ job_count }} 单：{{ jobs_list }}",
    )


@pytest.mark.django_db
def test_each_agency_gets_its_own_words_in_one_read(world, own_words):
    with CaptureQueriesContext(connection) as read:
        words = wordings_by_agency([world.a.agency.pk, world.b.agency.pk], [CODE])
    assert len(read.captured_queries) == 1
    assert words[world.a.agency.pk][CODE, "zh-hans"].subject == "明日工单"
    assert words[world.b.agency.pk][CODE, "zh-hans"].subject != "明日工单"
    assert words[world.b.agency.pk] == wordings_of(world.b.agency, [CODE])


@pytest.mark.django_db
def test_announce_all_writes_what_announce_would_in_the_same_queries_for_any_count(
    world, own_words
):
    words = wordings_by_agency([world.a.agency.pk, world.b.agency.pk], [CODE])
    with CaptureQueriesContext(connection) as few:
        announce_all(reminders(world.a.agency, 2), wordings=words)
    with CaptureQueriesContext(connection) as many:
        announce_all(reminders(world.b.agency, 20), wordings=words)
    assert len(few.captured_queries) == len(many.captured_queries)
    sms = OutboundMessage.objects.get(agency=world.a.agency, recipient="13900000001")
    assert sms.body == f"【{world.a.agency.name}】服务人员1，明天 1 单：09:00 徐汇区 日常保洁"
    assert OutboundMessage.objects.filter(agency=world.b.agency).count() == 20
    # The same event again writes nothing (its key), by either path.
    announce_all(reminders(world.a.agency, 2), wordings=words)
    single = announce(
        agency=world.a.agency,
        event=Event.JOBS_TOMORROW,
        key="staff:1:jobs",
        context=CONTEXT,
        staff=[member(1)],
        wordings=words[world.a.agency.pk],
    )
    assert [m.pk for m in single.messages] == [sms.pk]
    assert OutboundMessage.objects.filter(agency=world.a.agency).count() == 2
