"""Alibaba Cloud SMS: signed requests to a local fake that checks them, retries, receipts."""

import json
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agency.models import Channel, MessageStatus, Notification, OutboundMessage, Role
from agency.notifications import MAX_ATTEMPTS, deliver, deliver_due, message_queue
from messaging.providers.aliyun import rpc_signature
from messaging.providers.receipts import SIGNATURE_HEADER, body_signature, receipt_path
from messaging.recipients import Recipient
from messaging.rules import Event, Via
from messaging.services import announce, failed_texts_report
from tests.messaging.fake_aliyun import THROTTLED

WEBHOOK_SECRET = "receipts-secret"


def test_the_signature_is_the_documented_one():
    # The worked example of Aliyun's SMS "signature method" page (testId / testSecret).
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert rpc_signature(params, secret="testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def text(world, body="【Alpha 家政】李阿姨明天 09:00 上门，请留意。") -> OutboundMessage:
    return message_queue(
        agency=world.a.agency, channel=Channel.SMS, recipient="13800000001", body=body
    )


def later(minutes: int) -> time_machine.travel:
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=True)


def test_a_text_goes_out_through_aliyun_and_keeps_its_biz_id(world, fake_aliyun):
    message = text(world)

    assert deliver(message.pk) is True

    [sent] = fake_aliyun.accepted
    assert sent["PhoneNumbers"] == "13800000001"
    assert sent["SignName"] == "家政通"
    assert sent["TemplateCode"] == "SMS_000001"
    # Aliyun puts the approved signature in front: Hearth's own is not sent twice.
    assert json.loads(sent["TemplateParam"]) == {"content": "李阿姨明天 09:00 上门，请留意。"}
    assert sent["OutId"] == str(message.key)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.provider_id == sent["BizId"]


def test_a_wrong_secret_is_refused_and_the_text_waits_for_retry(world, fake_aliyun, settings):
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "not-the-secret"
    message = text(world)

    assert deliver(message.pk) is False

    message.refresh_from_db()
    assert (message.status, message.provider_id) == (MessageStatus.PENDING, "")
    assert message.last_error.startswith("SignatureDoesNotMatch")
    assert fake_aliyun.accepted == []

    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = fake_aliyun.secret
    with later(2):
        assert deliver_due() == 1
    assert [sent["OutId"] for sent in fake_aliyun.accepted] == [str(message.key)]


@pytest.mark.parametrize("outage", [HTTPStatus.SERVICE_UNAVAILABLE, THROTTLED])
def test_an_outage_loses_nothing_and_sends_each_text_once(world, fake_aliyun, outage):
    fake_aliyun.outage = outage
    first, second = text(world), text(world, body="【Alpha 家政】明天见")

    assert deliver_due() == 0
    assert OutboundMessage.objects.filter(status=MessageStatus.PENDING).count() == 2

    fake_aliyun.outage = None
    with later(2):
        assert deliver_due() == 2
        assert deliver_due() == 0
        assert deliver(first.pk) is False  # a redelivered task sends nothing again

    # Every attempt of a message carried its key; each was accepted once.
    assert sorted(request["OutId"] for request in fake_aliyun.requests) == sorted(
        [str(first.key), str(first.key), str(second.key), str(second.key)]
    )
    assert sorted(sent["OutId"] for sent in fake_aliyun.accepted) == sorted(
        [str(first.key), str(second.key)]
    )
    for message in (first, second):
        message.refresh_from_db()
        assert message.status == MessageStatus.SENT
        assert message.provider_id


def customer_text(world) -> OutboundMessage:
    """A day-before confirmation to a customer, as `announce` writes it."""
    done = announce(
        agency=world.a.agency,
        event=Event.DAY_BEFORE,
        key="order:42:day_before",
        context={"order_number": "2026-00042", "customer_name": "王女士"},
        customer=Recipient(name="王女士", language="zh-hans", via=(Via.SMS,), phone="13800000001"),
        topics=["order:42"],
    )
    [message] = done.messages
    return message


def test_a_text_refused_to_the_last_try_is_shown_to_the_dispatchers_once(world, fake_aliyun):
    fake_aliyun.outage = THROTTLED
    message = customer_text(world)
    assert message.reference == "2026-00042"
    for attempt in range(MAX_ATTEMPTS):
        with later(2**attempt + 1):
            deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert len(fake_aliyun.requests) == MAX_ATTEMPTS

    assert failed_texts_report() == 1
    assert failed_texts_report() == 0

    [notice] = Notification.objects.filter(key__startswith=f"message:{message.pk}:failed")
    assert notice.user == world.a.user(Role.DISPATCHER)
    assert "王女士" in notice.title
    assert "2026-00042" in notice.body
    assert THROTTLED in notice.body


