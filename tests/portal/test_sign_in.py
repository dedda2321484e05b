"""Signing in with a texted code: the rules of issue 18, and nothing revealed about a phone."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from agency.models import AuditLog
from agency.notifications import deliver_due
from portal import services
from portal.models import SignInCode
from portal.services import Refusal
from tests.factories import CustomerFactory
from tests.portal.conftest import PHONE, portal_url, texted_code

#: Past the resend cooldown: each request makes a new code.
GAP = services.RESEND_AFTER + timedelta(seconds=1)


def said(refusal: Refusal) -> str:
    """The refusal as an English page shows it (a request leaves the default language on)."""
    with translation.override("en"):
        return refusal.message


def ask(client, customer, phone=PHONE, **extra):
    return client.post(portal_url("sign_in", customer), {"phone": phone}, **extra)


def enter(client, customer, code):
    return client.post(portal_url("sign_in_code", customer), {"code": code})


def test_the_code_texted_to_the_customer_signs_them_in(client, customer, sms_outbox):
    response = ask(client, customer, phone="139 1234-5678")
    assert response.status_code == 302
    code = texted_code(sms_outbox)
    home = enter(client, customer, code)
    assert home.status_code == 302 and home["Location"] == portal_url("home", customer)
    page = client.get(home["Location"])
    assert page.status_code == 200 and "王芳" in page.content.decode()
    entry = AuditLog.objects.get(action="portal.sign_in")
    assert entry.customer_id == customer.pk and entry.actor is None


def test_the_code_is_texted_in_the_customers_language(client, customer, sms_outbox):
    customer.preferred_language = "en"
    customer.save()
    ask(client, customer)
    deliver_due()
    [(_, text)] = sms_outbox
    assert "sign-in code" in text and customer.agency.name in text


def test_the_code_is_kept_only_as_a_hash(client, customer, sms_outbox):
    ask(client, customer)
    code = texted_code(sms_outbox)
    row = SignInCode.objects.get()
    assert row.code_hash == services.code_hash(agency_id=customer.agency_id, phone=PHONE, code=code)
    assert len(row.code_hash) == 64 and not row.code_hash.isdigit()


def test_an_unknown_phone_gets_the_same_answer_and_no_text(client, customer, sms_outbox):
    known = ask(client, customer)
    unknown = ask(client, customer, phone="13600000000")
    deliver_due()
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert [to for to, _ in sms_outbox] == [PHONE]
    # And the code page refuses it as it would a wrong code.
    refused = enter(client, customer, "123456")
    assert said(Refusal.WRONG) in refused.content.decode()


def test_another_agencys_customer_gets_the_same_answer_and_no_text(
    client, world, customer, sms_outbox
):
    theirs = CustomerFactory(agency=world.b.agency, phone="13600000000")
    ask(client, customer, phone=theirs.phone)
    deliver_due()
    assert sms_outbox == []
    page = client.get(portal_url("sign_in_code", customer))
    assert "If this number is registered with us" in page.content.decode()


def test_a_wrong_code_is_refused_with_a_clear_message(client, customer, sms_outbox):
    ask(client, customer)
    code = texted_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    response = enter(client, customer, wrong)
    assert response.status_code == 200
    assert said(Refusal.WRONG) in response.content.decode()
    assert AuditLog.objects.filter(action="portal.sign_in_refused").count() == 1
    assert client.get(portal_url("home", customer)).status_code == 302


def test_an_expired_code_is_refused(client, customer, sms_outbox):
    ask(client, customer)
    code = texted_code(sms_outbox)
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        response = enter(client, customer, code)
    assert said(Refusal.EXPIRED) in response.content.decode()


def test_a_code_is_still_good_just_before_five_minutes(client, customer, sms_outbox):
    ask(client, customer)
    code = texted_code(sms_outbox)
    with time_machine.travel(timezone.now() + timedelta(minutes=4, seconds=50)):
        assert enter(client, customer, code).status_code == 302


def test_a_used_code_is_refused(client, customer, sms_outbox, django_user_model):
    ask(client, customer)
    code = texted_code(sms_outbox)
    enter(client, customer, code)
    outcome = services.code_verify(
        agency=customer.agency, phone=PHONE, code=code, ip_address="10.0.0.9"
    )
    assert outcome == Refusal.USED


def test_five_wrong_tries_spend_the_code(client, customer, sms_outbox):
    ask(client, customer)
    code = texted_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(services.MAX_TRIES):
        assert said(Refusal.WRONG) in enter(client, customer, wrong).content.decode()
    # The right code no longer helps: brute force is stopped.
    response = enter(client, customer, code)
    assert said(Refusal.TOO_MANY_TRIES) in response.content.decode()


def test_only_the_newest_code_counts(client, customer, sms_outbox):
    ask(client, customer)
    first = texted_code(sms_outbox)
    with time_machine.travel(timezone.now() + GAP):
        ask(client, customer)
        second = texted_code(sms_outbox)
        if first != second:
            assert said(Refusal.WRONG) in enter(client, customer, first).content.decode()
        assert enter(client, customer, second).status_code == 302


def test_a_double_tap_texts_one_code(client, customer, sms_outbox):
    first = ask(client, customer)
    again = ask(client, customer)
    deliver_due()
    assert first["Location"] == again["Location"]
    assert len(sms_outbox) == 1 and SignInCode.objects.count() == 1
    assert enter(client, customer, texted_code(sms_outbox)).status_code == 302


def test_codes_older_than_a_day_are_pruned(client, customer):
    ask(client, customer)
    later = timezone.now() + services.KEPT_FOR + timedelta(minutes=1)
    assert services.sign_in_codes_prune(now=later - timedelta(hours=1)) == 0
    assert services.sign_in_codes_prune(now=later) == 1


def test_sends_to_one_phone_are_limited_per_hour(client, customer, sms_outbox, settings):
    start = timezone.now()
    sends = settings.PORTAL_CODE_SENDS_PER_PHONE_PER_HOUR
    for n in range(sends):
        with time_machine.travel(start + n * GAP):
            assert ask(client, customer).status_code == 302
    with time_machine.travel(start + sends * GAP):
        refused = ask(client, customer)
    assert refused.status_code == 200
    assert "Too many codes" in refused.content.decode()
    assert SignInCode.objects.count() == sends
    with time_machine.travel(start + timedelta(hours=1, minutes=1)):
        assert ask(client, customer).status_code == 302


def test_sends_from_one_address_are_limited_per_hour(client, customer, settings):
    settings.PORTAL_CODE_SENDS_PER_IP_PER_HOUR = 3
    for n in range(3):
        assert ask(client, customer, phone=f"1360000000{n}").status_code == 302
    # Any phone, known or not: the address asked too often.
    assert "Too many codes" in ask(client, customer).content.decode()
    other_address = ask(client, customer, REMOTE_ADDR="10.1.1.1")
    assert other_address.status_code == 302


@pytest.mark.parametrize("phone", ["12", "abc", "1" * 30])
def test_a_malformed_phone_is_a_field_error(client, customer, phone):
    response = ask(client, customer, phone=phone)
    assert response.status_code == 200
    assert SignInCode.objects.count() == 0


def test_the_code_page_without_a_code_asked_sends_to_the_phone_page(client, customer):
    response = client.get(portal_url("sign_in_code", customer))
    assert response["Location"] == portal_url("sign_in", customer)


def test_sign_in_returns_to_the_page_asked_for(client, customer, sms_outbox):
    target = portal_url("invoices", customer)
    redirect = client.get(target)
    assert redirect["Location"].startswith(portal_url("sign_in", customer))
    client.post(redirect["Location"], {"phone": PHONE}, follow=False)
    code = texted_code(sms_outbox)
    response = client.post(portal_url("sign_in_code", customer) + f"?next={target}", {"code": code})
    assert response["Location"] == target


def test_sign_in_cycles_the_session_key(client, customer, sms_outbox):
    client.get(portal_url("sign_in", customer))
    ask(client, customer)
    before = client.session.session_key
    enter(client, customer, texted_code(sms_outbox))
    assert client.session.session_key != before


def test_the_pages_and_the_text_speak_the_agencys_chinese(client, customer, sms_outbox):
    customer.agency.default_language = "zh-hans"
    customer.agency.save()
    page = client.get(portal_url("sign_in", customer)).content.decode()
    assert "手机号登录" in page
    ask(client, customer)
    deliver_due()
    [(_, text)] = sms_outbox
    assert "登录验证码" in text


def test_a_signed_in_customer_skips_the_sign_in_page(signed_in, customer):
    response = signed_in.get(portal_url("sign_in", customer))
    assert response["Location"] == portal_url("home", customer)
