"""The template language a manager writes in: what it takes and what it refuses."""

import pytest

from messaging.rendering import TemplateProblem, check, render, segments, signed

ALLOWED = ("staff_name", "order_number", "reason")


def test_renders_variables_and_if():
    text = "{{ staff_name }}：{{ order_number }}{% if reason %}（{{ reason }}）{% endif %}"
    assert render(text, {"staff_name": "李阿姨", "order_number": "2026-00001", "reason": ""}) == (
        "李阿姨：2026-00001"
    )


def test_does_not_escape_for_text_messages():
    assert render("{{ reason }}", {"reason": "<b>&"}) == "<b>&"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{{ customer_phone }}", "Unknown variable “customer_phone”"),
        ("{{ staff_name.phone }}", "Unknown variable “staff_name.phone”"),
        ("{% if customer_phone %}x{% endif %}", "Unknown variable “customer_phone”"),
        ("{{ staff_name }", "is not closed"),
        ("{{ staff_name }} {% if reason }", "is not closed"),
        ("{% if %}", "does not read"),
        ("{% load static %}", "does not read"),
        ("{% now 'Y' %}", "not “now”"),
        ("{% include 'base.html' %}", "not “include”"),
        ("{% for x in reason %}{% endfor %}", "not “for”"),
        ("{{ reason|safe }}", "The filter “safe”"),
        ("   ", "empty"),
    ],
)
def test_refuses_with_the_reason(text, reason):
    with pytest.raises(TemplateProblem, match=reason):
        check(text, allowed=ALLOWED)


def test_allows_the_listed_filters():
    check("{{ reason|default:'无'|truncatechars:20 }}", allowed=ALLOWED)


def test_signature_and_segments():
    text = signed("x" * 66, signature="安心家政")
    assert text.startswith("【安心家政】")
    assert segments("字" * 70) == 1
    assert segments("字" * 71) == 2
    assert segments("字" * 134) == 2
    assert segments("字" * 135) == 3
