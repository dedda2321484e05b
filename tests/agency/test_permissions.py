"""One permission vocabulary: services, views and templates ask the same role table."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template

from agency.audit import Actor
from agency.models import Role
from agency.permissions import ACCESS, OFFICE, Area, can, require


def test_require_admits_exactly_the_roles_of_the_area(world):
    agency_id = world.a.agency.pk
    for role in Role:
        actor = Actor(user=world.a.user(role))
        if role in ACCESS[Area.APPROVALS]:
            assert require(actor, Area.APPROVALS, agency_id=agency_id, message="no") == actor.user
        else:
            with pytest.raises(PermissionDenied, match="no"):
                require(actor, Area.APPROVALS, agency_id=agency_id, message="no")


def test_another_agencys_manager_may_not_act_here(world):
    outsider = Actor(user=world.b.user(Role.MANAGER))
    assert not can(outsider, Area.APPROVALS, agency_id=world.a.agency.pk)


def test_a_former_member_may_not_act(world):
    membership = world.a.members[Role.MANAGER]
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    assert not can(Actor(user=membership.user), Area.APPROVALS, agency_id=world.a.agency.pk)


def test_the_system_acts_for_nobody(world):
    with pytest.raises(PermissionDenied):
        require(Actor.system(), Area.ORDERS, agency_id=world.a.agency.pk, message="no")


def test_the_office_roles_work_orders_complaints_and_revisits():
    assert ACCESS[Area.ORDERS] == ACCESS[Area.COMPLAINTS] == ACCESS[Area.REVISITS] == OFFICE
    assert {Role.MANAGER, Role.SUPERVISOR, Role.DISPATCHER} == OFFICE


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_templates_ask_the_same_table(role, world):
    template = Template('{% load hearth %}{% if membership|may:"prices" %}edit{% endif %}')
    shown = template.render(Context({"membership": world.a.members[role]}))
    assert (shown == "edit") == (role in ACCESS[Area.PRICES])


def test_templates_without_a_membership_offer_nothing():
    template = Template('{% load hearth %}{% if membership|may:"home" %}x{% endif %}')
    assert template.render(Context({"membership": None})) == ""
