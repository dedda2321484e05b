"""The message templates pages: every rule's words, the editor, its live preview, reset."""

import pytest
from django.urls import reverse

from agency.models import AuditLog, Role
from messaging.models import MessageTemplate
from messaging.rules import RULES
from tests.factories import AssignmentFactory, OrderFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

RULE = "job.assigned:staff"


def edit_url(rule: str = RULE, language: str = "zh-hans") -> str:
    return reverse("message_template_edit", kwargs={"rule": rule, "language": language})


def preview_url(rule: str = RULE, language: str = "zh-hans") -> str:
    return reverse("message_template_preview", kwargs={"rule": rule, "language": language})


def reset_url(rule: str = RULE, language: str = "zh-hans") -> str:
    return reverse("message_template_reset", kwargs={"rule": rule, "language": language})


@pytest.fixture
def manager(world, client_for):
    # The assertions read the pages' English (labels, reasons).
    world.a.agency.default_language = "en"
    world.a.agency.save()
    return client_for(world.a.user(Role.MANAGER))


@pytest.fixture
def staffed_order(world):
    """A real order of agency A with its lead staff member (the preview's example)."""
    order = OrderFactory(agency=world.a.agency, number="2026-00777")
    AssignmentFactory(
        agency=world.a.agency,
        order=order,
        staff=StaffMemberFactory(agency=world.a.agency, name="张阿姨"),
    )
    return order


def own(
    agency, rule: str = RULE, language: str = "zh-hans", body: str = "{{ staff_name }}好"
) -> None:
    MessageTemplate.objects.create(
        agency=agency, rule=rule, language=language, subject="派单", body=body
    )


def test_the_list_shows_every_rule_by_audience_and_whose_words_are_in_force(world, manager):
    own(world.a.agency)
    own(world.b.agency, rule="order.confirmed:customer")
    page = manager.get(reverse("message_templates"))
    assert page.status_code == 200
    groups = dict(page.context["groups"])
    assert sum(len(rows) for rows in groups.values()) == len(RULES)
    by_code = {row.rule.code: row for rows in groups.values() for row in rows}
    assert [(w.language, w.own) for w in by_code[RULE].words] == [("zh-hans", True), ("en", False)]
    # Another agency's words are never this agency's.
    assert not any(w.own for w in by_code["order.confirmed:customer"].words)
    html = page.content.decode()
    assert "A staff member is assigned to a job" in html
    assert edit_url() in html