def test_a_failed_text_to_staff_is_not_reported_as_a_customers(world):
    OutboundMessage.objects.create(
        agency=world.a.agency,
        channel=Channel.SMS,
        recipient="13900000002",
        body="x",
        rule="job.assigned:staff",
        status=MessageStatus.FAILED,
    )
    assert failed_texts_report() == 0


# --- delivery receipts --------------------------------------------------------------------


@pytest.fixture
def receipts_secret(settings):
    settings.SMS_WEBHOOK_SECRET = WEBHOOK_SECRET
    return WEBHOOK_SECRET


def report(message: OutboundMessage, *, success: bool = True, **fields) -> bytes:
    return json.dumps(
        [
            {
                "phone_number": message.recipient,
                "send_time": "2026-12-09 10:00:00",
                "report_time": "2026-12-09 10:00:05",
                "success": success,
                "err_code": "DELIVERED" if success else "MK:0001",
                "err_msg": "用户接收成功" if success else "空号",
                "sms_size": "1",
                "biz_id": message.provider_id,
                "out_id": str(message.key),
                **fields,
            }
        ],
        ensure_ascii=False,
    ).encode()


def post_signed(client, body: bytes, *, signature: str | None = None):
    return client.post(
        reverse("sms_receipts_aliyun"),
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: signature or body_signature(body, secret=WEBHOOK_SECRET)},
    )


def sent_text(world, fake_aliyun) -> OutboundMessage:
    message = text(world)
    deliver(message.pk)
    message.refresh_from_db()
    return message


def test_a_signed_receipt_marks_the_text_delivered_once(
    world, fake_aliyun, client, receipts_secret
):
    message = sent_text(world, fake_aliyun)
    body = report(message)

    response = post_signed(client, body)

    assert response.status_code == 200
    assert response.json() == {"code": 0, "msg": "接收成功"}
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.delivered_at == timezone.datetime.fromisoformat("2026-12-09T10:00:05+08:00")
    # Aliyun pushes again until it reads code 0: a repeat changes nothing.
    assert post_signed(client, body).status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_a_failed_receipt_to_a_customer_reaches_the_dispatchers(
    world, fake_aliyun, client, receipts_secret
):
    message = customer_text(world)
    deliver(message.pk)
    message.refresh_from_db()

    assert post_signed(client, report(message, success=False)).status_code == 200

    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.FAILED, "MK:0001: 空号")
    assert failed_texts_report() == 1
    assert Notification.objects.filter(key__startswith=f"message:{message.pk}:failed").exists()


def test_a_receipt_before_the_answer_was_recorded_finds_the_text_by_its_key(
    world, client, receipts_secret
):
    message = text(world)
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING)

    assert post_signed(client, report(message, biz_id="777^1")).status_code == 200

    message.refresh_from_db()
    assert (message.status, message.provider_id) == (MessageStatus.DELIVERED, "777^1")


@pytest.mark.parametrize(
    "signature",
    ["", "sha256=" + "0" * 64, "sha256=signed-with-another-secret"],
    ids=["unsigned", "wrong", "garbage"],
)
def test_an_unsigned_or_badly_signed_receipt_is_refused_and_changes_nothing(
    world, fake_aliyun, client, receipts_secret, signature
):
    message = sent_text(world, fake_aliyun)

    response = client.post(
        reverse("sms_receipts_aliyun"),
        report(message),
        content_type="application/json",
        headers={SIGNATURE_HEADER: signature} if signature else {},
    )

    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_receipt_signed_with_another_secret_is_refused(world, fake_aliyun, client, settings):
    settings.SMS_WEBHOOK_SECRET = WEBHOOK_SECRET
    message = sent_text(world, fake_aliyun)
    body = report(message)

    response = post_signed(client, body, signature=body_signature(body, secret="other"))

    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_without_a_configured_secret_every_receipt_is_refused(world, fake_aliyun, client):
    message = sent_text(world, fake_aliyun)
    body = report(message)

    assert post_signed(client, body, signature=body_signature(body, secret="")).status_code == 403


def test_the_tokened_url_takes_receipts_and_a_wrong_token_does_not(
    world, fake_aliyun, client, receipts_secret
):
    message = sent_text(world, fake_aliyun)
    body = report(message)
    wrong = reverse("sms_receipts_aliyun_token", kwargs={"token": "0" * 64})

    assert client.post(wrong, body, content_type="application/json").status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT

    response = client.post(receipt_path(), body, content_type="application/json")
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_a_signed_body_that_is_not_a_report_is_refused(client, receipts_secret, db):
    assert post_signed(client, b'{"not": "a list"}').status_code == 400
    assert client.get(reverse("sms_receipts_aliyun")).status_code == 405
