"""The compensation approval limit on the complaint policy page: a manager's (issue 19)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agency.audit import Actor
from agency.models import AuditLog, Role
from complaints.models import CompensationStatus, RemedyPolicy
from complaints.services.remedies import (
    compensation_decide,
    remedy_policy_for,
    remedy_policy_update,
)
from tests.factories import CompensationFactory, ComplaintFactory

pytestmark = pytest.mark.django_db


def test_a_manager_sets_the_limit_on_the_policy_page(world, client_for):
    manager = client_for(world.a.user(Role.MANAGER))
    page = manager.get(reverse("sla_policy"))
    assert page.context["remedy_form"]["approval_limit"].value() == Decimal("500.00")

    answer = manager.post(reverse("remedy_policy"), {"approval_limit": "1200.50"})

    assert answer.status_code == 302 and answer.url == reverse("sla_policy")
    assert remedy_policy_for(world.a.agency).approval_limit == Decimal("1200.50")
    assert not RemedyPolicy.objects.filter(agency=world.b.agency).exists()
    entry = AuditLog.objects.get(action="remedy_policy.update")
    assert entry.changes == {"approval_limit": ["500.00", "1200.50"]}
    shown = manager.get(reverse("sla_policy"))
    assert shown.context["remedy_form"]["approval_limit"].value() == Decimal("1200.50")


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.DISPATCHER, Role.FINANCE])
def test_only_a_manager_may_change_the_limit(world, client_for, role):
    client = client_for(world.a.user(role))
    assert client.post(reverse("remedy_policy"), {"approval_limit": "9000"}).status_code == 403
    assert remedy_policy_for(world.a.agency).approval_limit == Decimal("500.00")


@pytest.mark.parametrize("value", ["-1", "12.345", "lots", ""])
def test_a_bad_limit_comes_back_on_the_page_with_the_message(world, client_for, value):
    manager = client_for(world.a.user(Role.MANAGER))
    answer = manager.post(reverse("remedy_policy"), {"approval_limit": value})
    assert answer.status_code == 400
    errors = answer.context["remedy_form"].errors["approval_limit"]
    assert errors and errors[0] in answer.content.decode()
    assert remedy_policy_for(world.a.agency).approval_limit == Decimal("500.00")


def test_the_service_checks_the_role_and_the_cents_itself(world):
    with pytest.raises(PermissionDenied):
        remedy_policy_update(
            agency=world.a.agency,
            actor=Actor(user=world.a.user(Role.SUPERVISOR)),
            approval_limit=Decimal("100"),
        )

    with pytest.raises(ValidationError):
        remedy_policy_update(
            agency=world.a.agency,
            actor=Actor(user=world.a.user(Role.MANAGER)),
            approval_limit=Decimal("0.001"),
        )


def test_the_new_limit_decides_who_approves(world):
    manager = Actor(user=world.a.user(Role.MANAGER))
    supervisor = Actor(user=world.a.user(Role.SUPERVISOR))
    complaint = ComplaintFactory(agency=world.a.agency, branch=world.a.branch, tier="hard")
    compensation = CompensationFactory(
        agency=world.a.agency, complaint=complaint, amount=Decimal("300.00")
    )
    remedy_policy_update(agency=world.a.agency, actor=manager, approval_limit=Decimal("200.00"))

    with pytest.raises(PermissionDenied):  # under the default 500, but over the new 200
        compensation_decide(compensation=compensation, actor=supervisor, approve=True)

    remedy_policy_update(agency=world.a.agency, actor=manager, approval_limit=Decimal("300.00"))
    decided = compensation_decide(compensation=compensation, actor=supervisor, approve=True)
    assert decided.status == CompensationStatus.APPROVED


def test_the_compensation_list_shows_the_limit_and_links_a_manager_to_it(world, client_for):
    link = reverse("sla_policy") + "#compensation-limit"
    finance = client_for(world.a.user(Role.FINANCE)).get(reverse("compensation_list"))
    assert "500.00" in finance.content.decode() and link not in finance.content.decode()
    manager = client_for(world.a.user(Role.MANAGER)).get(reverse("compensation_list"))
    assert link in manager.content.decode()