def test_the_list_costs_the_same_with_many_own_templates(
    world, manager, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as none:
        manager.get(reverse("message_templates"))
    for each in RULES:
        own(world.a.agency, rule=each.code, body="{{ agency_name }}")
    with django_assert_max_num_queries(12) as every:
        manager.get(reverse("message_templates"))
    assert len(none.captured_queries) == len(every.captured_queries)


def test_the_editor_lists_the_variables_and_previews_on_the_latest_order(
    world, manager, staffed_order
):
    page = manager.get(edit_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-insert-variable="job_district"' in html
    assert "the district of the job (never the street address)" in html
    # No customer phone can be inserted: the rule lists no such variable.
    assert "customer_phone" not in html
    result = page.context["preview"]["result"]
    assert result.example == "2026-00777"
    [sms, _in_app] = result.channels
    assert sms.text.startswith("【Alpha 家政】张阿姨您好，工单 2026-00777 已派给您")
    assert "朝阳区" in sms.text
    assert sms.characters == len(sms.text)
    assert sms.segments == 2  # the default is longer than one 70-character segment


def test_the_preview_renders_what_is_typed_on_the_named_order(world, manager, staffed_order):
    OrderFactory(agency=world.a.agency, number="2026-00999")  # a later order
    answer = manager.post(
        preview_url(),
        {
            "subject": "新工单",
            "body": "{{ staff_name }}，{{ order_number }} 请准时到达",
            "order": "2026-00777",
        },
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "【Alpha 家政】张阿姨，2026-00777 请准时到达" in html
    assert "1 SMS" in html or "1 条短信" in html


def test_the_preview_falls_back_to_the_samples_and_never_reads_another_agencys_order(
    world, manager
):
    OrderFactory(agency=world.b.agency, number="2026-00555")
    answer = manager.post(
        preview_url(), {"subject": "新工单", "body": "{{ order_number }}", "order": "2026-00555"}
    )
    result = answer.context["preview"]["result"]
    assert result.example == ""
    assert result.missing == "2026-00555"
    assert result.body == "2026-00123"  # the sample, not agency B's order


def test_the_preview_says_why_words_cannot_render(manager):
    answer = manager.post(preview_url(), {"subject": "新工单", "body": "{{ customer_phone }}"})
    assert answer.status_code == 200
    assert "Unknown variable “customer_phone”" in answer.content.decode()


def test_saving_words_holds_them_and_records_who(world, manager):
    answer = manager.post(
        edit_url(), {"subject": "派单 {{ order_number }}", "body": "{{ staff_name }}请准时到达"}
    )
    assert answer.status_code == 302
    saved = MessageTemplate.objects.get(agency=world.a.agency, rule=RULE, language="zh-hans")
    assert saved.body == "{{ staff_name }}请准时到达"
    assert saved.updated_by == world.a.user(Role.MANAGER)
    assert AuditLog.objects.filter(action="message_template.saved").count() == 1
    page = manager.get(edit_url())
    assert page.context["words"].own is True
    assert "请准时到达" in page.content.decode()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("{{ customer_phone }}", "Unknown variable “customer_phone”"),
        ("{% if staff_name %}好", "The template does not read"),
        ("{{ staff_name ", "is not closed"),
        ("{% load static %}", "The template does not read"),
        ('{% now "Y" %}', "Only variables and {% if %} may be used here"),
        ("请" * 490 + "{{ staff_name }}", "an SMS takes at most 500"),
    ],
)
def test_words_that_do_not_work_are_refused_with_the_reason_and_nothing_is_saved(
    world, manager, body, reason
):
    answer = manager.post(edit_url(), {"subject": "派单", "body": body})
    assert answer.status_code == 400
    assert reason in str(answer.context["form"].errors["body"])
    assert reason.split("“")[0] in answer.content.decode().replace("&ldquo;", "“")
    assert answer.context["form"]["body"].value() == body  # what was typed is kept
    assert not MessageTemplate.objects.exists()


def test_reset_goes_back_to_the_default(world, manager):
    own(world.a.agency)
    answer = manager.post(reset_url())
    assert answer.status_code == 302
    assert not MessageTemplate.objects.filter(agency=world.a.agency).exists()
    assert manager.get(edit_url()).context["words"].own is False


def test_reset_of_one_agency_leaves_the_others_words(world, manager):
    own(world.b.agency)
    manager.post(reset_url())
    assert MessageTemplate.objects.filter(agency=world.b.agency).count() == 1


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.SUPERVISOR, Role.FINANCE, Role.STAFF])
def test_only_managers_word_the_messages(world, client_for, role):
    client = client_for(world.a.user(role))
    assert client.get(reverse("message_templates")).status_code == 403
    assert client.get(edit_url()).status_code == 403
    assert client.post(edit_url(), {"subject": "x", "body": "x"}).status_code == 403
    assert client.post(preview_url(), {"subject": "x", "body": "x"}).status_code == 403
    assert client.post(reset_url()).status_code == 403
    assert not MessageTemplate.objects.exists()


def test_an_unknown_rule_or_language_is_a_missing_page(manager):
    assert manager.get(edit_url(rule="job.nothing:staff")).status_code == 404
    assert manager.get(edit_url(language="fr")).status_code == 404
    assert manager.post(reset_url(language="fr")).status_code == 404
