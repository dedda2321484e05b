"""The rules table and the shipped words agree with each other."""

import pytest

from messaging.defaults import DEFAULTS
from messaging.rendering import check, render, samples
from messaging.rules import BY_CODE, RULES, Audience, Via
from messaging.services import LANGUAGES, template_problems
from messaging.variables import VARIABLES


def test_every_rule_names_known_variables_and_is_unique():
    assert len(BY_CODE) == len(RULES)
    for rule in RULES:
        assert set(rule.variables) <= VARIABLES.keys(), rule.code


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_rule_ships_words_in_both_languages_that_pass_their_own_check(rule):
    assert set(DEFAULTS[rule.code]) == set(LANGUAGES)
    for subject, body in DEFAULTS[rule.code].values():
        check(subject, allowed=rule.variables)
        check(body, allowed=rule.variables)
        assert template_problems(code=rule.code, subject=subject, body=body) == {}
        assert render(body, samples(rule.variables))


def test_no_variable_can_carry_a_phone_or_a_street_address():
    # What staff and customers must never read has no variable to travel in.
    for name in VARIABLES:
        assert "phone" not in name
        assert "address" not in name


def test_office_rules_say_whom_to_tell_and_staff_rules_never_go_by_email():
    for rule in RULES:
        if rule.audience == Audience.OFFICE:
            assert rule.roles, rule.code
        if rule.audience == Audience.STAFF:
            assert Via.EMAIL not in rule.channels
