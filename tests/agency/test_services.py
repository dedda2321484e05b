"""Agency services: one transaction each, audited with who and from where."""

import pytest
from django.core.exceptions import ValidationError

from agency import services
from agency.audit import Actor
from agency.models import AuditLog, Branch, Role


def _actor(world):
    return Actor(user=world.a.user(Role.MANAGER), ip_address="203.0.113.7")


def test_opening_a_branch_writes_an_audit_entry_with_who_and_where(world):
    branch = services.branch_create(
        agency=world.a.agency, actor=_actor(world), name="东城门店", code="dongcheng"
    )
    entry = AuditLog.objects.get(object_type="agency.branch", object_id=str(branch.pk))
    assert entry.agency == world.a.agency
    assert entry.actor == world.a.user(Role.MANAGER)
    assert entry.ip_address == "203.0.113.7"
    assert entry.action == "branch.create"
    assert entry.changes["name"] == [None, "东城门店"]


def test_a_duplicate_branch_code_is_refused_and_writes_nothing(world):
    before = (Branch.objects.count(), AuditLog.objects.count())
    with pytest.raises(ValidationError) as error:
        services.branch_create(
            agency=world.a.agency, actor=_actor(world), name="Other", code=world.a.branch.code
        )
    assert error.value.messages
    assert (Branch.objects.count(), AuditLog.objects.count()) == before


def test_the_same_branch_code_is_fine_in_another_agency(world):
    branch = services.branch_create(
        agency=world.b.agency, actor=_actor(world), name="Twin", code=world.a.branch.code
    )
    assert branch.agency == world.b.agency


def test_updating_a_branch_audits_only_what_changed(world):
    branch = world.a.branch
    services.branch_update(branch=branch, actor=_actor(world), name="New name", phone=branch.phone)
    entry = AuditLog.objects.get(action="branch.update")
    assert entry.changes == {"name": [branch.name, "New name"]}


def test_an_update_that_changes_nothing_writes_no_audit_entry(world):
    branch = world.a.branch
    services.branch_update(branch=branch, actor=_actor(world), name=branch.name)
    assert not AuditLog.objects.filter(action="branch.update").exists()


def test_the_before_values_come_from_the_database_not_the_callers_copy(world):
    branch = world.a.branch
    old_name = branch.name
    branch.name = "Already changed in memory"  # what a ModelForm does during validation
    services.branch_update(branch=branch, actor=_actor(world), name="Already changed in memory")
    assert AuditLog.objects.get(action="branch.update").changes == {
        "name": [old_name, "Already changed in memory"]
    }


def test_an_unknown_time_zone_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.agency_update_settings(
            agency=world.a.agency, actor=_actor(world), time_zone="Mars/Olympus"
        )
    assert "time_zone" in error.value.message_dict
    world.a.agency.refresh_from_db()
    assert world.a.agency.time_zone == "Asia/Shanghai"


def test_a_service_cannot_be_asked_to_change_fields_it_does_not_own(world):
    with pytest.raises(TypeError):
        services.branch_update(branch=world.a.branch, actor=_actor(world), agency=world.b.agency)
