"""The API of message rules and templates: read, update (validated), reset, preview."""

import pytest

from agency.models import Role
from messaging.models import MessageTemplate
from messaging.rules import RULES
from tests.factories import AssignmentFactory, OrderFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

RULE = "job.assigned:staff"
TEMPLATE = f"/api/message-templates/{RULE}/zh-hans/"


@pytest.fixture
def manager(world, client_for):
    # The assertions read the API's English (labels, reasons).
    user = world.a.user(Role.MANAGER)
    user.preferred_language = "en"
    user.save()
    return client_for(user)


def test_the_rules_list_every_rule_with_its_variables_and_labels(manager):
    answer = manager.get("/api/message-rules/")
    assert answer.status_code == 200
    rules = {rule["code"]: rule for rule in answer.json()}
    assert len(rules) == len(RULES)
    assigned = rules[RULE]
    assert assigned["event"] == "job.assigned"
    assert assigned["audience"] == "staff"
    assert assigned["channels"] == ["sms", "in_app"]
    assert {
        "name": "job_district",
        "label": "the district of the job (never the street address)",
    } in assigned["variables"]
    assert rules["job.on_the_way:customer"]["urgent"] is True
    assert assigned["promotional"] is False


def test_the_template_list_costs_the_same_with_many_own_templates(
    world, manager, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as none:
        first = manager.get("/api/message-templates/").json()
    for each in RULES:
        MessageTemplate.objects.create(
            agency=world.a.agency,
            rule=each.code,
            language="en",
            subject="s",
            body="{{ agency_name }}",
        )
    with django_assert_max_num_queries(12) as every:
        later = manager.get("/api/message-templates/").json()
    assert len(none.captured_queries) == len(every.captured_queries)
    assert len(first) == len(later) == 2 * len(RULES)
    assert all(row["is_default"] for row in first)
    assert sum(not row["is_default"] for row in later) == len(RULES)


def test_update_read_and_reset_the_words(world, manager):
    assert manager.get(TEMPLATE).json()["is_default"] is True
    answer = manager.put(
        TEMPLATE,
        {"subject": "派单 {{ order_number }}", "body": "{{ staff_name }}请准时到达"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "rule": RULE,
        "language": "zh-hans",
        "subject": "派单 {{ order_number }}",
        "body": "{{ staff_name }}请准时到达",
        "is_default": False,
    }
    assert manager.get(TEMPLATE).json()["body"] == "{{ staff_name }}请准时到达"
    assert manager.delete(TEMPLATE).status_code == 204
    assert manager.get(TEMPLATE).json()["is_default"] is True
    assert not MessageTemplate.objects.exists()


def test_an_update_that_does_not_work_is_refused_by_field_and_nothing_saved(manager):
    answer = manager.put(
        TEMPLATE,
        {"subject": "{% if x %}", "body": "{{ customer_phone }}"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    problems = answer.json()
    assert "Unknown variable “customer_phone”" in problems["body"][0]
    assert "does not read" in problems["subject"][0]
    assert not MessageTemplate.objects.exists()


def test_the_preview_renders_on_a_real_order_and_on_the_samples(world, manager):
    order = OrderFactory(agency=world.a.agency, number="2026-00777")
    AssignmentFactory(
        agency=world.a.agency,
        order=order,
        staff=StaffMemberFactory(agency=world.a.agency, name="张阿姨"),
    )
    words = {"subject": "新工单", "body": "{{ staff_name }}，{{ order_number }} 请准时到达"}
    answer = manager.post(f"{TEMPLATE}preview/", words, content_type="application/json")
    assert answer.status_code == 200
    preview = answer.json()
    assert preview["example"] == "2026-00777"
    sms = preview["channels"][0]
    assert sms == {
        "channel": "sms",
        "text": "【Alpha 家政】张阿姨，2026-00777 请准时到达",
        "characters": len("【Alpha 家政】张阿姨，2026-00777 请准时到达"),
        "segments": 1,
    }
    OrderFactory(agency=world.b.agency, number="2026-00555")
    theirs = manager.post(
        f"{TEMPLATE}preview/", {**words, "order": "2026-00555"}, content_type="application/json"
    ).json()
    assert theirs["example"] == ""
    assert theirs["body"] == "李阿姨，2026-00123 请准时到达"  # the samples
    assert not MessageTemplate.objects.exists()


def test_a_preview_of_broken_words_says_why(manager):
    answer = manager.post(
        f"{TEMPLATE}preview/",
        {"subject": "x", "body": "{{ nope }}"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "Unknown variable “nope”" in answer.json()["body"][0]


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.SUPERVISOR, Role.FINANCE, Role.STAFF])
def test_only_managers_use_the_template_api(world, client_for, role):
    client = client_for(world.a.user(role))
    assert client.get("/api/message-rules/").status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    words = {"subject": "x", "body": "x"}
    assert client.put(TEMPLATE, words, content_type="application/json").status_code == 403
    assert client.delete(TEMPLATE).status_code == 403
    assert (
        client.post(f"{TEMPLATE}preview/", words, content_type="application/json").status_code
        == 403
    )
    assert not MessageTemplate.objects.exists()


def test_another_agencys_words_are_never_shown(world, manager):
    MessageTemplate.objects.create(
        agency=world.b.agency, rule=RULE, language="zh-hans", subject="B", body="B 的话"
    )
    assert manager.get(TEMPLATE).json()["is_default"] is True
    assert manager.delete(TEMPLATE).status_code == 204
    assert MessageTemplate.objects.filter(agency=world.b.agency).count() == 1


def test_an_unknown_rule_or_language_is_a_404(manager):
    assert manager.get("/api/message-templates/job.nothing:staff/zh-hans/").status_code == 404
    assert manager.get(f"/api/message-templates/{RULE}/fr/").status_code == 404
