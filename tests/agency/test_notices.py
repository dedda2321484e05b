"""In-app notices (the bell) and their emails, through the outbox."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from agency.models import Channel, Notification, OutboundMessage, Role
from agency.notifications import Notice, notify
from tests.factories import NotificationFactory


def test_notify_writes_a_notice_per_person_and_emails_those_with_an_address(world):
    supervisor = world.a.user(Role.SUPERVISOR)
    manager = world.a.user(Role.MANAGER)
    manager.email = ""
    manager.save()
    notify(
        [
            Notice(world.a.agency.pk, user, "escalation-1", "投诉超时", "请处理", "/complaints/1/")
            for user in (supervisor, manager)
        ]
    )
    assert Notification.objects.filter(key="escalation-1").count() == 2
    email = OutboundMessage.objects.get(channel=Channel.EMAIL)
    assert email.recipient == supervisor.email
    assert email.body.endswith("http://127.0.0.1:8000/complaints/1/")
    with transaction.atomic(), pytest.raises(IntegrityError):
        notify([Notice(world.a.agency.pk, supervisor, "escalation-1", "again")])


def test_the_bell_counts_my_unread_notices_and_reading_one_opens_it(world, client_for):
    me = world.a.user(Role.SUPERVISOR)
    notice = NotificationFactory(agency=world.a.agency, user=me, link="/orders/")
    NotificationFactory(agency=world.a.agency, user=me)
    NotificationFactory(agency=world.a.agency, user=world.a.user(Role.MANAGER))
    NotificationFactory(agency=world.b.agency, user=me)
    client = client_for(me)
    page = client.get(reverse("notification_list"))
    assert page.context["unread_notifications"] == 2
    assert len(page.context["object_list"]) == 2

    opened = client.post(reverse("notification_read", kwargs={"pk": notice.pk}))
    assert opened.url == "/orders/"
    assert client.get(reverse("home")).context["unread_notifications"] == 1
    client.post(reverse("notifications_read_all"))
    assert client.get(reverse("home")).context["unread_notifications"] == 0


def test_another_persons_notice_is_not_found(world, client_for):
    theirs = NotificationFactory(agency=world.a.agency, user=world.a.user(Role.MANAGER))
    client = client_for(world.a.user(Role.DISPATCHER))
    assert client.post(reverse("notification_read", kwargs={"pk": theirs.pk})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_lists_and_reads_my_notices(world, client_for):
    me = world.a.user(Role.DISPATCHER)
    mine = NotificationFactory(agency=world.a.agency, user=me)
    theirs = NotificationFactory(agency=world.a.agency, user=world.a.user(Role.MANAGER))
    client = client_for(me)
    listed = client.get("/api/notifications/?unread=true").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert client.post(f"/api/notifications/{mine.pk}/read/").json()["read_at"] is not None
    assert client.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get("/api/notifications/?unread=true").json()["results"] == []
    assert client.post("/api/notifications/read-all/").status_code == 204
